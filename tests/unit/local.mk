# Unit tests (Criterion).  Names ending in _root need root and run in the
# private lab (tests/lab/runtest); the others run as anyone.
UNIT_TESTS = \
	tests/unit/test_frame \
	tests/unit/test_out \
	tests/unit/test_identity \
	tests/unit/test_run \
	tests/unit/test_run_host \
	tests/unit/test_drop_root \
	tests/unit/test_threads_root

if HAVE_CRITERION
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
else
TESTS += tests/unit/no-criterion.sh
endif
EXTRA_DIST += tests/unit/no-criterion.sh tests/unit/unit.h tests/unit/deny_close_range.h

UNIT_FLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(LIBCAP_CFLAGS)
UNIT_LIBS = libpfacore.la $(CRITERION_LIBS) $(LIBCAP_LIBS)

tests_unit_test_frame_SOURCES = tests/unit/test_frame.c
tests_unit_test_frame_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_frame_LDADD = $(UNIT_LIBS)
tests_unit_test_out_SOURCES = tests/unit/test_out.c
tests_unit_test_out_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_out_LDADD = $(UNIT_LIBS)
tests_unit_test_identity_SOURCES = tests/unit/test_identity.c
tests_unit_test_identity_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_identity_LDADD = $(UNIT_LIBS)
tests_unit_test_run_SOURCES = tests/unit/test_run.c tests/unit/test_run_splice.c tests/unit/unit.h
tests_unit_test_run_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_run_LDADD = $(UNIT_LIBS)
tests_unit_test_run_host_SOURCES = tests/unit/test_run_host.c tests/unit/unit.h
tests_unit_test_run_host_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_run_host_LDADD = $(UNIT_LIBS) -lpthread
tests_unit_test_drop_root_SOURCES = tests/unit/test_drop_root.c tests/unit/unit.h
tests_unit_test_drop_root_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_drop_root_LDADD = $(UNIT_LIBS)
tests_unit_test_threads_root_SOURCES = tests/unit/test_threads_root.c tests/unit/unit.h
tests_unit_test_threads_root_CFLAGS = $(UNIT_FLAGS)
tests_unit_test_threads_root_LDADD = $(UNIT_LIBS) -lpthread

# The file operations (src/helper/ops): their renderers against what a child
# may send, and their children on a real directory; libpfahelper.
if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_ops_file
TESTS += tests/unit/test_ops_file
endif
tests_unit_test_ops_file_SOURCES = tests/unit/test_ops_file.c tests/unit/capture.h tests/unit/unit.h
tests_unit_test_ops_file_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_ops_file_LDADD = $(HELPER_TEST_LIBS)
