# The helper's own steps (everything but main.c is in libpfahelper.la so
# that unit tests can reach it), the pipefork-as program, and its setuid
# installation (only with --enable-setuid-install, only as root).
libpfahelper_la_SOURCES += \
	src/helper/request.h \
	src/helper/acct.h src/helper/acct.c \
	src/helper/caller.h src/helper/caller.c \
	src/helper/sigs.h src/helper/sigs.c \
	src/helper/reap.h src/helper/reap.c \
	src/helper/env.h src/helper/env.c \
	src/helper/reply.h src/helper/reply.c \
	src/helper/relay.h src/helper/relay.c \
	src/helper/run.c \
	src/helper/steps.h src/helper/steps.c \
	src/helper/ops/ops.h src/helper/ops/ops.c \
	src/helper/ops/op_id.c \
	src/helper/ops/op_exec.c \
	src/helper/ops/op_read.c \
	src/helper/ops/op_file.h src/helper/ops/op_file.c \
	src/helper/ops/op_write.c \
	src/helper/ops/op_list.c \
	src/helper/ops/op_stat.c \
	src/helper/ops/op_mkdir.c \
	src/helper/ops/op_rename.c \
	src/helper/ops/op_remove.c

bin_PROGRAMS += pipefork-as
pipefork_as_SOURCES = src/helper/main.c
pipefork_as_CFLAGS = $(AM_CFLAGS) $(PIE_CFLAGS) $(PAM_CFLAGS) $(LIBCAP_CFLAGS)
pipefork_as_LDFLAGS = $(AM_LDFLAGS) $(PIE_LDFLAGS)
pipefork_as_LDADD = libpfahelper.la libpfacore.la $(PAM_LIBS) $(LIBCAP_LIBS)

if SETUID_INSTALL
install-exec-hook:
	@if [ "$$(id -u)" = 0 ]; then \
		chown root:root "$(DESTDIR)$(bindir)/pipefork-as" && \
		chmod 4755 "$(DESTDIR)$(bindir)/pipefork-as" && \
		echo "pipefork-as installed setuid root"; \
	else \
		echo "warning: not root: pipefork-as installed WITHOUT the setuid bit" >&2; \
	fi
endif
