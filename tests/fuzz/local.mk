# Fuzzing (clang libFuzzer, ASan + UBSan): one harness per parser of
# untrusted bytes.  `make fuzz` builds each and runs it FUZZ_SECONDS (30)
# on a scratch copy of its seed corpus (tests/fuzz/corpus/NAME); a crash
# fails the target and leaves the input in tests/fuzz/out/.  `make
# fuzz-long` is the same for an hour per harness.
FUZZ_CC = clang
FUZZ_SECONDS = 30
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I$(top_builddir) -I$(top_srcdir)/src -I$(top_srcdir)/src/lib -I$(top_srcdir)/src/helper
FUZZ_LIB = $(top_srcdir)/src/lib/frame.c $(top_srcdir)/src/lib/collect.c \
	$(top_srcdir)/src/lib/result.c $(top_srcdir)/src/lib/opts.c
FUZZ_HARNESSES = frame policy cli secret json capconf checkpassword pwauth

tests/fuzz/fuzz_frame.bin: $(top_srcdir)/tests/fuzz/fuzz_frame.c $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_frame.c $(FUZZ_LIB)
FUZZ_CONF = $(top_srcdir)/src/helper/conffile.c $(top_srcdir)/src/helper/capconf.c
tests/fuzz/fuzz_policy.bin: $(top_srcdir)/tests/fuzz/fuzz_policy.c $(FUZZ_CONF)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_policy.c \
		$(top_srcdir)/src/helper/policy.c $(top_srcdir)/src/helper/policy_parse.c \
		$(top_srcdir)/src/helper/policy_caps.c $(FUZZ_CONF) $(LIBCAP_LIBS)
tests/fuzz/fuzz_capconf.bin: $(top_srcdir)/tests/fuzz/fuzz_capconf.c $(FUZZ_CONF)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_capconf.c $(FUZZ_CONF) \
		$(LIBCAP_LIBS)
tests/fuzz/fuzz_cli.bin: $(top_srcdir)/tests/fuzz/fuzz_cli.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_cli.c \
		$(top_srcdir)/src/helper/cli.c
tests/fuzz/fuzz_secret.bin: $(top_srcdir)/tests/fuzz/fuzz_secret.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_secret.c \
		$(top_srcdir)/src/helper/secret.c $(top_srcdir)/src/helper/json.c
tests/fuzz/fuzz_json.bin: $(top_srcdir)/tests/fuzz/fuzz_json.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_json.c \
		$(top_srcdir)/src/helper/json.c
tests/fuzz/fuzz_checkpassword.bin: $(top_srcdir)/tests/fuzz/fuzz_checkpassword.c \
		$(top_srcdir)/tests/fuzz/login_check.h \
		$(top_srcdir)/src/helper/compat/cpw_input.c $(top_srcdir)/src/helper/compat/login.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_checkpassword.c \
		$(top_srcdir)/src/helper/compat/cpw_input.c $(top_srcdir)/src/helper/compat/login.c
tests/fuzz/fuzz_pwauth.bin: $(top_srcdir)/tests/fuzz/fuzz_pwauth.c \
		$(top_srcdir)/tests/fuzz/login_check.h \
		$(top_srcdir)/src/helper/compat/pwauth_input.c $(top_srcdir)/src/helper/compat/login.c
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz_pwauth.c \
		$(top_srcdir)/src/helper/compat/pwauth_input.c $(top_srcdir)/src/helper/compat/login.c

.PHONY: fuzz fuzz-long fuzz-build
fuzz-build: config.h
	@mkdir -p tests/fuzz
	@for h in $(FUZZ_HARNESSES); do \
		$(MAKE) $(AM_MAKEFLAGS) tests/fuzz/fuzz_$$h.bin || exit 1; \
	done
fuzz: fuzz-build
	@SECONDS_EACH=$(FUZZ_SECONDS) $(SHELL) $(top_srcdir)/tests/fuzz/run $(top_srcdir) $(FUZZ_HARNESSES)
fuzz-long:
	$(MAKE) $(AM_MAKEFLAGS) fuzz FUZZ_SECONDS=3600

CLEANFILES += tests/fuzz/*.bin
EXTRA_DIST += tests/fuzz/run tests/fuzz/policy.dict tests/fuzz/capconf.dict \
	tests/fuzz/fuzz_frame.c tests/fuzz/fuzz_policy.c tests/fuzz/fuzz_cli.c tests/fuzz/fuzz_secret.c \
	tests/fuzz/fuzz_json.c tests/fuzz/fuzz_capconf.c tests/fuzz/fuzz_checkpassword.c \
	tests/fuzz/fuzz_pwauth.c tests/fuzz/login_check.h tests/fuzz/corpus
