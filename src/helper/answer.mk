# src/helper/answer: fragment of the answer module (see src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/answer.h src/helper/json.c

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_json
TESTS += tests/unit/test_json
endif

tests_unit_test_json_SOURCES = tests/unit/test_json.c tests/unit/capture.h
tests_unit_test_json_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_json_LDADD = $(HELPER_TEST_LIBS)
