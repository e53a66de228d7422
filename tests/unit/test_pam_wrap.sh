#!/bin/bash
# test_pam_wrap.sh — run tests/unit/test_pam_wrap under pam_wrapper,
# nss_wrapper and uid_wrapper (RECIPES.md, "cwrap"): real libpam and
# pam_matrix, service files and users of our own, nothing of the host's /etc.
# The cwrap environment is set here, for the test binary only.
#
# Needs real root: the failure-delay lock directory must be root-owned
# (pam_lock.c), and uid_wrapper cannot fake the owner of a file.
set -u

top=${PFA_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/tests/unit/test_pam_wrap
lockdir=$top/tests/unit/test_pam_wrap.lock # PAM_WRAP_LOCK_DIR in src/helper/pam.mk

skip() {
	echo "1..0 # SKIP test_pam_wrap: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root (the lock directory must be root-owned)"
wrapdir=
for d in /usr/lib/*/pam_wrapper /usr/lib64/pam_wrapper /usr/lib/pam_wrapper; do
	[ -e "$d/pam_matrix.so" ] && wrapdir=$d && break
done
[ -n "$wrapdir" ] || skip "pam_matrix.so not found (install libpam-wrapper)"
secdir=$(dirname "$wrapdir")/security
[ -e "$secdir/pam_deny.so" ] || skip "pam_deny.so not found in $secdir"

tmp=$(mktemp -d) || exit 99
cleanup() { rm -rf "$tmp" "$lockdir"; }
trap cleanup EXIT
mkdir "$tmp/services"

# Users: alice (plain), bob (verbose), carol (account denied), dave (a
# module renames him).  Keep in step with the names in test_pam_wrap.c.
cat >"$tmp/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
alice:x:1001:1001::/home/alice:/bin/sh
bob:x:1002:1002::/home/bob:/bin/sh
carol:x:1003:1003::/home/carol:/bin/sh
dave:x:1004:1004::/home/dave:/bin/sh
EOF
cat >"$tmp/group" <<EOF
root:x:0:
alice:x:1001:
bob:x:1002:
carol:x:1003:
dave:x:1004:
pfawheel:x:2000:alice
EOF
cat >"$tmp/passdb" <<EOF
alice:secret:pfa_plain
bob:hunter2:pfa_verbose
carol:pw-carol:pfa_denyacct
dave:pw-dave:pfa_setuser
EOF

for t in auth account password session; do
	echo "$t required $secdir/pam_deny.so"
done >"$tmp/services/other"
matrix="$wrapdir/pam_matrix.so passdb=$tmp/passdb"
service() { # NAME AUTH-OPTS then extra account lines on stdin
	{
		echo "auth required $matrix $2"
		cat
		echo "session required $matrix"
	} >"$tmp/services/$1"
}
echo "account required $matrix" | service pfa_plain ""
echo "account required $matrix" | service pfa_verbose verbose
echo "account required $secdir/pam_deny.so" | service pfa_denyacct ""
printf 'account required %s\naccount required %s\n' "$matrix" "$wrapdir/pam_set_items.so" |
	service pfa_setuser ""

rm -rf "$lockdir"
env LD_PRELOAD=libpam_wrapper.so:libnss_wrapper.so:libuid_wrapper.so \
	PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$tmp/services" \
	NSS_WRAPPER_PASSWD="$tmp/passwd" NSS_WRAPPER_GROUP="$tmp/group" \
	UID_WRAPPER=1 UID_WRAPPER_ROOT=1 \
	PAM_WRAPPER_DISABLE_DEEPBIND=1 NSS_WRAPPER_DISABLE_DEEPBIND=1 UID_WRAPPER_DISABLE_DEEPBIND=1 \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	"$bin" --jobs=1 "$@"
