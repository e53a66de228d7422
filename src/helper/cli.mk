# src/helper/cli: fragment of the cli module (see src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/cli.h src/helper/cli.c

CLI_TESTS = tests/unit/test_cli
if HAVE_CRITERION
check_PROGRAMS += $(CLI_TESTS)
TESTS += $(CLI_TESTS)
endif
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c
tests_unit_test_cli_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_cli_LDADD = $(HELPER_TEST_LIBS)
