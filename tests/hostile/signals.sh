#!/bin/bash
# Signals and the answer's pipe (PITFALLS 10-12): the caller's signals at
# random moments before authorization (allowed: nothing is open yet) and
# after it (EPERM: the real uid is root); root's and the terminal's
# SIGTERM, SIGINT, SIGHUP, SIGQUIT (the request ends, the session is
# closed), SIGSTOP/SIGCONT and the job-control signals (ignored); signals
# during the failure delay (not shortened); the caller closing its end of
# stdout, or not reading it (the session is closed before the answer is
# written).
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

mkdir -p "$P/c" && chown pfa_caller "$P/c"
SEED=${HOSTILE_SEED:-$(date +%s)}
RANDOM=$SEED
STORM='"$1" --user pfa_alice exec sleep 0.3 <"$2" >"$3" 2>/dev/null &
p=$!
[ "$4" = 0 ] || sleep "$4"
kill -s "$5" "$p" 2>/dev/null
k=$?
[ "$5" = STOP ] && [ "$k" = 0 ] && { sleep 0.3; kill -s CONT "$p"; }
wait "$p"
echo "$k $?"'
case_begin "the caller's signals at random moments before and around authorization (seed $SEED)"
HL_LOG_EXACT=0
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
sigs=(TERM INT HUP QUIT KILL STOP)
declare -A num=([TERM]=15 [INT]=2 [HUP]=1 [QUIT]=3 [KILL]=9 [STOP]=19)
bad=0 killed=0 refused=0 interrupted=0
for i in $(seq 24); do
	# no delay (the signal meets the exec), or 1 to 8 ms
	s=${sigs[RANDOM % 6]} d=$((RANDOM % 12))
	d=$([ "$d" -lt 4 ] && echo 0 || printf '0.%03d' $((d - 3)))
	read -r k rc < <(hl_bounded 60 pfa_caller bash -c "$STORM" - "$H" "$P/pw.in" "$P/c/storm.json" "$d" "$s")
	HL_RUNS=$((HL_RUNS + 1))
	OUT=$(cat "$P/c/storm.json")
	# A background job of a shell starts with SIGINT and SIGQUIT ignored:
	# before sanitize resets them, they are lost and the run goes on.
	if [ "$k" = 0 ] && [ "$s" != STOP ] && [ "$rc" -ge 128 ]; then
		killed=$((killed + 1))
		[ "$rc" = $((128 + ${num[$s]})) ] || { bad=$((bad + 1)); t_diag "SIG$s at ${d}s: exit $rc"; }
	elif [ "$k" = 0 ] && [ "$rc" = 11 ]; then
		# caught once sanitize installed the handlers, before the real
		# uid became root: the request ends with its answer
		interrupted=$((interrupted + 1))
		{ shape_ok && [ "$(jqr .error)" = "interrupted by signal ${num[$s]}" ] &&
			[ "$(jqr '.pam.open_session == null or .pam.close_session != null')" = true ]; } ||
			{ bad=$((bad + 1)); t_diag "SIG$s at ${d}s: exit $rc, $OUT"; }
	else
		[ "$k" = 0 ] || refused=$((refused + 1))
		{ [ "$rc" = 0 ] && shape_ok && [ "$(jqr .status)" = ok ]; } ||
			{ bad=$((bad + 1)); t_diag "SIG$s at ${d}s (kill: $k): exit $rc, $OUT"; }
	fi
done
t_is "$bad" 0 "each run was killed or interrupted before authorization, or answered ok ($killed killed, $interrupted interrupted, $refused refused with EPERM)"
case_end

case_begin "the caller's signals after authorization: EPERM"
bg_start --user pfa_alice --timeout 20 exec sleep 2.1
wait_op "sleep 2.1"
for s in TERM INT HUP QUIT KILL STOP USR1 ALRM; do
	as_caller pfa_caller kill -s "$s" "$HP" 2>/dev/null
	t_ok "$([ $? != 0 ] && echo 0)" "SIG$s from the caller is refused"
done
as_caller pfa_caller kill -s CONT "$HP" 2>/dev/null
t_is "$?" 0 "SIGCONT is allowed (same session) and harmless"
bg_end
expect ok "the run ends ok"
case_end

case_begin "root's (a terminal's) SIGTERM, SIGINT, SIGHUP, SIGQUIT mid-operation"
declare -A want=([TERM]=15 [INT]=2 [HUP]=1 [QUIT]=3)
for s in TERM INT HUP QUIT; do
	bg_start --user pfa_alice exec sleep 30.2
	wait_op "sleep 30.2"
	t0=$(date +%s%N)
	kill -s "$s" "$HP"
	bg_end
	MS=$((($(date +%s%N) - t0) / 1000000))
	expect internal_error "SIG$s: the request ends"
	t_ok "$(jqr .error | grep -qx "interrupted by signal ${want[$s]}" && echo 0)" "SIG$s: says so: $(jqr .error)"
	t_ok "$([ "$MS" -lt 5000 ] && echo 0)" "SIG$s: at once (${MS} ms)"
