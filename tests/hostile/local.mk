# The hostile suite (issue 6): what a hostile local user can make the setuid
# helper do.  Shell scripts printing TAP, run as root in the private lab
# (tests/lab/runtest), each ending with "hostile: N cases, N held".
# hexec starts a program with argc == 0; the tests build evil.so themselves.
HOSTILE_TESTS = \
	tests/hostile/start.sh \
	tests/hostile/limits.sh \
	tests/hostile/input.sh \
	tests/hostile/ops.sh \
	tests/hostile/signals.sh \
	tests/hostile/outputs.sh \
	tests/hostile/pages.sh \
	tests/hostile/soak.sh
TESTS += $(HOSTILE_TESTS)
check_PROGRAMS += tests/hostile/hexec
tests_hostile_hexec_SOURCES = tests/hostile/hexec.c
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/hlib.sh tests/hostile/syslogd.py \
	tests/hostile/evil.c tests/hostile/tchain.c tests/hostile/ptydrive.py tests/hostile/outdrive.py tests/hostile/pindrive.py \
	tests/hostile/fusetrap.py tests/hostile/lagdrive.py tests/hostile/inherit.py \
	tests/hostile/keyprobe.py docs/security.md

# valgrind memcheck over the helper's main paths, as root in the lab
# (scripts/check runs it; valgrind cannot run a setuid program).
memcheck: pipefork-as
	PFA_SRCDIR='$(abs_top_srcdir)' PFA_BUILDDIR='$(abs_top_builddir)' \
	PFA_SYSCONFDIR='$(sysconfdir)' \
		$(SHELL) $(top_srcdir)/tests/lab/lab -- $(abs_top_srcdir)/scripts/memcheck
.PHONY: memcheck
EXTRA_DIST += scripts/memcheck scripts/lsan.supp
