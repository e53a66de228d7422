#!/bin/bash
# The fault soak: 200 requests in a row, each with a fault drawn from the
# hostile list by a seeded RNG (HOSTILE_SEED replays a run).  After every
# request: the answer its fault predicts, every session it opened closed
# exactly once (pam_exec log, per helper pid), one escaped syslog line,
# nothing of the target left, no zombie, no hang; during the requests that
# run long enough, the helper's own fds are the usual ones (no fd leaked
# into the parent from PAM, the caller or earlier steps).  Bounded in time.
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

N=${HOSTILE_SOAK:-200}
SEED=${HOSTILE_SEED:-$(date +%s)}
RANDOM=$SEED
t_diag "soak: $N requests, seed $SEED (HOSTILE_SEED=$SEED replays it)"
mkdir -p "$P/c" && chown pfa_caller "$P/c"
printf 'CALLER-FILE\n' >"$P/c/file" && chown pfa_caller "$P/c/file"
W=$P/pwn
mkdir -p "$W"

# ---- faults: each runs one request and returns 0 when its answer is the
# one predicted; FDS_SEEN gets what the helper held during a long run.
# is STATUS/RC[/ERROR-or-STDOUT]: the answer, read with one jq.
is() {
	local st err out
	IFS=$'\t' read -r st err out < <(printf '%s' "$OUT" |
		jq -r '[.status, (.error // "-"), (.result.stdout // "-")] | @tsv' 2>/dev/null)
	case "$1" in
	*/*/*) [ "$st/$RC/$out" = "$1" ] || [ "$st/$RC/$err" = "$1" ] ;;
	*) [ "$st/$RC" = "$1" ] ;;
	esac
}
f_ok() {
	hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
	is 'ok/0/pfa_alice\n'
}
f_wrong() {
	hrun "wrong-$RANDOM" --user pfa_alice auth
	is auth_failed/1
}
f_unknown() {
	hrun whatever --user "pfa_nobody$RANDOM" auth
	is auth_failed/1
}
f_bad() {
	case $((RANDOM % 4)) in
	0) hrun x --user $'pfa_alice\n\e[31m' auth ;;
	1) mapfile -t many < <(seq 20000) && hrun x --user pfa_alice exec echo "${many[@]}" ;;
	2) head -c 600 /dev/zero | tr '\0' p >"$P/long.pw" && hrun_in "$P/long.pw" --user pfa_alice auth ;;
	3) hrun x --user pfa_alice --timeout 0x10 auth ;;
	esac
	is bad_request/6
}
f_denied() {
	HR_CALLER=pfa_outsider hrun "$LAB_ALICE_PW" --user pfa_alice auth
	is denied/5
}
f_crash() {
	hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'kill -SEGV $PPID; sleep 5'
	is crashed/10
}
f_timeout() {
	hrun "$LAB_ALICE_PW" --user pfa_alice --timeout 1 exec sleep 5
	is timeout/9 && [ "$MS" -lt 6000 ]
}
f_flood() {
	hrun "$LAB_ALICE_PW" --user pfa_alice --timeout 1 exec yes
	is timeout/9 && [ "$MS" -lt 6000 ]
}
f_daemon() {
	hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c '(setsid sleep 60 &); sleep 60 & echo up'
	is 'ok/0/up\n'
}
# Root's (a terminal's) signal mid-operation; the fds are looked at first.
f_signal() {
	local s=$(((RANDOM % 4) + 1)) # HUP INT QUIT ... TERM for 4
	[ "$s" = 4 ] && s=15
	bg_start --user pfa_alice exec sleep 31.1
	wait_op "sleep 31.1"
	FDS_SEEN=$(hl_fds "$HP")
	kill -s "$s" "$HP"
	bg_end
	is "internal_error/11/interrupted by signal $s"
}
# The caller's signals once the helper is authorized: all refused.
f_caller_signal() {
	local s refused=0
	bg_start --user pfa_alice exec sleep 0.7
	wait_op "sleep 0.7"
	for s in TERM INT HUP KILL STOP; do
		as_caller pfa_caller kill -s "$s" "$HP" 2>/dev/null || refused=$((refused + 1))
	done
	bg_end
	[ "$refused" = 5 ] && is ok/0
}
f_close_stdout() {
	local rc
	rc=$(hl_bounded 40 pfa_caller bash -c '"$@" <"$0" | (exit 0); echo "${PIPESTATUS[0]}"' \
		"$P/pw.in" "$H" --user pfa_alice exec head -c 300000 /dev/urandom)
	HL_RUNS=$((HL_RUNS + 1))
	[ "$rc" = 0 ]
}
f_stdio_closed() {
	local rc
	case $((RANDOM % 3)) in
	0) hl_bounded 40 pfa_caller "$H" --user pfa_alice auth <"$P/pw.in" >&- 2>&-; rc=$?/0 ;;
	1) OUT=$(hl_bounded 40 pfa_caller "$H" --user pfa_alice auth <&- 2>&-); rc=$?/6 ;;
	2) hl_bounded 40 pfa_caller "$H" --user pfa_alice auth <&- >&- 2>&-; rc=$?/6 ;;
	esac
	HL_RUNS=$((HL_RUNS + 1))
	[ "${rc%/*}" = "${rc#*/}" ]
}
# Inherited fds (a random number of them, up to fd 900), then a run long
# enough to look at the helper's fds.
f_inherited() {
	local n=$(((RANDOM % 40) + 1)) fds=""
	for i in $(seq "$n"); do fds="$fds $((RANDOM % 897 + 3))"; done
	hl_bounded 40 pfa_caller bash -c 'f=$1; shift; for d in $0; do eval "exec $d<\"\$f\""; done; exec "$@"' \
		"$fds" "$P/c/file" "$H" --user pfa_alice exec sleep 0.8 <"$P/pw.in" >"$P/bg.json" 2>/dev/null &
	BG=$!
	HP=$(hl_helper_pid '--user pfa_alice exec sleep 0.8$')
	wait_op "sleep 0.8"
	FDS_SEEN=$(hl_fds "$HP")
	bg_end
	is ok/0
}
f_poison() {
	HR_WRAP=(env LD_PRELOAD="$W/evil.so" GCONV_PATH="$W" PAM_SERVICE=other BASH_ENV="$W/x" IFS=/
		PATH="$W" TZ=":$W/tz" NLSPATH="$W/%N" LOCPATH="$W" HOSTALIASES="$W/h")
	hrun "$LAB_ALICE_PW" --user pfa_alice exec /usr/bin/env
	HR_WRAP=()
	is ok/0 && ! grep -q "$W" <<<"$OUT"
}
f_nofile() {
	local n=$(((RANDOM % 60) + 4))
	HR_WRAP=(prlimit --nofile=$n:$n)
	hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
	HR_WRAP=()
	is "internal_error/11/sanitize: rlimits: RLIMIT_NOFILE is below 64: Operation not permitted"
}
f_nproc() {
	HR_WRAP=(prlimit --nproc=0:0)
	hrun "$LAB_ALICE_PW" --user pfa_alice exec id -un
	HR_WRAP=()
	is op_failed/8
}

