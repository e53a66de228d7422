# tests/e2e/files_lib.sh — sourced by the file operation tests (after
# lib.sh's setup, which it sources):
#   alice ARGS...     the helper as pfa_caller for pfa_alice (run_helper)
#   alice_in ARGS...  the same, with this function's stdin after the
#                     password line (the operation's input); lastpipe is on
#                     so that `cmd | alice_in ...` sets OUT here
#   AH                pfa_alice's home directory
#   names DIR         the names in DIR, one a line, sorted (hidden ones too)
#   sha FILE          the sha256 of FILE, alone
. "$PFA_SRCDIR/tests/e2e/lib.sh"

shopt -s lastpipe
AH=$(getent passwd pfa_alice | cut -d: -f6)

alice() { run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice "$@"; }

alice_in() {
	OUT=$({
		printf '%s\n' "$LAB_ALICE_PW"
		cat
	} | as_caller pfa_caller "$H" --user pfa_alice "$@" 2>"$P/stderr")
	RC=$?
}

names() { (cd "$1" && LC_ALL=C ls -A | LC_ALL=C sort); }

sha() { sha256sum <"$1" | cut -d' ' -f1; }
