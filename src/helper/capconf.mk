# src/helper/capconf: fragment of the capability.conf module (see
# src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/capconf.h src/helper/capconf.c

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_capconf
TESTS += tests/unit/test_capconf
endif
tests_unit_test_capconf_SOURCES = tests/unit/test_capconf.c tests/unit/test_capconf_files.c \
	tests/unit/tmpdir.h tests/unit/tmpdir.c
tests_unit_test_capconf_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_capconf_LDADD = $(HELPER_TEST_LIBS)
