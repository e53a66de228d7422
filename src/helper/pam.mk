# src/helper/pam: fragment of the pam module (see src/helper/local.mk)
libpfahelper_la_SOURCES += \
	src/helper/pam.h src/helper/pam.c \
	src/helper/pam_conv.c \
	src/helper/pam_lock.h src/helper/pam_lock.c

# The secret_read_tty / secret_wipe the pam tests link (cli.c's stand-ins).
PAM_TEST_FAKES = src/helper/cli.h tests/unit/fake_secret.h tests/unit/fake_secret.c

if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_pam_conv
TESTS += tests/unit/test_pam_conv
endif

tests_unit_test_pam_conv_SOURCES = tests/unit/test_pam_conv.c $(PAM_TEST_FAKES)
tests_unit_test_pam_conv_CFLAGS = $(HELPER_TEST_FLAGS)
tests_unit_test_pam_conv_LDADD = $(HELPER_TEST_LIBS)
