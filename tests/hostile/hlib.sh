# tests/hostile/hlib.sh — sourced by the hostile tests, inside the lab, on
# top of tests/e2e/lib.sh (H, as_caller, OUT/RC/MS, jqr, PAMLOG, shape_ok).
#   A private /dev (tmpfs) whose /dev/log is tests/hostile/syslogd.py: the
#   helper's syslog datagrams land in $SYSLOG (one JSON string each), the
#   PAM events in $PAMLOG as "TYPE USER HELPER_PID SERVICE" (a pam_exec
#   logger that writes to a socket, so that a caller's RLIMIT_FSIZE or
#   RLIMIT_NOFILE cannot make it lose a line).
#   hrun PW ARGS...        the helper as $HR_CALLER (pfa_caller), PW and a
#                          newline on stdin, through the words in the array
#                          HR_WRAP (e.g. prlimit ...), killed after
#                          $HR_BOUND s (a hang); sets OUT, RC, MS
#   hrun_in FILE ARGS...   the same with stdin from FILE
#   expect STATUS DESC     the answer is whole and says STATUS, exit code to match
#   case_begin NAME / case_end   one hostile scenario; case_end checks the
#                          invariants and counts the case held when every
#                          assertion since case_begin passed
#   case_summary           "hostile: N cases, N held", then the TAP plan
. "$PFA_SRCDIR/tests/e2e/lib.sh"

HL_DIR=$PFA_SRCDIR/tests/hostile
SYSLOG=$P/syslog.jsonl
HL_TAG=pfa-pamlog-$RANDOM$RANDOM
HL_TARGETS=pfa_alice,pfa_bob,pfa_low
# Strings that must never reach a log line (tests add theirs).
HL_SECRETS=("$LAB_ALICE_PW" "$LAB_BOB_PW" "$LAB_LOW_PW")
HR_WRAP=()
declare -A HL_CODE=([ok]=0 [auth_failed]=1 [account_expired]=2 [password_expired]=3
	[account_locked]=4 [denied]=5 [bad_request]=6 [config_error]=7 [op_failed]=8
	[timeout]=9 [crashed]=10 [internal_error]=11)

# /dev as a tmpfs with the devices tests use, bound from the real one; the
# lab's mount namespace is this test's alone.
hl_private_dev() {
	local n
	mkdir -p "$P/olddev"
	mount --rbind /dev "$P/olddev"
	mount -t tmpfs -o mode=755,nosuid tmpfs /dev
	for n in null zero full urandom random tty fuse; do
		if [ -L "$P/olddev/$n" ]; then
			cp -P "$P/olddev/$n" "/dev/$n"
		elif [ -e "$P/olddev/$n" ]; then
			: >"/dev/$n"
			mount --bind "$P/olddev/$n" "/dev/$n"
		fi
	done
	for n in pts shm; do
		mkdir -p "/dev/$n"
		mount --bind "$P/olddev/$n" "/dev/$n"
	done
	ln -s pts/ptmx /dev/ptmx # a bound ptmx node would not find its devpts
	ln -s /proc/self/fd /dev/fd
	ln -s fd/0 /dev/stdin
	ln -s fd/1 /dev/stdout
	ln -s fd/2 /dev/stderr
}

hl_start_syslog() {
	local i
	: >"$SYSLOG"
	python3 "$HL_DIR/syslogd.py" /dev/log "$SYSLOG" "$PAMLOG" "$HL_TAG" &
	HL_SYSLOGD=$!
	for i in $(seq 100); do
		[ -e /dev/log.ready ] && return 0
		sleep 0.05
	done
	echo "Bail out! the private syslog did not start"
	exit 1
}

# The PAM service with session (and auth) events sent to the socket.
hl_pam_service() {
	cat >"$P/pamlog.sh" <<EOS
#!/bin/sh
exec /usr/bin/logger -u /dev/log -t $HL_TAG -- "\$PAM_TYPE \$PAM_USER \$PPID \$PAM_SERVICE"
EOS
	chmod 755 "$P/pamlog.sh"
	{
		echo "auth optional pam_exec.so quiet $P/pamlog.sh"
		cat "$PFA_SRCDIR/pam.d/pipefork-as"
		echo "session optional pam_exec.so quiet $P/pamlog.sh"
	} >/etc/pam.d/pipefork-as
}

