# src/helper/policy: fragment of the policy module (see src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/policy.h src/helper/policy_int.h \
	src/helper/policy.c src/helper/policy_parse.c src/helper/policy_caps.c \
	src/helper/conffile.h src/helper/conffile.c
dist_man_MANS += docs/pipefork-as.conf.5

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_policy
TESTS += tests/unit/test_policy
endif
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c tests/unit/test_policy_files.c \
	tests/unit/test_policy_caps.c tests/unit/tmpdir.h tests/unit/tmpdir.c
tests_unit_test_policy_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_policy_LDADD = $(HELPER_TEST_LIBS)
