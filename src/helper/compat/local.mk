# src/helper/compat: the drop-in front ends for mail and web servers
# (checkpassword for qmail and Dovecot, pwauth for Apache), included from
# src/helper/local.mk.  Their parsers are unit tested and fuzzed
# (tests/fuzz/local.mk); docs/integration-*.md say how to use them.
libpfahelper_la_SOURCES += \
	src/helper/compat/login.h src/helper/compat/login.c \
	src/helper/compat/cpw_input.h src/helper/compat/cpw_input.c \
	src/helper/compat/pwauth_input.h src/helper/compat/pwauth_input.c \
	src/helper/compat/compat.h src/helper/compat/compat.c \
	src/helper/compat/checkpassword.h src/helper/compat/checkpassword.c \
	src/helper/compat/cpw_classic.c src/helper/compat/cpw_dovecot.c \
	src/helper/compat/pwauth.h src/helper/compat/pwauth.c

COMPAT_TESTS = tests/unit/test_compat_login tests/unit/test_compat_checkpassword \
	tests/unit/test_compat_pwauth
if HAVE_CRITERION
check_PROGRAMS += $(COMPAT_TESTS)
TESTS += $(COMPAT_TESTS)
endif
tests_unit_test_compat_login_SOURCES = tests/unit/test_compat_login.c
tests_unit_test_compat_login_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_compat_login_LDADD = $(HELPER_TEST_LIBS)
tests_unit_test_compat_checkpassword_SOURCES = tests/unit/test_compat_checkpassword.c \
	tests/unit/compat_test.h
tests_unit_test_compat_checkpassword_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_compat_checkpassword_LDADD = $(HELPER_TEST_LIBS)
tests_unit_test_compat_pwauth_SOURCES = tests/unit/test_compat_pwauth.c tests/unit/compat_test.h
tests_unit_test_compat_pwauth_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_compat_pwauth_LDADD = $(HELPER_TEST_LIBS)

EXTRA_DIST += docs/integration-dovecot.md docs/integration-apache.md docs/integration-qmail.md