done
case_end

case_begin "root's signals during the failure delay do not shorten it"
BG_PW=wrong-password
t0=$(date +%s%N)
bg_start --user pfa_alice auth
sleep 1
kill -TERM "$HP" && kill -INT "$HP" && kill -HUP "$HP"
bg_end
MS=$((($(date +%s%N) - t0) / 1000000))
expect auth_failed "the failure is reported"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "after the whole delay (${MS} ms)"
BG_PW=$LAB_ALICE_PW
case_end

case_begin "root's SIGSTOP and SIGCONT, and the job-control signals, mid-operation"
bg_start --user pfa_alice --timeout 20 exec sleep 2.2
wait_op "sleep 2.2"
kill -STOP "$HP"
sleep 1
kill -CONT "$HP"
kill -TSTP "$HP" && kill -TTIN "$HP" && kill -TTOU "$HP"
bg_end
expect ok "stopped for a second, then TSTP, TTIN, TTOU: the run ends ok"
case_end

case_begin "the caller closes its end of stdout"
rc=$(hl_bounded 60 pfa_caller bash -c '"$@" <"$0" | true; echo "${PIPESTATUS[0]}"' \
	"$P/pw.in" "$H" --user pfa_alice exec head -c 3000000 /dev/urandom)
HL_RUNS=$((HL_RUNS + 1))
t_is "$rc" 0 "closed at once: the helper ends with the request's own exit code"
rc=$(hl_bounded 60 pfa_caller bash -c '"$@" <"$0" | (sleep 0.5; exit 0); echo "${PIPESTATUS[0]}"' \
	"$P/pw.in" "$H" --user pfa_alice exec sleep 1.5)
HL_RUNS=$((HL_RUNS + 1))
t_is "$rc" 0 "closed mid-run: the same"
case_end

case_begin "the caller does not read stdout: the session is closed before the answer blocks"
hl_bounded 60 pfa_caller bash -c '"$@" <"$0" | (sleep 30.3; cat >/dev/null)' \
	"$P/pw.in" "$H" --user pfa_alice --timeout 2 exec head -c 3000000 /dev/urandom &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice --timeout 2 exec head -c 3000000 /dev/urandom$')
t_ok "$(hl_session_closed "$hp" 200 && echo 0)" "the session was closed"
t_ok "$(kill -0 "$hp" 2>/dev/null && echo 0)" "while the helper still waits to write its answer"
cu=$(id -u pfa_caller)
t_is "$(ps -o ruid=,euid=,suid= -p "$hp" | tr -s ' ' | sed 's/^ //')" "$cu $cu $cu" \
	"and waits as the caller, not as root (caller_become_caller)"
# The answer is written with a grace of 5 s (REPLY_GRACE_MS in reply.c).
for i in $(seq 100); do
	kill -0 "$hp" 2>/dev/null || break
	sleep 0.1
done
t_ok "$(kill -0 "$hp" 2>/dev/null || echo 0)" "the helper gives up on the answer within its 5 s grace and a few"
kill "$(pgrep -f '^sleep 30.3$')"
wait "$bg"
HL_RUNS=$((HL_RUNS + 1))
t_ok "$(kill -0 "$hp" 2>/dev/null || echo 0)" "it ends once the reader is gone"
case_end

case_begin "signals while pam_close_session waits for a module's child"
printf '#!/bin/sh\n[ "$PAM_TYPE" = close_session ] && sleep 2.5\nexit 0\n' >"$P/slowclose.sh"
chmod 755 "$P/slowclose.sh"
echo "session optional pam_exec.so quiet $P/slowclose.sh" >>/etc/pam.d/pipefork-as
bg_start --user pfa_alice exec true
for i in $(seq 200); do
	pgrep -x -f 'sleep 2.5' >/dev/null && break
	sleep 0.05
done
t_ok "$(pgrep -x -f 'sleep 2.5' >/dev/null && echo 0)" "the close is under way"
kill -TERM "$HP" && kill -INT "$HP" && kill -HUP "$HP" && kill -QUIT "$HP"
bg_end
expect ok "TERM, INT, HUP, QUIT during the close: the close completes, the answer stands"
t_is "$(jqr .pam.close_session.name)" PAM_SUCCESS "close_session succeeded"
hl_pam_service
case_end

# A caller that never sends its password: the helper holds no session and
# no lock yet, and gives up after 60 s (SECRET_WAIT_MS in cli.h), so a
# caller cannot keep root processes that its RLIMIT_NPROC does not count.
case_begin "a caller that never sends the password"
mkfifo -m 600 "$P/c/never" && chown pfa_caller "$P/c/never"
hl_bounded 90 pfa_caller bash -c 'exec 3<>"$0"; "$@" <"$0"' "$P/c/never" \
	"$H" --user pfa_alice --timeout 2 auth >"$P/never.json" &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice --timeout 2 auth$')
