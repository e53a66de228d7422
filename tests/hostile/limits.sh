#!/bin/bash
# Hostile inherited state (PITFALLS 4): rlimits, umask, cwd, the signal
# mask and ignored signals.  Soft limits the caller lowered are raised
# again; a hard limit the helper cannot raise (root here has no
# CAP_SYS_RESOURCE) and that leaves less than the helper needs is refused
# before PAM, naming the limit; RLIMIT_NPROC binds only the child; no core
# dump; the operation sees the helper's state, not the caller's.
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

# The limit of the helper's PAM stage: refused by sanitize, PAM never ran.
refused_for() {
	local lim=$1 name=$2
	HR_WRAP=(prlimit "$lim")
	hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
	expect internal_error "prlimit $lim: refused"
	t_ok "$(jqr .error | grep -q "sanitize: rlimits: $name" && echo 0)" "prlimit $lim: names $name: $(jqr .error)"
	t_is "$(jqr '.pam | length')" 0 "prlimit $lim: before PAM"
	HR_WRAP=()
}

case_begin "RLIMIT_NOFILE tiny (4 .. 63, hard)"
for n in 4 5 6 7 8 10 16 32 63; do
	refused_for "--nofile=$n:$n" RLIMIT_NOFILE
done
case_end

case_begin "RLIMIT_NOFILE at the need (64, hard) and soft 4"
HR_WRAP=(prlimit --nofile=64:64)
hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
expect ok "hard 64: runs"
HR_WRAP=(prlimit --nofile=4:4096)
hrun "$LAB_ALICE_PW" --user pfa_alice id
expect ok "soft 4 under a hard 4096: raised for the helper, PAM and its child"
hrun "$LAB_ALICE_PW" --user pfa_alice exec /bin/sh -c 'ulimit -n'
expect ok "and the command runs"
t_is "$(jqr .result.stdout)" 4 "under the caller's 4, as under su"
HR_WRAP=()
case_end

case_begin "RLIMIT_FSIZE 0 and 100 (hard): no SIGXFSZ, refused"
refused_for --fsize=0:0 RLIMIT_FSIZE
refused_for --fsize=100:100 RLIMIT_FSIZE
case_end

# The helper raises limits for itself (PAM must not fail at random); the
# operation gets the caller's back, as under su or sudo: a caller must not
# shed its limits through the helper.
case_begin "the caller's limits, raised for PAM, come back for the operation"
# (soft limits only where a caller cannot raise the hard one; dash's -p
# is RLIMIT_NPROC)
HR_WRAP=(prlimit --fsize=0:unlimited --nofile=100:4096 --nproc=500: --cpu=3000:)
hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'echo $(ulimit -Sf) $(ulimit -Hf) $(ulimit -Sn) $(ulimit -Hn) $(ulimit -Sp) $(ulimit -St)'
expect ok "runs"
t_is "$(jqr .result.stdout)" "0 unlimited 100 4096 500 3000" "fsize, nofile, nproc, cpu: the caller's soft and hard limits"
hrun "$LAB_ALICE_PW" --user pfa_alice id
expect ok "id, with the same limits, runs (the helper itself had them raised)"
HR_WRAP=()
case_end

case_begin "RLIMIT_NPROC 0 and 1: the child's exec fails, reported"
for n in 0 1; do
	HR_WRAP=(prlimit --nproc=$n:$n)
	hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
	expect op_failed "nproc $n: exec fails"
	t_ok "$(jqr .error | grep -q EAGAIN && echo 0)" "nproc $n: with EAGAIN: $(jqr .error)"
	hrun "$LAB_ALICE_PW" --user pfa_alice id
	expect ok "nproc $n: id (no exec) runs"
	t_is "$(jqr .result.uid)" "$(id -u pfa_alice)" "nproc $n: as the user"
done
HR_WRAP=()
case_end

case_begin "RLIMIT_STACK 256 KiB (hard): pam_cap's setcred would crash"
refused_for --stack=262144:262144 RLIMIT_STACK
refused_for --stack=1048576:1048576 RLIMIT_STACK
case_end

case_begin "RLIMIT_CPU 5 s (hard): the kernel's SIGKILL would leave a session"
refused_for --cpu=5:5 RLIMIT_CPU
case_end

