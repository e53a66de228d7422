# src/helper/pam: fragment of the pam module (see src/helper/local.mk)
libpfahelper_la_SOURCES += \
	src/helper/pam.h src/helper/pam.c \
	src/helper/pam_conv.c \
	src/helper/pam_lock.h src/helper/pam_lock.c

# The secret_read_tty / secret_wipe the pam tests link (cli.c's stand-ins).
PAM_TEST_FAKES = src/helper/cli.h tests/unit/fake_secret.h tests/unit/fake_secret.c

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_pam_conv tests/unit/test_pam_wrap
TESTS += tests/unit/test_pam_conv tests/unit/test_pam_wrap.sh
endif
EXTRA_DIST += tests/unit/test_pam_wrap.sh

tests_unit_test_pam_conv_SOURCES = tests/unit/test_pam_conv.c $(PAM_TEST_FAKES)
tests_unit_test_pam_conv_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_pam_conv_LDADD = $(HELPER_TEST_LIBS)

# The whole flow under pam_wrapper (run by test_pam_wrap.sh, which sets the
# cwrap environment).  The pam sources are compiled in with a lock directory
# of its own: HPAM_LOCK_DIR is never taken from the environment.
PAM_WRAP_LOCK_DIR = $(abs_top_builddir)/tests/unit/test_pam_wrap.lock
tests_unit_test_pam_wrap_SOURCES = tests/unit/test_pam_wrap.c $(PAM_TEST_FAKES) \
	src/helper/pam.h src/helper/pam.c src/helper/pam_conv.c \
	src/helper/pam_lock.h src/helper/pam_lock.c
tests_unit_test_pam_wrap_CPPFLAGS = $(AM_CPPFLAGS) -DHPAM_LOCK_DIR='"$(PAM_WRAP_LOCK_DIR)"'
tests_unit_test_pam_wrap_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_pam_wrap_LDADD = $(CRITERION_LIBS) $(PAM_LIBS)
