#!/bin/bash
# bench_helper.sh — `make bench`, the helper's part (root, inside the lab):
#  1. per-request time of `id`, interleaved, against what it is made of:
#     the real pam_unix stack vs pamtester running the same PAM stages (the
#     floor is the password hash; target <= 1.05x); a permit-only stack
#     (root, --service) vs runuser -u USER -- /usr/bin/id (target <= 0.5x);
#  2. read throughput of a 256 MiB file through the helper, raw and JSON,
#     vs setpriv ... cat FILE (targets >= 0.7x and >= 0.4x), and the root
#     parent's peak RSS (target: flat, under 8 MiB).
# Prints numbers and ratios; asserts nothing.
# Usage: bench_helper.sh HELPER SRCDIR BENCHDIR [ROUNDS]
#   BENCHDIR holds the built maxrss, reqtime and pam_floor.
# Times come from bench/reqtime (fork -> exec -> wait, measured in C): no
# shell, `date` or setpriv process is counted with a request.
set -u
H0=$1 SRC=$2 B=$3 ROUNDS=${4:-20}
P=$LAB_DIR/priv
H=$P/bin/pipefork-as
mkdir -p "$P/bin" && install -o root -g root -m 4755 "$H0" "$H"
M=$P/bin/maxrss RT=$P/bin/reqtime FLOOR=$P/bin/pam_floor
install -m 755 "$B/maxrss" "$M"
install -m 755 "$B/reqtime" "$RT"
install -m 755 "$B/pam_floor" "$FLOOR"
cp "$SRC/pam.d/pipefork-as" /etc/pam.d/pipefork-as
printf 'auth required pam_permit.so\naccount required pam_permit.so\nsession required pam_permit.so\n' \
	>/etc/pam.d/pfa-permit
mkdir -p "${PFA_SYSCONFDIR:-/usr/local/etc}"
echo "max_output = 1G" >"${PFA_SYSCONFDIR:-/usr/local/etc}/pipefork-as.conf"
U=pfa_alice PW=$LAB_ALICE_PW

# 1. Per request, interleaved.  The helper is called by pfa_caller (a
# member of "pipefork") with the real stack, by root with --service for
# the permit-only one; pamtester and runuser run as root, as they must.
if ! out=$("$RT" "$ROUNDS" \
	helper_pam pfa_caller "$PW" "$H" --user "$U" id :: \
	pamtester - "$PW" "$(command -v pamtester)" pipefork-as "$U" \
	authenticate acct_mgmt open_session close_session :: \
	helper_permit - x "$H" --service pfa-permit --user "$U" id :: \
	runuser - "" "$(command -v runuser)" -u "$U" -- /usr/bin/id :: \
	floor - "" "$FLOOR" pfa-permit "$U"); then
	echo "bench_helper: a timed request failed; its numbers would lie" >&2
	exit 1
