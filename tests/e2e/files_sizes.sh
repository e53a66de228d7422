#!/bin/bash
# Byte-exact round trips through `write` and `read` of 0 bytes, 64 KiB + 1
# (binary, and UTF-8 text), in JSON and raw mode, and of 1 GiB (a sparse
# file, raw mode); the bound on read (max_output and max_output + 1, and a
# /proc file whose size stat does not tell); and
# the root parent's peak RSS while 1 GiB goes through it, which must stay
# flat (asserted < 16 MiB; the target is < 8 MiB).
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

echo "max_output = 1G" >"$CONF"

# rss REPORT ARGS...: the helper as pfa_caller for pfa_alice under rss.py,
# the password then this function's stdin on its stdin.
rss() {
	local report=$1
	shift
	{
		printf '%s\n' "$LAB_ALICE_PW"
		cat
	} | python3 "$PFA_SRCDIR/tests/e2e/rss.py" "$report" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=pfa_caller \
		--regid="$(id -g pfa_caller)" --init-groups -- "$H" --user pfa_alice "$@"
}

# rss_ok REPORT WHAT: the root parent's peak RSS while the operation ran
# (PAM excluded) is under 16 MiB (64 MiB in a sanitizer build: ASan's own
# allocator and shadow; still flat against 1 GiB); both peaks are printed.
RSS_LIM=16
[ -n "${ASAN_OPTIONS:-}" ] && RSS_LIM=64
rss_ok() {
	local op life
	read -r op life <"$1"
	t_diag "$2: root parent's peak RSS $op KiB while the operation ran (target < 8192)," \
		"$life KiB over its life (PAM's password hashing included)"
	t_ok "$([ "$op" -gt 0 ] && [ "$op" -lt $((RSS_LIM * 1024)) ] && echo 0)" \
		"$2: the root parent's peak RSS $op KiB < $RSS_LIM MiB"
}

# read_raw PATH: the bytes of PATH through read --raw on stdout; the JSON in
# $P/raw.json.
read_raw() {
	printf '%s\n' "$LAB_ALICE_PW" |
		as_caller pfa_caller "$H" --user pfa_alice --raw read "$1" 2>"$P/raw.json"
}

# 0 bytes.
alice_in write zero </dev/null
t_is "$(jqr .status) $(jqr .result.size)" "ok 0" "0 B: written"
t_is "$(stat -c %s "$AH/zero")" 0 "0 B: on disk"
alice read zero
t_is "$(jqj .result)" '{"data":"","size":0}' "0 B: read in JSON"
t_is "$(read_raw zero | wc -c)" 0 "0 B: read --raw gives nothing"
OUT=$(cat "$P/raw.json")
t_is "$(jqr .status) $(jqr .result.size)" "ok 0" "0 B: and the JSON on stderr"
# A command line that does not parse: with --raw among its options, the
# answer still goes to stderr (stdout is the file's bytes, even none).
n=$(printf '%s\n' "$LAB_ALICE_PW" |
	as_caller pfa_caller "$H" --raw --user pfa_alice --timeout 0 read zero 2>"$P/raw.json" | wc -c)
OUT=$(cat "$P/raw.json")
t_is "$n $(jqr .status)" "0 bad_request" "--raw and a bad option: nothing on stdout, the JSON on stderr"

# 64 KiB + 1 of binary.
head -c 65537 /dev/urandom >"$P/rand"
want=$(sha "$P/rand")
alice_in write bin <"$P/rand"
t_is "$(jqr .result.size)" 65537 "64 KiB + 1 binary: written"
t_is "$(sha "$AH/bin")" "$want" "64 KiB + 1 binary: the same bytes on disk"
alice read bin
t_is "$(jqr .result.encoding)" base64 "64 KiB + 1 binary: read in JSON is base64"
t_is "$(jqr .result.data | base64 -d | sha256sum | cut -d' ' -f1)" "$want" \
	"64 KiB + 1 binary: JSON round trip byte-exact"
t_is "$(read_raw bin | sha256sum | cut -d' ' -f1)" "$want" "64 KiB + 1 binary: raw round trip byte-exact"

# 64 KiB + 1 of UTF-8 text, multi-byte characters across every chunk edge.
python3 -c '
import sys
b = ("h\u00e9llo w\u00f6rld \u20ac \U0001f600\n" * 4000).encode()[:65537]
while True:
    try:
        b.decode()
        break
    except UnicodeDecodeError:
        b = b[:-1]
