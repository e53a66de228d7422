# src/helper/cli: fragment of the cli module (see src/helper/local.mk)
# cli.c parses the command line; secret.c reads the password (both in cli.h).
libpfahelper_la_SOURCES += src/helper/cli.h src/helper/cli.c src/helper/secret.c

CLI_TESTS = tests/unit/test_cli tests/unit/test_secret
if HAVE_CRITERION
check_PROGRAMS += $(CLI_TESTS)
TESTS += $(CLI_TESTS)
endif
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c
tests_unit_test_cli_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_cli_LDADD = $(HELPER_TEST_LIBS)
tests_unit_test_secret_SOURCES = tests/unit/test_secret.c
tests_unit_test_secret_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_secret_LDADD = $(HELPER_TEST_LIBS)
