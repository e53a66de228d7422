#!/bin/bash
# Outputs that would block the root helper's writes (PITFALLS 10-11): the
# caller's stdout a full socket nobody reads, a terminal whose output is
# stopped (^S), a FIFO whose reader is gone and comes back without reading;
# and --raw data read by the caller long after the helper ended (it must
# be what the file held during the run, not later writes to it).  Each run
# ends within its deadline plus a few seconds, the session closed once.
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

mkdir -p "$P/c" && chown pfa_caller "$P/c"
printf '%s\n' "$LAB_ALICE_PW" >"$P/c/pw" && printf 'not-it\n' >"$P/c/bad"
chown pfa_caller "$P/c/pw" "$P/c/bad" && chmod 600 "$P/c/pw" "$P/c/bad"
AH=$(getent passwd pfa_alice | cut -d: -f6)
head -c 786432 /dev/zero | tr '\0' 'a' >"$AH/big" && chown pfa_alice "$AH/big"

# drive MODE PWFILE ARGS...: outdrive.py as the caller (for a terminal,
# as root, since the lab's /dev/pts/ptmx is root's: the helper is still
# started as the caller); sets RC and MS (the helper's), DRIVE (the
# driver's output).
drive() {
	local mode=$1 pw=$2
	shift 2
	if [ "$mode" = tty ]; then
		DRIVE=$(timeout -k 3 60 python3 "$HL_DIR/outdrive.py" tty "$pw" \
			setpriv --reuid=pfa_caller --regid="$(id -g pfa_caller)" --init-groups -- \
			env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${SAN_ENV[@]}" "$H" "$@")
	else
		DRIVE=$(hl_bounded 60 pfa_caller env FIFO="$P/c/fifo" python3 "$HL_DIR/outdrive.py" \
			"$mode" "$pw" "$H" "$@")
	fi
	HL_RUNS=$((HL_RUNS + 1))
	RC=$(printf '%s\n' "$DRIVE" | sed -n 's/^rc=\(-\{0,1\}[0-9]*\) .*/\1/p')
	MS=$(printf '%s\n' "$DRIVE" | sed -n 's/.* ms=\([0-9]*\)$/\1/p')
	[ -n "$RC" ] || { RC=x MS=999999; t_diag "driver: $DRIVE"; }
}
ended() { # BOUND_MS DESC: a status exit code, within the bound
	t_ok "$(case "$RC" in [0-9] | 1[01]) [ "$MS" -lt "$1" ] && echo 0 ;; esac)" \
		"$2: exit $RC after $MS ms (bound $1 ms)"
}

for mode in socket tty; do
	case_begin "stdout $([ $mode = socket ] && echo 'a full socket nobody reads' || echo 'a terminal stopped by ^S')"
	drive $mode "$P/c/bad" --user pfa_alice auth
	# the failure delay (3 s), then the answer's grace (5 s)
	ended 11000 "a wrong password: the answer gives up"
	t_is "$RC" 1 "and the exit code is still auth_failed's"
	drive $mode "$P/c/pw" --user pfa_alice --timeout 2 read big
	# the stream's deadline (the timeout), then the answer's grace
	ended 12000 "a streamed read: the stream and the answer give up"
	drive $mode "$P/c/pw" --user pfa_alice --timeout 2 --raw read big
	ended 12000 "a raw read: the same"
	case_end
done

# The caller pins its own stdout pipe's lock in the kernel (a write of its
# own that faults on its own stopped FUSE mount) before the helper starts:
# a root helper that wrote there would wait, session open, past every
# signal.  The streamed read goes through a relay that is the caller: the
# session closes while the pipe is still pinned, and the answer arrives
# whole once the caller lets go.  (/dev/fuse usable by users, as udev
# makes it on Debian: a node in this test's private /dev.)
case_begin "a caller that pins its stdout pipe in the kernel during a streamed read"
umount /dev/fuse 2>/dev/null
rm -f /dev/fuse && mknod -m 666 /dev/fuse c 10 229
PD=$P/c/pin CH=$(getent passwd pfa_caller | cut -d: -f6) cu=$(id -u pfa_caller)
head -c 6000 /dev/zero | tr '\0' 's' >"$AH/small" && chown pfa_alice "$AH/small"
mkdir -p "$PD" && cp "$P/c/pw" "$PD/pw" && chown -R pfa_caller "$PD"
as_caller pfa_caller sh -c "mkdir -p '$CH/fsrc' '$CH/fmnt' && head -c 65536 /dev/urandom >'$CH/fsrc/f' &&
	bindfs --no-allow-other '$CH/fsrc' '$CH/fmnt'"
t_is "$(as_caller pfa_caller stat -f -c %t "$CH/fmnt")" 65735546 "the caller's own FUSE mount"
srv=$(pgrep -u pfa_caller -x bindfs | head -1)
hl_bounded 90 pfa_caller python3 "$HL_DIR/pindrive.py" "$CH/fmnt/f" "$srv" "$PD" \
	"$H" --user pfa_alice read small &
drv=$!
for i in $(seq 100); do [ -s "$PD/pid" ] && break; sleep 0.1; done
hp=$(cat "$PD/pid" 2>/dev/null)
t_ok "$(hl_session_closed "$hp" 100 && echo 0)" \
	"the session is closed while the caller still pins its stdout"
t_is "$(ps -o ruid=,euid=,suid= -p "$hp" | tr -s ' ' | sed 's/^ //')" "$cu $cu $cu" \
	"the helper waits for its relay as the caller"
touch "$PD/release" # within the relay's 5 s grace
wait "$drv"
HL_RUNS=$((HL_RUNS + 1))
OUT=$(cat "$PD/answer")
t_is "$(cat "$PD/rc")" rc=0 "the helper ended ok"
t_is "$(jqr .status)/$(jqr '.result.data | length')" ok/6000 "and the caller got the whole answer once it let go"
as_caller pfa_caller fusermount -u "$CH/fmnt" 2>/dev/null || umount "$CH/fmnt"
case_end

case_begin "stdout a FIFO whose reader is gone, and comes back without reading"
mkfifo -m 600 "$P/c/fifo" && chown pfa_caller "$P/c/fifo"
drive fifo "$P/c/pw" --user pfa_alice --timeout 20 read big
# the driver's own second before the reader comes back is in MS
ended 10000 "the helper does not wait for a reader"
t_is "$RC" 8 "the read fails (op_failed: the output), not the timeout"
case_end

case_begin "stdout a file on FUSE (its server could hold a write past any signal)"
mkdir -p "$P/fsrc" "$P/fuse" && chmod 777 "$P/fsrc"
bindfs "$P/fsrc" "$P/fuse"
t_is "$(stat -f -c %t "$P/fuse")" 65735546 "a FUSE mount (bindfs)"
hl_bounded 60 pfa_caller "$H" --user pfa_alice auth <"$P/c/pw" >"$P/fuse/answer.json" 2>/dev/null
RC=$? HL_RUNS=$((HL_RUNS + 1))
t_is "$RC" 0 "auth: ok by the exit code"
t_is "$(stat -c %s "$P/fuse/answer.json")" 0 "but not a byte written to the FUSE file"
hl_bounded 60 pfa_caller "$H" --user pfa_alice read big <"$P/c/pw" >"$P/fuse/read.json" 2>/dev/null
RC=$? HL_RUNS=$((HL_RUNS + 1))
t_is "$RC" 8 "read: op_failed before the run"
hl_bounded 60 pfa_caller "$H" --user pfa_alice auth <"$P/c/pw" >"$P/fsrc/answer.json" 2>/dev/null
OUT=$(cat "$P/fsrc/answer.json")
HL_RUNS=$((HL_RUNS + 1))
t_is "$(jqr .status)" ok "control: the same file outside FUSE gets the answer"
umount "$P/fuse"
case_end

case_begin "--raw data read by the caller after the helper ended, the file rewritten"
head -c 524288 /dev/zero | tr '\0' 'O' >"$AH/late" && chown pfa_alice "$AH/late"
rm -f "$P/c/late.done" "$P/c/late.go"
hl_bounded 60 pfa_caller env LATE_DONE="$P/c/late.done" LATE_GO="$P/c/late.go" \
	python3 "$HL_DIR/outdrive.py" late "$P/c/pw" "$H" --user pfa_alice --raw read late >"$P/late.out" &
dp=$!
for i in $(seq 600); do
	[ -e "$P/c/late.done" ] && break
	sleep 0.05
done
t_ok "$([ -e "$P/c/late.done" ] && echo 0)" "the helper ended before the caller read"
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.write(b"N" * 524288); f.close()' "$AH/late"
touch "$P/c/late.go"
wait "$dp"
HL_RUNS=$((HL_RUNS + 1))
t_is "$(sed -n 1p "$P/late.out")" "rc=0 ms=$(sed -n 's/.* ms=//p' "$P/late.out")" "the raw read succeeded"
t_is "$(sed -n 2p "$P/late.out")" "bytes=524288 old=524288 new=0" \
	"the caller got the bytes of the run, not the later write"
case_end

# A reader slower than what the relay holds at the end can drain within its
# 5 s grace (up to 1.25 MiB; here 1 MB at ~100 KB/s): the grace runs from
# the relay's last write, so a slow reader still gets every byte; one that
# stops does not.
case_begin "a slow reader of a raw read gets every byte"
head -c 1000000 /dev/urandom >"$AH/slow" && chown pfa_alice "$AH/slow"
hl_bounded 60 pfa_caller sh -c '"$1" --raw --user pfa_alice read slow <"$2" 2>"$3" |
	python3 -c "import sys, time
n = 0
while True:
    b = sys.stdin.buffer.read1(16384)
    if not b:
        break
    n += len(b)
    time.sleep(0.16)
print(n)"' - "$H" "$P/c/pw" "$P/c/slow.json" >"$P/slow.n"
HL_RUNS=$((HL_RUNS + 1))
OUT=$(cat "$P/c/slow.json")
t_is "$(jqr .status)/$(jqr .result.size)" ok/1000000 "the raw read ended ok"
t_is "$(cat "$P/slow.n")" 1000000 "and the slow reader got all of it"
case_end

case_summary
