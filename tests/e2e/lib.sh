# tests/e2e/lib.sh — sourced by the helper's e2e tests, inside the lab
# (tests/lab/lab: root, private /etc, /home, /run, throwaway users).
#   H             a setuid-root copy of the built helper, in the lab's tmpfs
#   as_caller U   run the rest of the line as user U (real uid/gid, groups)
#   run_helper U PW ARGS...   PW on stdin, the helper as caller U; sets OUT
#                 (the JSON), RC (its exit code), MS (milliseconds taken)
#   jqr EXPR      jq -r EXPR on $OUT
#   PAMLOG        one line per PAM session event: "<PAM_TYPE> <PAM_USER>"
#   CONF          the helper's config file path (compiled in)
. "$PFA_SRCDIR/tests/e2e/tap.sh"
: "${LAB_DIR:?run inside tests/lab/lab}"

P=$LAB_DIR/priv
H=$P/bin/pipefork-as
PAMLOG=$P/pam.log
CONF=${PFA_SYSCONFDIR:?}/pipefork-as.conf

mkdir -p "$P/bin"
install -o root -g root -m 4755 "$PFA_BUILDDIR/pipefork-as" "$H"
chmod 755 "$P"
# The config directory: inside the lab's overlays it is private already;
# elsewhere (a distcheck prefix) a tmpfs keeps the test's files out of it.
case "$PFA_SYSCONFDIR" in
/etc | /etc/* | /usr/local/*) mkdir -p "$PFA_SYSCONFDIR" ;;
*) mkdir -p "$PFA_SYSCONFDIR" && mount -t tmpfs -o mode=755 tmpfs "$PFA_SYSCONFDIR" ;;
esac

# The PAM service, plus a pam_exec logger of session (and auth) events.
cat >"$P/pamlog.sh" <<EOS
#!/bin/sh
echo "\$PAM_TYPE \$PAM_USER" >>"$PAMLOG"
EOS
chmod 755 "$P/pamlog.sh"
: >"$PAMLOG"
chmod 666 "$PAMLOG"
{
	echo "auth optional pam_exec.so quiet $P/pamlog.sh"
	cat "$PFA_SRCDIR/pam.d/pipefork-as"
	echo "session optional pam_exec.so quiet $P/pamlog.sh"
} >/etc/pam.d/pipefork-as

# The caller runs with a clean environment: the lab's passwords
# (LAB_*_PW) must not ride along in its environment.  Only the options of a
# sanitizer build (scripts/check sets them) reach the helper, so that its
# reports land where scripts/check looks.
SAN_ENV=()
for _v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
	[ -n "${!_v:-}" ] && SAN_ENV+=("$_v=${!_v}")
done
as_caller() {
	local u=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${SAN_ENV[@]}" \
		setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"
}

run_helper() {
	local u=$1 pw=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	OUT=$(printf '%s\n' "$pw" | as_caller "$u" "$H" "$@" 2>"$P/stderr")
	RC=$?
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
}

jqr() { printf '%s' "$OUT" | jq -r "$@"; }
# jq's JSON rendering (keeps trailing newlines inside strings visible).
jqj() { printf '%s' "$OUT" | jq -c "$@"; }

# Count session events in the PAM log.
pam_count() { grep -c "^$1 " "$PAMLOG" || true; }

# A valid JSON document with every top-level key?
shape_ok() {
	printf '%s' "$OUT" | jq -e 'has("version") and has("status") and has("user") and
	  has("uid") and has("op") and has("pam") and has("messages") and has("result")
	  and has("error") and .version == 1' >/dev/null
}
