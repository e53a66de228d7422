# src/helper/sanitize: fragment of the sanitize module (see src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/sanitize.h src/helper/sanitize.c \
	src/helper/inherited.h src/helper/inherited.c

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_sanitize
TESTS += tests/unit/test_sanitize
endif
tests_unit_test_sanitize_SOURCES = tests/unit/test_sanitize.c tests/unit/test_inherited.c \
	tests/unit/sanitize_child.h
tests_unit_test_sanitize_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_sanitize_LDADD = $(HELPER_TEST_LIBS)