# Weights out of 100: cheap faults often, the 3 s failures rarely.  Sets
# F (not a subshell: bash reseeds RANDOM in one, and the seed would not
# replay the run).
FAULTS=(28 f_ok 2 f_wrong 1 f_unknown 7 f_bad 4 f_denied 6 f_crash 4 f_timeout 4 f_flood
	5 f_daemon 6 f_signal 4 f_caller_signal 4 f_close_stdout 5 f_stdio_closed 6 f_inherited
	5 f_poison 5 f_nofile 4 f_nproc)
pick() {
	local r=$((RANDOM % 100)) k
	for ((k = 0; k < ${#FAULTS[@]}; k += 2)); do
		F=${FAULTS[k + 1]}
		r=$((r - FAULTS[k]))
		[ "$r" -lt 0 ] && return
	done
}

# After each request, without a TAP line each: what held, what did not.
# The log lines' form is checked once at the end (one jq for all).
declare -A tally
bad_answer=0 unpaired=0 badlog=0 left=0 zombies=0 leaked=0 seen=0
problems() { echo $((bad_answer + unpaired + badlog + left + zombies + leaked)); }
soak_one() {
	local f=$1 before=$_t_fail p0 u l z
	p0=$(problems)
	FDS_SEEN=
	printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
	"$f" || { bad_answer=$((bad_answer + 1)); t_diag "request $i ($f): unexpected answer: exit $RC, ${OUT:0:300}"; }
	hl_sync
	u=$(hl_unpaired)
	[ -z "$u" ] || { unpaired=$((unpaired + 1)); t_diag "request $i ($f): sessions unpaired: $u"; }
	l=$(tail -n +"$((HL_LOG0 + 1))" "$SYSLOG" | grep -cF 'pipefork-as[')
	[ "$l" = $((HL_RUNS - HL_RUNS0)) ] || { badlog=$((badlog + 1)); t_diag "request $i ($f): $l log lines"; }
	z=$(ps -eo stat=,user= | awk -v t=",$HL_TARGETS," '/^Z/ { z++ } index(t, "," $2 ",") { u++ }
		END { print z + 0, u + 0 }')
	[ "${z#* }" = 0 ] || { left=$((left + 1)); t_diag "request $i ($f): left: $(pgrep -u "$HL_TARGETS" -a)"; kill -KILL $(pgrep -u "$HL_TARGETS") 2>/dev/null; }
	[ "${z% *}" = 0 ] || { zombies=$((zombies + 1)); t_diag "request $i ($f): ${z% *} zombies"; }
	if [ -n "$FDS_SEEN" ]; then
		seen=$((seen + 1))
		[ "$FDS_SEEN" = "$BASE_FDS" ] || { leaked=$((leaked + 1)); t_diag "request $i ($f): helper fds $FDS_SEEN"; }
	fi
	HL_PAM0=$(wc -l <"$PAMLOG") HL_LOG0=$(wc -l <"$SYSLOG") HL_RUNS0=$HL_RUNS
	tally[$f]=$((${tally[$f]:-0} + 1))
	[ "$_t_fail" = "$before" ] && [ "$(problems)" = "$p0" ]
}

# The helper's fds during a clean run: the yardstick.
printf '%s\n' "$LAB_ALICE_PW" >"$P/pw.in"
bg_start --user pfa_alice exec sleep 1.9
wait_op "sleep 1.9"
BASE_FDS=$(hl_fds "$HP")
bg_end
t_diag "the helper's fds during a run: $BASE_FDS"

t0=$(date +%s)
HUNG0=$HL_HUNG
hl_sync
SOAK_LOG0=$(wc -l <"$SYSLOG") HL_PAM0=$(wc -l <"$PAMLOG") HL_LOG0=$SOAK_LOG0 HL_RUNS0=$HL_RUNS
for i in $(seq "$N"); do
	pick
	HL_CASES=$((HL_CASES + 1))
	soak_one "$F" && HL_HELD=$((HL_HELD + 1))
done
secs=$(($(date +%s) - t0))
t_diag "faults: $(for k in "${!tally[@]}"; do printf '%s=%s ' "${k#f_}" "${tally[$k]}"; done)"

t_is "$bad_answer" 0 "soak: every request got the answer its fault predicts"
t_is "$unpaired" 0 "soak: every opened session closed exactly once ($(grep -c '^open_session' "$PAMLOG") opened)"
t_is "$badlog" 0 "soak: one syslog line per attempt"
HL_LOG0=$SOAK_LOG0
t_is "$(hl_bad_log_lines | head -3)" "" "soak: every log line escaped and bounded"
t_is "$left" 0 "soak: nothing of the target left after any request"
t_is "$zombies" 0 "soak: no zombie after any request"
t_is "$leaked" 0 "soak: the helper's fds were the usual ones in all $seen runs looked at"
t_ok "$([ "$seen" -gt 0 ] && echo 0)" "soak: some runs were looked at ($seen)"
t_is "$((HL_HUNG - HUNG0))" 0 "soak: no request hung"
t_ok "$([ "$secs" -lt 420 ] && echo 0)" "soak: bounded in time (${secs} s)"
case_summary
