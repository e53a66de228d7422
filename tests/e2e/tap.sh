# tests/e2e/tap.sh — sourced by shell tests: print TAP, count, summarise.
#   t_ok COND_EXIT_STATUS "description"     (pass when the status is 0)
#   t_is GOT WANT "description"
#   t_done                                   (prints the plan, exits 0/1)
_t_n=0
_t_fail=0
t_ok() {
	local rc=$1
	shift
	_t_n=$((_t_n + 1))
	if [ "$rc" = 0 ]; then
		echo "ok $_t_n - $*"
	else
		echo "not ok $_t_n - $*"
		_t_fail=$((_t_fail + 1))
	fi
}
t_is() {
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then
		t_ok 0 "$*"
	else
		t_ok 1 "$* (got '$got', want '$want')"
	fi
}
t_diag() { printf '# %s\n' "$@"; }
t_done() {
	echo "1..$_t_n"
	[ "$_t_fail" = 0 ]
}
