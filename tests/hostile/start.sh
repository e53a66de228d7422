#!/bin/bash
# Hostile process start (PITFALLS 1-3, 5): what the caller makes the helper
# inherit.  argc == 0 with a pkexec-style GCONV_PATH/CHARSET trap; fds 0, 1,
# 2 closed (the answer never lands in a file the helper opens); fds >= 3
# inherited (invisible to the operation and gone from the helper); a
# poisoned environment (reaches neither PAM, nor the helper's memory, nor
# the operation; PAM_SERVICE picks nothing).
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

# The trap: evil.so marks $MARK when anything loads it, as LD_PRELOAD or as
# the gconv module of charset PWNKIT found through GCONV_PATH.
W=$P/pwn MARK=$P/mark
mkdir -p "$W/pwnkit" "$W/GCONV_PATH=." "$MARK"
chmod 1777 "$MARK"
cc -shared -fPIC -DMARKDIR="\"$MARK\"" -o "$W/evil.so" "$HL_DIR/evil.c"
cp "$W/evil.so" "$W/pwnkit/pwnkit.so"
printf 'module UTF-8// PWNKIT// pwnkit 1\nmodule PWNKIT// UTF-8// pwnkit 1\n' >"$W/pwnkit/gconv-modules"
printf '#!/bin/sh\necho pwned\n' >"$W/GCONV_PATH=./pwnkit"
printf 'touch %s/bash_env.$(id -u)\n' "$MARK" >"$W/bash_env.sh"
printf '#!/bin/sh\ntouch %s/path.$(id -u)\necho evil\n' "$MARK" >"$W/id"
chmod -R a+rX "$W"
chmod 755 "$W/GCONV_PATH=./pwnkit" "$W/id"
install -m 755 "$PFA_BUILDDIR/tests/hostile/hexec" "$P/bin/hexec"
marks() { find "$MARK" -type f | wc -l; }

