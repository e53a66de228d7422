# src/helper/answer: fragment of the answer module (see src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/answer.h src/helper/json.c src/helper/answer.c \
	src/helper/log.c
EXTRA_DIST += docs/protocol.md

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_json tests/unit/test_answer
TESTS += tests/unit/test_json tests/unit/test_answer
endif

tests_unit_test_json_SOURCES = tests/unit/test_json.c tests/unit/test_json_base64.c \
	tests/unit/json_writer.h tests/unit/capture.h
tests_unit_test_json_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_json_LDADD = $(HELPER_TEST_LIBS)
tests_unit_test_answer_SOURCES = tests/unit/test_answer.c tests/unit/capture.h
tests_unit_test_answer_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_answer_LDADD = $(HELPER_TEST_LIBS)