# Wait until the listener has written everything sent before this call.
HL_SYNC=0
hl_sync() {
	local i
	HL_SYNC=$((HL_SYNC + 1))
	logger -u /dev/log -t "$HL_TAG" -- "sync $HL_SYNC - -"
	for i in $(seq 200); do
		grep -q "^sync $HL_SYNC " "$PAMLOG" && return 0
		sleep 0.02
	done
	t_ok 1 "the private syslog answers"
}

# as_caller under a hang bound kept by root (the caller cannot signal the
# helper once it is authorized): hl_bounded SECONDS USER CMD...
hl_bounded() {
	local b=$1 u=$2
	shift 2
	timeout -k 3 "$b" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${SAN_ENV[@]}" \
		setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"
}

HL_RUNS=0 HL_HUNG=0
hrun_in() {
	local in=$1 t0
	shift
	t0=$(date +%s%N)
	OUT=$(hl_bounded "${HR_BOUND:-40}" "${HR_CALLER:-pfa_caller}" \
		${HR_WRAP[@]+"${HR_WRAP[@]}"} "$H" "$@" <"$in" 2>"$P/stderr")
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
	HL_RUNS=$((HL_RUNS + 1))
	if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
		HL_HUNG=$((HL_HUNG + 1))
	fi
}

hrun() {
	local pw=$1
	shift
	printf '%s\n' "$pw" >"$P/pw.in"
	hrun_in "$P/pw.in" "$@"
}

expect() {
	local want=$1
	shift
	if shape_ok; then
		t_is "$(jqr .status)/$RC" "$want/${HL_CODE[$want]}" "$*"
	else
		t_ok 1 "$* (no valid answer; exit code $RC: $(head -c 300 "$P/stderr"))"
	fi
}

# Normalised fds >= 3 of process pid: "kind" per line, sorted.
hl_fds() {
	local f l
	for f in /proc/"$1"/fd/*; do
		[ "${f##*/}" -ge 3 ] 2>/dev/null || continue
		l=$(readlink "$f") || continue
		case "$l" in
		pipe:*) l=pipe ;;
		socket:*) l=socket ;;
		anon_inode:*) l=${l#anon_inode:} ;;
		esac
		echo "$l"
	done | sort | tr '\n' ' '
}

# The helper whose command line matches the extended regex: the oldest
# such process (its forks, the operation and PAM's children, share it).
hl_helper_pid() {
	local i p
	for i in $(seq 100); do
		p=$(pgrep -o -f "^$H $1") && { echo "$p"; return 0; }
		sleep 0.05
	done
	return 1
}

hl_zombies() { ps -eo stat= | grep -c '^Z' || true; }

# The helper in the background as pfa_caller, BG_PW on stdin: BG is the
# job, HP the helper; bg_end waits and sets OUT and RC.
BG_PW=$LAB_ALICE_PW
bg_start() {
	printf '%s\n' "$BG_PW" >"$P/pw.in"
	hl_bounded 60 pfa_caller "$H" "$@" <"$P/pw.in" >"$P/bg.json" 2>/dev/null &
	BG=$!
	HP=$(hl_helper_pid "$*\$")
}
bg_end() {
	wait "$BG"
	RC=$? HL_RUNS=$((HL_RUNS + 1))
	OUT=$(cat "$P/bg.json")
}
# Wait until the operation runs as the user (the helper is authorized):
# a process of pfa_alice whose command line holds $1.
wait_op() {
	local i
	for i in $(seq 200); do
		pgrep -u pfa_alice -f "$1" >/dev/null && return 0
		sleep 0.05
	done
	t_ok 1 "the operation started"
}

# ---- cases ---------------------------------------------------------------
HL_CASES=0 HL_HELD=0
HL_LOG_EXACT=1 # 0: a helper may end without its log line (killed on purpose)
case_begin() {
	HL_NAME=$1
	HL_CASES=$((HL_CASES + 1))
	hl_sync
	HL_FAIL0=$_t_fail HL_RUNS0=$HL_RUNS HL_HUNG0=$HL_HUNG
	HL_PAM0=$(wc -l <"$PAMLOG") HL_LOG0=$(wc -l <"$SYSLOG")
	t_diag "case $HL_CASES: $HL_NAME"
}

# Per helper pid since case_begin: "pid opens closes" where they differ or
# exceed one (a session opened and not closed, or closed twice).
hl_unpaired() {
	tail -n +"$((HL_PAM0 + 1))" "$PAMLOG" | awk '
		$1 == "open_session" { o[$(NF-1)]++; p[$(NF-1)] = 1 }
		$1 == "close_session" { c[$(NF-1)]++; p[$(NF-1)] = 1 }
		END { for (k in p) if (o[k] != c[k] || o[k] > 1) print k, o[k] + 0, c[k] + 0 }'
}