sys.stdout.buffer.write(b + b"x" * (65537 - len(b)))' >"$P/text"
want=$(sha "$P/text")
alice_in write text <"$P/text"
t_is "$(sha "$AH/text")" "$want" "64 KiB + 1 text: the same bytes on disk"
alice read text
t_is "$(jqr '.result.encoding // "text"') $(jqr .result.size)" "text 65537" "64 KiB + 1 text: read as text"
t_is "$(jqr -j .result.data | sha256sum | cut -d' ' -f1)" "$want" "64 KiB + 1 text: JSON round trip byte-exact"

# 32 MiB of binary through the JSON (base64) stream: the parent stays flat.
head -c 32M /dev/urandom >"$P/mid"
install -o pfa_alice -g pfa_alice -m 600 "$P/mid" "$AH/mid"
rss "$P/rss.mid" read mid </dev/null >"$P/mid.json"
OUT=$(cat "$P/mid.json")
t_is "$(jqr .result.data | base64 -d | sha256sum | cut -d' ' -f1)" "$(sha "$P/mid")" \
	"32 MiB binary: JSON round trip byte-exact"
rss_ok "$P/rss.mid" "32 MiB read in JSON"

# 1 GiB, sparse, raw: read, then written back through write.
truncate -s 1G "$AH/big"
chown pfa_alice:pfa_alice "$AH/big"
want=$(sha "$AH/big")
got=$(rss "$P/rss.read" --raw read big </dev/null 2>"$P/big.json" | sha256sum | cut -d' ' -f1)
t_is "$got" "$want" "1 GiB: read --raw byte-exact"
OUT=$(cat "$P/big.json")
t_is "$(jqr .status) $(jqr .result.size)" "ok 1073741824" "1 GiB: the JSON on stderr says so"
rss_ok "$P/rss.read" "1 GiB read --raw"
rss "$P/rss.write" write big2 <"$AH/big" >"$P/w.json"
OUT=$(cat "$P/w.json")
t_is "$(jqr .status) $(jqr .result.size)" "ok 1073741824" "1 GiB: written"
t_is "$(sha "$AH/big2")" "$want" "1 GiB: write byte-exact"
rss_ok "$P/rss.write" "1 GiB write"
rm -f "$AH/big" "$AH/big2" "$AH/mid"

# read's bound: max_output bytes pass, one more fails before a byte is sent.
echo "max_output = 64K" >"$CONF"
head -c 65536 "$P/rand" >"$AH/cap" && chown pfa_alice "$AH/cap"
alice read cap
t_is "$(jqr .status) $(jqr .result.size)" "ok 65536" "read: exactly max_output passes"
alice read bin
t_is "$(jqr .status)" op_failed "read: max_output + 1 fails"
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "read: with EFBIG: $(jqr .error)"
t_is "$(jqj .result)" '{}' "read: and no data"

# A file whose size stat(2) does not tell: a process of alice's with ~200 KB
# of environment (/proc/PID/environ has st_size 0).  No pass reads past
# max_output: JSON fails with EFBIG, --raw stops at the limit with EFBIG
# (it answered "ok" with all 200 KB before).
A=$(head -c 100000 /dev/zero | tr '\0' a)
setpriv --reuid=pfa_alice --regid="$(id -g pfa_alice)" --init-groups -- \
	env -i A="$A" B="${A//a/b}" sleep 100 &
sp=$!
# (wait until alice herself can read it: until its exec the process is not
# dumpable, and its environ is closed even to its own user)
for i in $(seq 100); do
	setpriv --reuid=pfa_alice --regid="$(id -g pfa_alice)" --init-groups -- \
		head -c 1 "/proc/$sp/environ" >/dev/null 2>&1 && break
	sleep 0.1
done
alice read "/proc/$sp/environ"
t_is "$(jqr .status)" op_failed "read of a /proc file past max_output: op_failed"
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "read of a /proc file: EFBIG: $(jqr .error)"
n=$(read_raw "/proc/$sp/environ" | wc -c)
OUT=$(cat "$P/raw.json")
t_is "$(jqr .status)" op_failed "read --raw of a /proc file past max_output: op_failed"
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "read --raw of a /proc file: EFBIG: $(jqr .error)"
t_ok "$([ "$n" -le 65536 ] && echo 0)" "read --raw sent at most max_output bytes ($n)"
kill "$sp" 2>/dev/null
wait "$sp" 2>/dev/null
rm -f "$CONF"
t_done