case_begin "RLIMIT_AS, RLIMIT_DATA small (hard): a right password would read as wrong"
refused_for --as=40000000:40000000 RLIMIT_AS
refused_for --data=20000000:20000000 RLIMIT_DATA
HR_WRAP=(prlimit --as=300000000:300000000 --data=300000000:300000000)
hrun "$LAB_ALICE_PW" --user pfa_alice auth
expect ok "300 MB of address space and data: authenticates"
HR_WRAP=()
case_end

case_begin "RLIMIT_CORE unlimited and a crash: no core anywhere"
HR_WRAP=(prlimit --core=unlimited)
hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'ulimit -c; ulimit -Hc'
t_is "$(jqr .result.stdout)" "0
0" "the operation's RLIMIT_CORE is 0, soft and hard"
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
as_caller pfa_caller prlimit --core=unlimited "$H" --user pfa_alice exec sleep 3.4 <"$P/pw.in" >/dev/null &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice exec sleep 3.4$')
sleep 1.5
t_is "$(awk '/^Max core file size/ { print $5 "/" $6 }' "/proc/$hp/limits")" 0/0 "the helper's RLIMIT_CORE is 0"
wait "$bg"
HL_RUNS=$((HL_RUNS + 1))
hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'kill -SEGV $PPID'
expect crashed "the operation's own process crashes: crashed"
hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'kill -SEGV $$'
t_is "$(jqr .result.signal)" 11 "the command crashes (SIGSEGV) in the user's home"
cores() { find / /home /tmp "$P" -xdev \( -name core -o -name 'core.[0-9]*' \) -newer "$P/pw.in" 2>/dev/null; }
t_is "$(cores | head -3)" "" "no core file was written"
# The control: here, with RLIMIT_CORE unlimited, a crash of the user's does dump.
(cd /home/pfa_alice && ulimit -c unlimited &&
	setpriv --reuid=pfa_alice --regid=pfa_alice --clear-groups sh -c 'kill -SEGV $$') 2>/dev/null
t_ok "$([ -n "$(cores)" ] && echo 0)" "(control: a crash outside the helper dumps core there)"
rm -f $(cores)
HR_WRAP=()
case_end

# Blocked and ignored signals, umask 0, an unreadable cwd: the operation
# runs with the helper's state, and root's SIGTERM still ends a run.
SIGWRAP=(python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD):
    signal.signal(s, signal.SIG_IGN)
os.umask(0)
os.execv(sys.argv[1], sys.argv[1:])')

case_begin "signals blocked and ignored, umask 0, cwd unreadable"
mkdir -p "$P/closed" && chmod 700 "$P/closed" && chown pfa_caller "$P/closed"
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
OUT=$(cd "$P/closed" && as_caller pfa_caller "${SIGWRAP[@]}" "$H" --user pfa_alice exec \
	sh -c 'umask; pwd; grep -E "^Sig(Blk|Ign)" /proc/self/status' <"$P/pw.in")
RC=$? HL_RUNS=$((HL_RUNS + 1))
expect ok "runs"
# Signals 32 and 33 are glibc's own: sigaction(2) refuses them, so an
# ignored one stays ignored (glibc installs its handlers when it needs them).
sigign=$(jqr .result.stdout | awk '/^SigIgn/ { print $2 }')
t_is "$(jqr .result.stdout | head -3)" "0077
/home/pfa_alice
SigBlk:	0000000000000000" "the operation: umask 077, the user's home, no signal blocked"
t_is "$(printf '%016x' $((0x$sigign & ~0x180000000)))" 0000000000000000 "no signal ignored (but glibc's 32, 33: $sigign)"
(cd "$P/closed" && as_caller pfa_caller "${SIGWRAP[@]}" "$H" --user pfa_alice exec sleep 30.5 <"$P/pw.in" >"$P/sig.json") &
bg=$!
hp=$(hl_helper_pid '--user pfa_alice exec sleep 30.5$')
sleep 1.5
t_is "$(readlink "/proc/$hp/cwd")" / "the helper itself left the caller's cwd for /"
kill -TERM "$hp"
wait "$bg"
RC=$? HL_RUNS=$((HL_RUNS + 1))
OUT=$(cat "$P/sig.json")
expect internal_error "root's SIGTERM still interrupts the run"
t_ok "$(jqr .error | grep -q 'signal 15' && echo 0)" "and says so: $(jqr .error)"
case_end

case_summary
