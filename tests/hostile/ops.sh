#!/bin/bash
# A hostile operation (PITFALLS 10, 20, 22-24, 27): the target user's code
# crashes its own process, stops it, loops, forks daemons that keep the
# pipe (in the group, in new sessions, one that keeps forking), floods
# output, forges an answer in its output, and reaches for the processes
# above it.  For each: a clear status within the timeout plus a few
# seconds, the session closed once, nothing of the user left.
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

# Run an exec operation with a short timeout: hrun with a bound.
op() {
	hrun "$LAB_ALICE_PW" --user pfa_alice --timeout "$1" exec "${@:2}"
}
within() { t_ok "$([ "$MS" -lt "$1" ] && echo 0)" "$2 (${MS} ms)"; }
# after_op BOUND_MS DESC: the helper ended within BOUND_MS of the moment its
# operation printed "started EPOCH_MS" (the cleanup's time alone: starting
# hundreds of processes takes what the machine's load makes it take).
after_op() {
	local t0 d
	t0=$(jqr .result.stdout | sed -n 's/^started \([0-9]*\)$/\1/p')
	d=$(($(date +%s%3N) - ${t0:-0}))
	t_ok "$([ -n "$t0" ] && [ "$d" -lt "$1" ] && echo 0)" "$2 (${d} ms after the operation's end, ${MS} ms in all)"
}

case_begin "the operation's own process crashes (SIGSEGV, SIGABRT from below)"
op 10 sh -c 'kill -SEGV $PPID; sleep 5'
expect crashed "SIGSEGV: crashed"
t_ok "$(jqr .error | grep -q 'signal 11' && echo 0)" "and says which signal: $(jqr .error)"
op 10 sh -c 'kill -ABRT $PPID; sleep 5'
expect crashed "SIGABRT: crashed"
op 10 sh -c 'kill -KILL $PPID; sleep 5'
expect crashed "SIGKILL: crashed"
t_is "$(jqr .result)" "{}" "no result is rendered for a crash"
case_end

case_begin "the operation stops its own process, or loops deaf to signals"
op 2 sh -c 'kill -STOP $PPID; sleep 30'
expect timeout "stopped: timeout"
within 7000 "within the timeout and a few seconds"
op 2 sh -c 'trap "" TERM INT HUP QUIT; while :; do :; done'
expect timeout "a busy loop ignoring signals: timeout"
within 7000 "within the timeout and a few seconds"
op 2 sh -c 'exec >&- 2>&- <&-; trap "" TERM HUP; sleep 30'
expect timeout "closed its stdio and sleeps: timeout"
within 7000 "within the timeout and a few seconds"
case_end

case_begin "daemons that keep the pipe"
op 10 sh -c 'sleep 60 & echo started'
expect ok "a background sleep holding stdout, same group: ok"
within 8000 "not waited for"
t_is "$(jqr .result.stdout)" started "its output before the exit is kept"
op 10 sh -c '(trap "" HUP TERM; setsid nohup sleep 60 </dev/null >/dev/null 2>&1 &); echo started'
expect ok "double fork + setsid + nohup, deaf to HUP/TERM: ok"
within 8000 "not waited for"
op 10 sh -c 'for i in $(seq 100); do setsid sleep 60 & done; echo started'
expect ok "100 daemons in their own sessions: ok"
within 8000 "not waited for"
case_end

case_begin "a daemon that keeps forking new sessions"
op 10 sh -c 'setsid sh -c "while :; do setsid sleep 60 & sleep 0.01; done" & sleep 1; echo started'
expect ok "a hydra: ok"
within 9000 "not waited for"
sleep 1
t_is "$(hl_target_procs)" 0 "a second later nothing of the user respawned"
case_end

# A chain: each process forks the next as its own child, then becomes a
# sleep; killing only the helper's direct children would take one round
# per level (700 levels outlast the 5 s cleanup bound).
case_begin "a chain of 700 processes in a new session, each the parent of the next"
op 20 sh -c 'setsid sh -c '"'"'c() { if [ "$1" -gt 0 ]; then c $(($1 - 1)) & fi; exec sleep 120; }; c 700'"'"' \
	</dev/null >/dev/null 2>&1 & sleep 4; echo started $(date +%s%3N)'
expect ok "a chain: ok"
after_op 10000 "not waited for"
t_diag "processes of the target a moment later: $(hl_target_procs)"
case_end

# The same chain, but each process forks the next from a second thread:
# the kernel lists such a child only in that thread's children file, so a
# cleanup that reads the main thread's alone finds nothing below each node.
case_begin "a chain of 600 processes, each forked from a thread of the one before"
cc -pthread -o "$P/bin/tchain" "$HL_DIR/tchain.c"
op 30 sh -c "$P/bin/tchain 600 </dev/null >/dev/null 2>&1 &
	while [ \$(pgrep -c -u \$(id -u)) -lt 602 ]; do sleep 0.2; done; echo started \$(date +%s%3N)"
