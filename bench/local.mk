# `make bench`: speed goals measured against a baseline in the same run
# (never timed assertions in tests).  Runs as root inside the lab.
noinst_PROGRAMS += bench/bench_run bench/tiny bench/maxrss bench/reqtime bench/pam_floor
bench_bench_run_SOURCES = bench/bench_run.c
bench_bench_run_LDADD = libpfacore.la $(LIBCAP_LIBS)
bench_tiny_SOURCES = bench/tiny.c
bench_maxrss_SOURCES = bench/maxrss.c
bench_reqtime_SOURCES = bench/reqtime.c
bench_pam_floor_SOURCES = bench/pam_floor.c
bench_pam_floor_LDADD = $(PAM_LIBS)

.PHONY: bench
bench: bench/bench_run bench/tiny bench/maxrss bench/reqtime bench/pam_floor pipefork-as
	$(SHELL) $(top_srcdir)/tests/lab/lab -- $(abs_top_builddir)/bench/bench_run \
		$(abs_top_builddir)/bench/tiny
	PFA_SYSCONFDIR='$(sysconfdir)' $(SHELL) $(top_srcdir)/tests/lab/lab -- \
		$(top_srcdir)/bench/bench_helper.sh $(abs_top_builddir)/pipefork-as $(abs_top_srcdir) \
		$(abs_top_builddir)/bench
EXTRA_DIST += bench/bench_helper.sh
