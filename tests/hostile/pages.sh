#!/bin/bash
# The result pipe that the root parent reads, against a target who serves
# the file being read from its own FUSE mount.  Page-cache pages in a pipe
# are confirmed (locked, if stale) by whoever reads them: had the child
# spliced the file's pages into the result pipe, the target's server could
# make them stale and keep them locked, and the root parent's read would
# wait where no signal reaches, its PAM session open.  The child copies:
# what waits is the child, which the deadline kills.  Then: a read that
# fails in the second pass is reported with its own errno.  (/dev/fuse usable by
# users, as udev makes it on Debian: a node in this test's private /dev.)
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

SIZE=8388608 # more than every pipe and buffer on the way hold
echo "max_output = 16M" >"$CONF"
AH=$(getent passwd pfa_alice | cut -d: -f6)
D=$P/c/lag T=$P/trap
mkdir -p "$D" "$T" "$AH/fmnt"
printf '%s\n' "$LAB_ALICE_PW" >"$D/pw"
chown -R pfa_caller "$P/c" && chmod 600 "$D/pw"
chown pfa_alice "$AH/fmnt" "$T" && chmod 755 "$T"
echo serve >"$T/mode" && chmod 644 "$T/mode"
umount /dev/fuse 2>/dev/null
rm -f /dev/fuse && mknod -m 666 /dev/fuse c 10 229
as_alice() { setpriv --reuid=pfa_alice --regid="$(id -g pfa_alice)" --init-groups -- \
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
held() { grep -c . "$P/trap.out" 2>/dev/null; }

case_begin "a target's FUSE server locks the pages of the file being read"
rm -f "$T/ready"
as_alice python3 "$HL_DIR/fusetrap.py" serve "$AH/fmnt" "$SIZE" "$T/mode" "$T/ready" &
for i in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.1; done
t_is "$(as_alice stat -c %s "$AH/fmnt/f" 2>&1)" "$SIZE" "the target's own FUSE file"
# The caller does not read yet: the relay, its pipe and the result pipe fill
# while the child sends the second pass.
hl_bounded 90 pfa_caller python3 "$HL_DIR/lagdrive.py" "$D" \
	"$H" --user pfa_alice --timeout 15 read fmnt/f &
drv=$!
for i in $(seq 100); do [ -s "$D/pid" ] && break; sleep 0.1; done
hp=$(cat "$D/pid" 2>/dev/null)
sleep 3
echo trap >"$T/mode"
as_alice python3 "$HL_DIR/fusetrap.py" arm "$AH/fmnt/f" "$SIZE" >"$P/trap.out" &
for i in $(seq 100); do [ "$(held)" = 1 ] && break; sleep 0.1; done
t_is "$(held)" 1 "the pages are stale and locked by reads the server holds"
sleep 1
touch "$D/go" # the caller reads: the parent reads the result pipe again
t_ok "$(hl_session_closed "$hp" 300 && echo 0)" \
	"the session is closed while the server still holds the pages"
state=$(ps -o stat=,wchan= -p "$hp" 2>/dev/null)
t_diag "the helper now: ${state:-gone}"
t_ok "$(case "$state" in D*) ;; *) echo 0 ;; esac)" "the helper is not in an uninterruptible wait"
echo release >"$T/mode"
wait "$drv"
HL_RUNS=$((HL_RUNS + 1))
OUT=$(cat "$D/answer")
t_diag "status $(jqr .status): $(jqr .error)"
t_is "$(jqr .status)/$(cat "$D/rc")" "timeout/rc=${HL_CODE[timeout]}" \
	"the read ended at its deadline (the child waited, not root)"
kill -KILL $(pgrep -u pfa_alice -f "fusetrap.py arm") 2>/dev/null
as_alice fusermount -u "$AH/fmnt" 2>/dev/null || umount -l "$AH/fmnt"
for i in $(seq 50); do [ "$(hl_target_procs)" = 0 ] && break; sleep 0.1; done
case_end

case_begin "a read error in the second pass is said as itself"
# The target's FUSE file reads fine once (text), then fails with EIO: the
# answer names EIO, not the result pipe (it said EPIPE before).
echo eio2 >"$T/mode"
rm -f "$T/ready"
as_alice python3 "$HL_DIR/fusetrap.py" serve "$AH/fmnt" 100 "$T/mode" "$T/ready" &
for i in $(seq 100); do [ -s "$T/ready" ] && break; sleep 0.1; done
hrun "$LAB_ALICE_PW" --user pfa_alice read fmnt/f
expect op_failed "a failed second pass fails the operation"
t_ok "$(jqr .error | grep -q '^EIO' && echo 0)" "with the read's own errno: $(jqr .error)"
as_alice fusermount -u "$AH/fmnt" 2>/dev/null || umount -l "$AH/fmnt"
for i in $(seq 50); do [ "$(hl_target_procs)" = 0 ] && break; sleep 0.1; done
case_end

case_summary