expect ok "a thread-forked chain: ok"
t_is "$(jqr .result.stdout | cut -d' ' -f1)" "started" "all 600 were running"
after_op 10000 "not waited for"
sleep 1
t_is "$(hl_target_procs)" 0 "a second later no process of the chain is left"
case_end

case_begin "the operation floods output"
op 3 yes
expect timeout "yes: timeout (its output is cut at max_output, the rest discarded)"
within 8000 "within the timeout and a few seconds"
op 3 sh -c 'yes >&2'
expect timeout "yes on stderr: timeout"
op 20 head -c 50000000 /dev/urandom
expect ok "50 MB of binary: ok"
t_is "$(jqr .result.stdout_encoding)/$(jqr .result.stdout_truncated)" base64/true "base64, truncated"
t_is "$(jqr .result.stdout | base64 -d | wc -c)" 1048576 "cut at max_output (1 MiB)"
t_ok "$([ "${#OUT}" -lt 1500000 ] && echo 0)" "the answer stays bounded (${#OUT} bytes)"
op 20 sh -c 'seq 100000'
expect ok "100,000 small writes: ok"
t_is "$(jqr '.result.stdout | split("\n") | .[-2]')/$(jqr .result.stdout_truncated)" 100000/false "all of them"
hrun_in <(printf '%s\n' "$LAB_ALICE_PW"; cat /dev/zero) --user pfa_alice --timeout 3 exec cat
expect timeout "cat of an endless stdin: timeout"
case_end

case_begin "output of 0 B, 1 B, 64 KiB + 1, the cap, the cap + 1 (PITFALLS 24)"
for n in 0 1 65537 1048576 1048577; do
	op 20 sh -c "head -c $n /dev/zero | tr '\\0' x"
	want=$([ "$n" -gt 1048576 ] && echo 1048576/true || echo "$n/false")
	t_is "$(jqr '.result.stdout | length')/$(jqr .result.stdout_truncated)" "$want" "$n bytes: $want"
done
case_end

case_begin "ten requests at once, for two users, some failing"
pids=()
for i in $(seq 10); do
	u=pfa_alice pw=$LAB_ALICE_PW
	[ $((i % 2)) = 0 ] && u=pfa_bob pw=$LAB_BOB_PW
	[ "$i" = 7 ] && pw=wrong-password
	printf '%s\n' "$pw" >"$P/par.$i.in"
	hl_bounded 60 pfa_caller "$H" --user "$u" --timeout 10 exec sh -c 'sleep 0.5; (setsid sleep 60 &); id -un' \
		<"$P/par.$i.in" >"$P/par.$i.json" 2>/dev/null &
	pids+=($!)
done
bad=0
for i in $(seq 10); do
	wait "${pids[i - 1]}"
	RC=$? OUT=$(cat "$P/par.$i.json") HL_RUNS=$((HL_RUNS + 1))
	u=pfa_alice want=ok/0
	[ $((i % 2)) = 0 ] && u=pfa_bob
	[ "$i" = 7 ] && want=auth_failed/1
	[ "$(jqr .status)/$RC" = "$want" ] || bad=$((bad + 1))
	[ "$want" = auth_failed/1 ] || [ "$(jqr .result.stdout)" = "$u" ] || bad=$((bad + 1))
done
t_is "$bad" 0 "each got its own answer, as its own user"
case_end

case_begin "the operation forges an answer in its output"
op 10 printf '%s' '","uid":0,"status":"ok","user":"root"}'
expect ok "runs"
t_is "$(jqr .uid)/$(jqr .user)" "$(id -u pfa_alice)/pfa_alice" "who ran comes from the parent's record"
t_is "$(jqr .result.stdout)" '","uid":0,"status":"ok","user":"root"}' "the forgery is just a string"
case_end

# As the user, from below: the operation's own process is not dumpable and
# the helper is root: neither can be read, traced or signalled (but the
# operation's process by SIGKILL-like ends, tried above).
REACH='p=$PPID; h=$(awk "{ print \$4 }" /proc/$p/stat)
ls /proc/$p/fd >/dev/null 2>&1 && echo "read the fds of $p"
ls /proc/$h/fd >/dev/null 2>&1 && echo "read the fds of the helper"
cat /proc/$p/environ >/dev/null 2>&1 && echo "read the environ of $p"
head -c1 /proc/$p/mem >/dev/null 2>&1 && echo "opened the memory of $p"
head -c1 /proc/$h/mem >/dev/null 2>&1 && echo "opened the memory of the helper"
for s in 0 TERM STOP KILL; do kill -$s $h 2>/dev/null && echo "signalled the helper: $s"; done
for f in /proc/$p/fd/*; do echo x >"$f" 2>/dev/null && echo "wrote to $f"; done
echo "helper $h"'
case_begin "the operation reaches for the processes above it"
op 10 sh -c "$REACH"
expect ok "runs"
t_is "$(jqr .result.stdout | grep -v '^helper ')" "" "nothing read, traced, written or signalled"
t_ok "$(jqr .result.stdout | grep -qE '^helper [0-9]+$' && echo 0)" "(it found the helper: $(jqr .result.stdout))"
case_end

case_summary
