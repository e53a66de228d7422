# libpipeforkas.  Everything is built once into the convenience library
# libpfacore.la, which the helper and the tests link; the installed shared
# and static library exports only the pfa_* API.
noinst_LTLIBRARIES += libpfacore.la
libpfacore_la_SOURCES = \
	src/pipeforkas.h \
	src/lib/internal.h \
	src/lib/frame.h src/lib/frame.c \
	src/lib/drop.h src/lib/drop.c \
	src/lib/procstatus.h src/lib/procstatus.c \
	src/lib/child.h src/lib/child.c \
	src/lib/identity.c \
	src/lib/opts.c \
	src/lib/out.c \
	src/lib/result.c \
	src/lib/collect.c \
	src/lib/arena.h src/lib/arena.c \
	src/lib/runas.c \
	src/lib/error.c
libpfacore_la_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
libpfacore_la_LIBADD = $(LIBCAP_LIBS)

lib_LTLIBRARIES += libpipeforkas.la
libpipeforkas_la_SOURCES =
libpipeforkas_la_LIBADD = libpfacore.la $(LIBCAP_LIBS)
libpipeforkas_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(PFA_LT_VERSION) \
	-export-symbols-regex '^pfa_'
include_HEADERS += src/pipeforkas.h

pkgconfig_DATA = src/lib/pipeforkas.pc
DISTCLEANFILES += src/lib/pipeforkas.pc
EXTRA_DIST += src/lib/pipeforkas.pc.in