fi
med() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
ms() { awk -v t="$(med "$1")" 'BEGIN { printf "%.1f", t / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mratio() { ratio "$(med "$1")" "$(med "$2")"; }
echo "pipefork-as per request, median of $ROUNDS rounds, interleaved:"
printf '  %-56s %7s ms\n' "pipefork-as --user $U id (pam_unix, yescrypt)" "$(ms helper_pam)"
printf '  %-56s %7s ms\n' "pamtester, same stages (the floor: the hash)" "$(ms pamtester)"
printf '  %-56s %7s ms\n' "pipefork-as --service pfa-permit (root, permit-only)" "$(ms helper_permit)"
printf '  %-56s %7s ms\n' "runuser -u $U -- /usr/bin/id" "$(ms runuser)"
printf '  %-56s %7s ms\n' "pam_floor: exec + NSS + PAM stages + fork, nothing else" "$(ms floor)"
echo "  ratio helper / pamtester:         $(mratio helper_pam pamtester)x  (target <= 1.05x)"
echo "  ratio helper permit / runuser:    $(mratio helper_permit runuser)x  (target <= 0.5x)"
echo "  ratio pam_floor / runuser:        $(mratio floor runuser)x  (what no helper can go under here)"
echo "  ratio helper permit / pam_floor:  $(mratio helper_permit floor)x  (the helper's own work on top of that floor)"

# 2. Read throughput.  Each reader writes into a pipe, as the helper's
# callers read it.  The fixed cost of a request (exec, PAM, fork) is
# measured on an empty file and taken out, so that the numbers compare the
# streaming itself; PAM is the permit-only stack (root caller): with
# pam_unix the yescrypt hash alone takes ~16 MiB, which would hide the
# parent's memory during the read.
F=bench-256m.txt
E=bench-empty.txt
yes 'From: alice@example.org -- a line of an ordinary mail message, 72 bytes.' |
	head -c 268435456 >"/home/$U/$F"
: >"/home/$U/$E"
chown "$U" "/home/$U/$F" "/home/$U/$E"
MB=256
now() { date +%s%N; }
rss() { sed -n 's/^maxrss_kib //p' "$P/rss"; }
best() { # name cmd... : best of 3 runs, in ms
	local b=0 t0 t1 d k rc name=$1
	shift
	for k in 1 2 3; do
		t0=$(now)
		"$@" 2>"$P/rss" | cat >/dev/null
		rc=${PIPESTATUS[0]}
		t1=$(now)
		if [ "$rc" != 0 ]; then
			echo "  $name: failed (exit $rc): $(head -c 300 "$P/rss")" >&2
		fi
		d=$(((t1 - t0) / 1000000))
		{ [ "$b" = 0 ] || [ "$d" -lt "$b" ]; } && b=$d
	done
	echo "$b"
}
c_cat() { setpriv --reuid="$U" --regid="$(id -g "$U")" --init-groups cat "/home/$U/$1"; }
c_raw() { printf 'x\n' | "$M" "$H" --service pfa-permit --raw --user "$U" read "$1"; }
c_json() { printf 'x\n' | "$M" "$H" --service pfa-permit --user "$U" read "$1"; }
t_cat=$(best cat c_cat "$F")
t_cat0=$(best cat0 c_cat "$E")
t_raw=$(best raw c_raw "$F")
r_raw=$(rss)
t_raw0=$(best raw0 c_raw "$E")
r_raw0=$(rss)
t_json=$(best json c_json "$F")
r_json=$(rss)
t_json0=$(best json0 c_json "$E")
net() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 1) d = 1; print d }'; }
n_cat=$(net "$t_cat" "$t_cat0") n_raw=$(net "$t_raw" "$t_raw0") n_json=$(net "$t_json" "$t_json0")
thr() { awk -v ms="$1" -v mb="$MB" 'BEGIN { printf "%.0f", mb / (ms / 1000) }'; }
echo "read of a 256 MiB text file, best of 3, fixed cost (an empty file) taken out:"
printf '  %-44s %6s MB/s  (%s ms, empty %s ms)\n' "setpriv ... cat FILE" "$(thr "$n_cat")" "$t_cat" "$t_cat0"
printf '  %-44s %6s MB/s  (%s ms, empty %s ms)\n' "pipefork-as --raw read" "$(thr "$n_raw")" "$t_raw" "$t_raw0"
printf '  %-44s %6s MB/s  (%s ms, empty %s ms)\n' "pipefork-as read (JSON)" "$(thr "$n_json")" "$t_json" "$t_json0"
echo "  ratio raw / cat:   $(ratio "$n_cat" "$n_raw")x  (target >= 0.7x)"
echo "  ratio JSON / cat:  $(ratio "$n_cat" "$n_json")x  (target >= 0.4x)"
echo "  helper's peak RSS: ${r_raw0} KiB reading an empty file, ${r_raw} KiB raw and ${r_json} KiB JSON" \
	"reading 256 MiB (target: flat, under 8 MiB)"
rm -f "/home/$U/$F" "/home/$U/$E"