# The helper's syslog lines since case_begin, as JSON strings.
hl_new_log() { tail -n +"$((HL_LOG0 + 1))" "$SYSLOG" | grep -F 'pipefork-as[' || true; }

# Lines that are not one printable, bounded, well-formed line.
hl_bad_log_lines() {
	hl_new_log | jq -r 'select((length > 1400) or
	  (test("^<[0-9]+>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} pipefork-as\\[[0-9]+\\]: caller=[!-~]* target=[!-~]* service=[!-~]* op=[!-~]* outcome=[a-z_]+$") | not))
	  | @json'
}

# The last line the helper logged (raw), and a field of it as the helper
# must have escaped it (answer.h: LOG_FIELD_MAX bytes, \xHH, "...").
hl_last_log() { hl_sync; hl_new_log | tail -1 | jq -r .; }
hl_log_escape() {
	python3 -c 'import os, sys
b = os.fsencode(sys.argv[1])
out = "".join(chr(c) if 0x20 < c < 0x7f and chr(c) not in "\\\"=" else "\\x%02x" % c for c in b[:64])
print(out + ("..." if len(b) > 64 else ""))' "$1"
}

hl_check_logs() {
	local lines runs=$((HL_RUNS - HL_RUNS0)) s leaked=0
	lines=$(hl_new_log | wc -l)
	if [ "$HL_LOG_EXACT" = 1 ]; then
		t_is "$lines" "$runs" "$HL_NAME: one syslog line per attempt"
	else
		t_ok "$([ "$lines" -le "$runs" ] && echo 0)" "$HL_NAME: at most one syslog line per attempt ($lines for $runs)"
	fi
	t_is "$(hl_bad_log_lines | head -3)" "" "$HL_NAME: every log line is one escaped, bounded line"
	t_is "$(tail -n +"$((HL_LOG0 + 1))" "$SYSLOG" | jq -r 'select(test("[[:cntrl:]]")) | @json' | head -3)" "" \
		"$HL_NAME: no syslog line (PAM modules' too) holds a control character"
	for s in "${HL_SECRETS[@]}"; do
		[ -n "$s" ] && hl_new_log | jq -r . | grep -qF -- "$s" && leaked=1
	done
	t_is "$leaked" 0 "$HL_NAME: no log line holds a password"
}

case_end() {
	local left
	hl_sync
	t_is "$(hl_unpaired | head -3)" "" "$HL_NAME: every opened PAM session closed exactly once"
	hl_check_logs
	left=$(pgrep -u "$HL_TARGETS" -a | head -3)
	t_is "$left" "" "$HL_NAME: no process of the target left"
	[ -n "$left" ] && kill -KILL $(pgrep -u "$HL_TARGETS") 2>/dev/null
	left=$(pgrep -f "^$H " -a | head -3)
	t_is "$left" "" "$HL_NAME: no helper left running"
	[ -n "$left" ] && kill -KILL $(pgrep -f "^$H ") 2>/dev/null
	t_is "$(hl_zombies)" 0 "$HL_NAME: no zombie"
	t_is "$((HL_HUNG - HL_HUNG0))" 0 "$HL_NAME: no hang past the bound"
	if [ "$_t_fail" = "$HL_FAIL0" ]; then
		HL_HELD=$((HL_HELD + 1))
	else
		t_diag "case $HL_NAME did NOT hold"
	fi
}

case_summary() {
	echo "hostile: $HL_CASES cases, $HL_HELD held"
	t_done
}

# hl_session_closed PID TENTHS: wait at most TENTHS tenths of a second for
# helper PID's session to be logged closed; 0 once it is.
hl_session_closed() {
	local i
	for i in $(seq "$2"); do
		hl_sync
		grep -q "^close_session [^ ]* $1 " "$PAMLOG" && return 0
		sleep 0.1
	done
	return 1
}

# A target's processes, for the tests that expect some (to wait on).
hl_target_procs() { pgrep -u "$HL_TARGETS" | wc -l; }

# What make and the TAP driver leave open (jobserver pipes...) would count
# against the tiny RLIMIT_NOFILE of a caller: a caller starts with 0-2.
for _fd in /proc/$$/fd/*; do
	_fd=${_fd##*/}
	[ "$_fd" -gt 2 ] && [ "$_fd" -lt 255 ] && eval "exec $_fd>&-"
done
hl_private_dev
hl_start_syslog
hl_pam_service
