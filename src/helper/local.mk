# The pipefork-as helper.  Its modules build into libpfahelper.la (linked by
# the helper and by the unit tests); each module keeps its own fragment.
noinst_LTLIBRARIES += libpfahelper.la
libpfahelper_la_SOURCES = src/helper/status.h src/helper/status.c
libpfahelper_la_CFLAGS = $(AM_CFLAGS) $(PAM_CFLAGS) $(LIBCAP_CFLAGS)
libpfahelper_la_LIBADD = $(PAM_LIBS) $(LIBCAP_LIBS)

HELPER_TEST_FLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(PAM_CFLAGS) $(LIBCAP_CFLAGS)
HELPER_TEST_LIBS = libpfahelper.la libpfacore.la $(CRITERION_LIBS) $(PAM_LIBS) $(LIBCAP_LIBS)

include src/helper/sanitize.mk
include src/helper/cli.mk
include src/helper/policy.mk
include src/helper/capconf.mk
include src/helper/pam.mk
include src/helper/answer.mk
include src/helper/main.mk
include src/helper/compat/local.mk