case_begin "the trap works when honoured (control)"
as_caller pfa_caller env GCONV_PATH="$W/pwnkit" iconv -f PWNKIT -t UTF-8 </dev/null >/dev/null 2>&1
t_ok "$([ "$(marks)" -ge 1 ] && echo 0)" "iconv loads the PWNKIT module from GCONV_PATH"
rm -f "$MARK"/*
as_caller pfa_caller env LD_PRELOAD="$W/evil.so" /bin/true
t_ok "$([ "$(marks)" -ge 1 ] && echo 0)" "LD_PRELOAD loads evil.so into a plain program"
rm -f "$MARK"/*
case_end

case_begin "argc == 0 with GCONV_PATH and CHARSET (pkexec CVE-2021-4034)"
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
OUT=$(cd "$W" && as_caller pfa_caller "$P/bin/hexec" "$H" pwnkit 'PATH=GCONV_PATH=.' CHARSET=PWNKIT \
	SHELL=pwnkit GCONV_PATH="$W/pwnkit" LC_ALL=C.UTF-8 <"$P/pw.in")
RC=$?
HL_RUNS=$((HL_RUNS + 1))
expect bad_request "refused with bad_request"
# Linux >= 5.18 execs an empty argv as {""} (argc 1): then the command line
# is empty; older kernels give argc 0 and the helper's own check answers.
t_ok "$(jqr .error | grep -qxE 'empty argument vector|missing operation' && echo 0)" \
	"and says why: $(jqr .error)"
t_is "$(marks)" 0 "nothing was loaded"
hl_sync
t_is "$(grep -c '^auth ' "$PAMLOG")" 0 "PAM never started"
t_ok "$(hl_new_log | grep -q 'target=- service=- op=-' && echo 0)" "logged with no target"
case_end

# Where the answer must not land when fd 1 was closed.
no_answer_in_files() {
	local f
	f=$(grep -rlsF '"version":1' /run /var/log "$PFA_SYSCONFDIR" /etc/pam.d "$P" 2>/dev/null | head -3)
	t_is "$f" "" "$1: the answer is in no file"
}

case_begin "fds 0, 1, 2 closed"
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
as_caller pfa_caller "$H" --user pfa_alice auth <"$P/pw.in" >&- 2>&-
RC=$? HL_RUNS=$((HL_RUNS + 1))
t_is "$RC" 0 "stdout and stderr closed: authenticated (exit 0)"
no_answer_in_files "stdout and stderr closed"
as_caller pfa_caller "$H" --user pfa_alice exec sh -c 'ls -l /proc/$$/fd >&2' <"$P/pw.in" >&-
RC=$? HL_RUNS=$((HL_RUNS + 1))
t_is "$RC" 0 "stdout closed: exec ran (exit 0)"
no_answer_in_files "stdout closed"
OUT=$(as_caller pfa_caller "$H" --user pfa_alice auth <&- 2>&-)
RC=$? HL_RUNS=$((HL_RUNS + 1))
expect bad_request "stdin closed: no password (bad_request)"
t_is "$(jqr .error)" "no password on stdin" "and says why"
as_caller pfa_caller "$H" --user pfa_alice auth <&- >&- 2>&-
RC=$? HL_RUNS=$((HL_RUNS + 1))
t_is "$RC" 6 "all three closed: bad_request by exit code"
no_answer_in_files "all three closed"
case_end

case_begin "fds >= 3 inherited"
printf 'CALLER-SECRET\n' >"$P/callerfile"
chown pfa_caller "$P/callerfile"
chmod 600 "$P/callerfile"
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
OUT=$(as_caller pfa_caller bash -c 'exec 3<"$1" 4<>"$1" 9<"$1" 200<"$1" 1000<"$1"; shift; exec "$@"' \
	- "$P/callerfile" "$H" --user pfa_alice exec ls -l /proc/self/fd <"$P/pw.in")
RC=$? HL_RUNS=$((HL_RUNS + 1))
expect ok "exec ls -l /proc/self/fd with fds 3, 4, 9, 200, 1000 open"
fds=$(jqr .result.stdout | awk '$9 ~ /^[0-9]+$/ { print $9 }' | tr '\n' ' ')
t_is "$fds" "0 1 2 3 " "the command sees 0, 1, 2 and its own directory fd only"
t_is "$(jqr .result.stdout | grep -c callerfile)" 0 "no fd of the caller's file"
t_ok "$(jqr .result.stdout | awk '$9 == 3 { print $11 }' | grep -qxE '/proc/[0-9]+/fd' && echo 0)" \
	"fd 3 is ls's own /proc/self/fd"
case_end

case_begin "fds >= 3 inherited: the helper holds none of them"
as_caller pfa_caller "$H" --user pfa_alice exec sleep 3.1 <"$P/pw.in" >"$P/base.json" &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice exec sleep 3.1$')
sleep 1.5
base=$(hl_fds "$hp")
wait "$bg"
as_caller pfa_caller bash -c 'exec 3<"$1" 4<>"$1" 9<"$1" 200<"$1" 1000<"$1"; shift; exec "$@"' \
	- "$P/callerfile" "$H" --user pfa_alice exec sleep 3.2 <"$P/pw.in" >"$P/fds.json" &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice exec sleep 3.2$')
sleep 1.5
t_is "$(ls -l /proc/"$hp"/fd | grep -c callerfile)" 0 "the helper does not hold the caller's fds"
t_is "$(hl_fds "$hp")" "$base" "its fds during the run are the usual ones ($base)"
wait "$bg"
RC=$? HL_RUNS=$((HL_RUNS + 2))
OUT=$(cat "$P/fds.json")
expect ok "the run ended ok"
case_end

POISON=(LD_PRELOAD="$W/evil.so" LD_LIBRARY_PATH="$W" LD_AUDIT="$W/evil.so" GCONV_PATH="$W/pwnkit"
	CHARSET=PWNKIT LANG=C.PWNKIT LC_ALL=C.PWNKIT LOCPATH="$W" NLSPATH="$W/%N" HOSTALIASES="$W/hosts"
	RESOLV_HOST_CONF="$W/hosts" TZ=":$W/tz" TZDIR="$W" BASH_ENV="$W/bash_env.sh" ENV="$W/bash_env.sh"
	IFS=/ PATH="$W:/usr/bin:/bin" PAM_SERVICE=evilsvc INPUTRC="$W/inputrc" HOME="$W" SHELL="$W/id"
	MALLOC_CHECK_=3 PFA_FROM_CALLER=1)
NAMES=$(printf '%s\n' "${POISON[@]}" | cut -d= -f1 | grep -vxE 'PATH|HOME|SHELL' | tr '\n' '|')
printf 'auth sufficient pam_permit.so\naccount sufficient pam_permit.so\nsession optional pam_exec.so quiet %s\n' \
	"$P/pamlog.sh" >/etc/pam.d/evilsvc

case_begin "a poisoned environment"
HR_WRAP=(env "${POISON[@]}")
hrun "$LAB_ALICE_PW" --user pfa_alice exec /usr/bin/env
expect ok "exec env under a poisoned environment"
t_is "$(jqr .result.stdout | grep -cE "^(${NAMES%|})=")" 0 "none of the caller's variables reaches the command"
t_is "$(jqr .result.stdout | grep -E '^(PATH|HOME|SHELL)=' | sort | tr '\n' ' ')" \
	"HOME=/home/pfa_alice PATH=/usr/local/bin:/usr/bin:/bin SHELL=/bin/bash " "PATH, HOME, SHELL are the target's"
hrun "$LAB_ALICE_PW" --user pfa_alice exec bash -c 'echo bash ran'
t_is "$(jqr .result.stdout)" "bash ran" "bash runs without BASH_ENV"
hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
t_is "$(jqr .result.stdout)" pfa_alice "id comes from the safe PATH"
t_is "$(marks)" 0 "nothing loaded or run from the caller's environment (evil.so, BASH_ENV, PATH)"
hrun wrong-password --user pfa_alice auth
expect auth_failed "PAM_SERVICE=evilsvc does not pick a permissive service"
t_is "$(tail -n +"$((HL_PAM0 + 1))" "$PAMLOG" | awk '$1 != "sync" { print $NF }' | sort -u)" pipefork-as \
	"every PAM event came from the pipefork-as service"
HR_WRAP=()
case_end

case_begin "a poisoned environment: not in the helper's memory"
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
as_caller pfa_caller env "${POISON[@]}" "$H" --user pfa_alice exec sleep 3.3 <"$P/pw.in" >"$P/env.json" &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice exec sleep 3.3$')
sleep 1.5
t_is "$(tr '\0' '\n' <"/proc/$hp/environ" | grep -cE "PWNKIT|evil|$W")" 0 \
	"/proc/PID/environ of the helper shows none of it"
wait "$bg"
RC=$? HL_RUNS=$((HL_RUNS + 1))
OUT=$(cat "$P/env.json")
expect ok "the run ended ok"
t_is "$(marks)" 0 "nothing loaded"
case_end

# Kernel state that survives exec and that the helper must not keep: the
# caller's interval timers (their signals would end the root parent with the
# session open, at the moment the caller chose), a raised oom_score_adj (the
# OOM killer would pick the parent first) and the caller's session keyring
# (the operation would possess the caller's keys).
install -m 755 "$HL_DIR/inherit.py" "$HL_DIR/keyprobe.py" "$P/bin/"
case_begin "timers, oom_score_adj and a session keyring left by the caller"
OUT=$(as_caller pfa_caller python3 "$P/bin/inherit.py" oom,key=pfa_caller_key \
	python3 "$P/bin/keyprobe.py" pfa_caller_key)
t_is "$OUT" "oom_score_adj 1000"$'\n'"key found"$'\n'"session keyring owner $(id -u pfa_caller)" \
	"the wrapper leaves them, and the probe sees them (control)"
HR_WRAP=(python3 "$P/bin/inherit.py" alarm=1.5)
hrun "$LAB_ALICE_PW" --user pfa_alice exec sleep 3
expect ok "a real-time timer due while the session is open: the request ends ok"
HR_WRAP=(python3 "$P/bin/inherit.py" cpu=0.02)
hrun "$LAB_ALICE_PW" --user pfa_alice id
expect ok "CPU-time timers due during the password hash: the request ends ok"
HR_WRAP=(python3 "$P/bin/inherit.py" oom,key=pfa_caller_key)
hrun "$LAB_ALICE_PW" --user pfa_alice exec python3 "$P/bin/keyprobe.py" pfa_caller_key
expect ok "exec of the probe"
t_is "$(jqr .result.stdout)" $'oom_score_adj 0\nkey not found: ENOKEY\nsession keyring owner 0' \
	"the operation runs at oom_score_adj 0, without the caller's keys, in a keyring of root's"
HR_WRAP=()
case_end

# A real-time policy survives exec, and until the real uid is root the
# caller may set one on the helper from outside: with RLIMIT_RTTIME the
# kernel would end it after a CPU stretch the caller chose. The helper is
# SCHED_OTHER from then on, and so is the operation.
case_begin "a real-time scheduling policy left by the caller"
chrt -f -p 10 $$
OUT=$(as_caller pfa_caller sh -c 'chrt -p $$' | sed -n 's/.*policy: //p')
t_is "$OUT" SCHED_FIFO "the caller runs SCHED_FIFO (control)"
hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'chrt -p $$'
chrt -o -p 0 $$
expect ok "exec under a SCHED_FIFO caller"
t_is "$(jqr .result.stdout | sed -n 's/.*policy: //p')" SCHED_OTHER "the operation runs SCHED_OTHER"
case_end

case_summary