for i in $(seq 750); do
	kill -0 "$hp" 2>/dev/null || break
	sleep 0.1
done
t_ok "$(kill -0 "$hp" 2>/dev/null || echo 0)" "the helper gives up within the password's 60 s and a few"
kill -KILL "$hp" 2>/dev/null
wait "$bg"
OUT=$(cat "$P/never.json")
t_is "$(jqr .status)" bad_request "the answer says bad_request"
HL_RUNS=$((HL_RUNS + 1)) HL_LOG_EXACT=0
case_end
HL_LOG_EXACT=1

# The terminal: the helper reads the password there (PAM's prompt) and
# gets ^C, ^\, ^Z and a hangup from the kernel.
TTY_OP=(sleep 30.4)
tty_run() {
	OUT=$(timeout -k 3 60 python3 "$HL_DIR/ptydrive.py" expect:Password: "send:$LAB_ALICE_PW\\n" \
		"$@" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=pfa_caller \
		--regid="$(id -g pfa_caller)" --init-groups -- "$H" --user pfa_alice exec "${TTY_OP[@]}")
	RC=$? HL_RUNS=$((HL_RUNS + 1))
	OUT=$(printf '%s\n' "$OUT" | grep -o '{"version".*')
}
case_begin "a terminal's ^C, ^\\, ^Z and hangup"
tty_run sleep:2 'send:\x03'
expect internal_error "^C: the request ends"
t_is "$(jqr .error)" "interrupted by signal 2" "^C: SIGINT"
t_is "$(jqr .pam.set_tty.name)" PAM_SUCCESS "PAM_TTY was set"
tty_run sleep:2 'send:\x1c'
t_is "$(jqr .error)" "interrupted by signal 3" "^\\: SIGQUIT"
tty_run sleep:2 'send:\x1a' sleep:1 'send:\x03'
t_is "$(jqr .error)" "interrupted by signal 2" "^Z is ignored; a later ^C still ends it"
tty_run sleep:2 hangup
t_is "$RC" 11 "hangup: SIGHUP ends the request (internal_error by exit code; the answer has no terminal)"
case_end

# A read's data reaches stdout through a relay (relay.c) that must not be
# in the terminal's process group: ^C or ^Z there would kill or stop it,
# and the caller would get nothing at all, not even the answer.
case_begin "a terminal's ^C and ^Z during a read"
AH=$(getent passwd pfa_alice | cut -d: -f6)
echo hello >"$AH/small" && chown pfa_alice "$AH/small"
for key in '\x03' '\x1a'; do
	OUT=$(timeout -k 3 60 python3 "$HL_DIR/ptydrive.py" expect:Password: 'send:not-it\n' sleep:1 \
		"send:$key" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=pfa_caller \
		--regid="$(id -g pfa_caller)" --init-groups -- "$H" --user pfa_alice read small)
	RC=$? HL_RUNS=$((HL_RUNS + 1))
	OUT=$(printf '%s\n' "$OUT" | grep -o '{"version".*')
	t_diag "$key: exit $RC, $(jqr -c '[.status, .error]' 2>&1)"
	expect auth_failed "$key in the failure delay: the whole answer still arrives"
done
case_end

# ^C at the password prompt: the signal waits until echo is back on, the
# typed line is still read, and the request ends as interrupted.  (The
# shell around the helper, in the same process group, ignores the ^C so
# that it lives to show the terminal's state; the helper resets that.)
case_begin "a terminal's ^C at the password prompt, then the password"
OUT=$(timeout -k 3 60 python3 "$HL_DIR/ptydrive.py" expect:Password: 'send:\x03' sleep:0.5 \
	"send:$LAB_ALICE_PW\\n" -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin setpriv --reuid=pfa_caller \
	--regid="$(id -g pfa_caller)" --init-groups -- sh -c 'trap "" INT; "$0" --user pfa_alice auth; stty -a' "$H")
HL_RUNS=$((HL_RUNS + 1))
t_ok "$(grep -qE '(^| )echo( |$)' <<<"$OUT" && ! grep -qE '(^| )-echo( |$)' <<<"$OUT" && echo 0)" \
	"echo is on again afterwards"
t_is "$(grep -c -- "$LAB_ALICE_PW" <<<"$OUT")" 0 "the password was never echoed"
OUT=$(grep -o '{"version".*' <<<"$OUT") RC=11
expect internal_error "the request ends"
t_is "$(jqr .error)" "interrupted by signal 2" "with the SIGINT it got at the prompt"
case_end

case_begin "the operation gets no terminal to push input into (TIOCSTI)"
TTY_OP=(sh -c 'ls -l /proc/self/fd/; tty; : </dev/tty && echo "opened /dev/tty"')
tty_run
expect ok "runs from a terminal"
t_is "$(jqr .result.stdout | grep -cE 'pts|opened /dev/tty')" 0 "no fd on the terminal, no controlling terminal"
t_ok "$(jqr .result.stdout | grep -qx 'not a tty' && echo 0)" "its stdin is not a terminal"
case_end

case_summary
