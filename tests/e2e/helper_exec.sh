#!/bin/bash
# The helper's `exec`: output, exit code, signal, binary output, truncation,
# input after the password line, a safe PATH; and the PAM session closed
# exactly once after success, failure, crash, timeout and the caller's
# signals.
. "$PFA_SRCDIR/tests/e2e/lib.sh"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec id -un
t_is "$(jqr .status)" ok "exec: ok"
t_is "$(jqj .result.stdout)" '"pfa_alice\n"' "exec: the command ran as the user"
t_is "$(jqr .result.exit_code)" 0 "exec: exit code"
t_is "$(jqr .result.stdout_truncated)" false "exec: not truncated"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'echo out; echo err >&2; exit 7'
t_is "$(jqr .result.exit_code)" 7 "exec: a non-zero exit code is reported"
t_is "$(jqj .result.stderr)" '"err\n"' "exec: stderr"
t_is "$(jqr .status)" ok "exec: the operation itself succeeded"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'kill -TERM $$'
t_is "$(jqr .result.signal)" 15 "exec: a signal is reported"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'printf "\377\376"'
t_is "$(jqr .result.stdout_encoding)" base64 "exec: binary output is base64"
t_is "$(jqr .result.stdout)" "//4=" "exec: base64 content"

OUT=$(printf '%s\nline one\nline two\n' "$LAB_ALICE_PW" | as_caller pfa_caller "$H" --user pfa_alice exec cat)
t_is "$(jqj .result.stdout)" '"line one\nline two\n"' "exec: what follows the password line is the command's stdin"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec no-such-command-pfa
t_is "$(jqr .status)" op_failed "exec: a missing command fails the operation"
t_ok "$(jqr .error | grep -q ENOENT && echo 0)" "exec: the error names ENOENT: $(jqr .error)"
mkdir -p /tmp/pfa-evil && printf '#!/bin/sh\necho evil\n' >/tmp/pfa-evil/id && chmod 755 /tmp/pfa-evil/id
OUT=$(printf '%s\n' "$LAB_ALICE_PW" | as_caller pfa_caller env PATH=/tmp/pfa-evil "$H" --user pfa_alice exec id -un)
t_is "$(jqj .result.stdout)" '"pfa_alice\n"' "exec: the caller's PATH is not used"
rm -rf /tmp/pfa-evil

echo "max_output = 1K" >"$CONF"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec head -c 5000 /dev/zero
t_is "$(jqr '.result.stdout | length')" 1024 "exec: output cut at max_output"
t_is "$(jqr .result.stdout_truncated)" true "exec: and marked truncated"
rm -f "$CONF"

# Session pairing: every opened session is closed exactly once.
: >"$PAMLOG"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'kill -SEGV $$'
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice --timeout 1 exec sleep 30
t_is "$(jqr .status)" timeout "exec: timeout"
t_is "$RC" 9 "timeout exit code"
t_ok "$([ "$MS" -lt 6000 ] && echo 0)" "timeout honoured (${MS} ms)"
(printf '%s\n' "$LAB_ALICE_PW" | as_caller pfa_caller "$H" --user pfa_alice exec sleep 30 >"$P/term.json") &
sleep 1.5
hpid=$(pgrep -f "^$H --user pfa_alice exec sleep 30" | head -1)
as_caller pfa_caller kill -KILL "$hpid" 2>/dev/null
t_ok "$([ $? != 0 ] && echo 0)" "the caller cannot SIGKILL the helper once authorized"
as_caller pfa_caller kill -STOP "$hpid" 2>/dev/null
t_ok "$([ $? != 0 ] && echo 0)" "nor SIGSTOP it"
kill -TERM "$hpid"
wait
OUT=$(cat "$P/term.json")
t_is "$(jqr .status)" internal_error "SIGTERM mid-operation ends the request"
t_ok "$(jqr .error | grep -q 'signal 15' && echo 0)" "and says why: $(jqr .error)"
t_is "$(pgrep -u pfa_alice | wc -l)" 0 "no process of the user is left"
t_is "$(pam_count open_session)" 3 "three sessions opened"
t_is "$(pam_count close_session)" 3 "three sessions closed"

# A daemon that double-forks and keeps the pipe does not outlive the request.
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice --timeout 10 exec sh -c '(setsid sleep 60 &) ; echo started'
t_is "$(jqr .status)" ok "exec with a daemon: ok"
t_ok "$([ "$MS" -lt 8000 ] && echo 0)" "the daemon does not hold the answer back (${MS} ms)"
t_is "$(pgrep -u pfa_alice | wc -l)" 0 "the daemon is gone"

# The site's limits.conf applies to the operation (pam_limits).
echo "pfa_alice hard nofile 777" >>/etc/security/limits.conf
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'ulimit -Hn'
t_is "$(jqj .result.stdout)" '"777\n"' "limits.conf's nofile reaches the command"
t_done
