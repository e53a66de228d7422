#!/bin/bash
# write's paths that the lab's tmpfs does not take by itself, forced by an
# LD_PRELOAD shim on a copy of the helper that root runs without the
# setuid bit (the shim reaches the operation's child: fork, no exec):
#   PFA_SHIM=1  openat(O_TMPFILE) fails with EOPNOTSUPP, as on file systems
#               without it: the named temporary, O_EXCL|O_NOFOLLOW;
#   PFA_SHIM=2  renameat fails with EIO: the linked temporary is removed.
# In each case the old file stays whole and no temporary is left.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

cat >"$P/shim.c" <<'EOC'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read before main: the helper clears its environment. */
static int mode;
static char log_path[4096];

__attribute__((constructor)) static void
init(void)
{
	const char *m = getenv("PFA_SHIM");

	mode = m != NULL ? atoi(m) : 0;
	m = getenv("PFA_SHIM_LOG");
	if (m != NULL && strlen(m) < sizeof(log_path))
		strcpy(log_path, m);
}

/* One line to PFA_SHIM_LOG: what the operation asked for. */
static void
note(int (*real)(int, const char *, int, ...), const char *what)
{
	int fd = real(AT_FDCWD, log_path, O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd >= 0) {
		(void)!write(fd, what, strlen(what));
		close(fd);
	}
}

static int
shim_openat(const char *name, int dfd, const char *path, int flags, int perm)
{
	int (*real)(int, const char *, int, ...) = dlsym(RTLD_NEXT, name);

	if ((mode & 1) && (flags & O_TMPFILE) == O_TMPFILE) {
		note(real, "O_TMPFILE refused\n");
		errno = EOPNOTSUPP;
		return -1;
	}
	if (strncmp(path, ".pfa-write-", 11) == 0)
		note(real, (flags & (O_CREAT | O_EXCL | O_NOFOLLOW)) == (O_CREAT | O_EXCL | O_NOFOLLOW) &&
				   perm == 0600
			   ? "named O_CREAT|O_EXCL|O_NOFOLLOW 0600\n"
			   : "named without O_EXCL|O_NOFOLLOW\n");
	return real(dfd, path, flags, perm);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	va_list ap;
	int perm = 0;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		perm = va_arg(ap, int);
	va_end(ap);
	return shim_openat("openat", dfd, path, flags, perm);
}

/* The same function on 64-bit glibc. */
int openat64(int dfd, const char *path, int flags, ...) __attribute__((alias("openat")));

int
renameat(int a, const char *b, int c, const char *d)
{
	int (*real)(int, const char *, int, const char *) = dlsym(RTLD_NEXT, "renameat");

	if (mode & 2) {
		errno = EIO;
		return -1;
	}
	return real(a, b, c, d);
}
EOC
cc -shared -fPIC -o "$P/shim.so" "$P/shim.c" -ldl
t_ok $? "the shim builds"
install -o root -g root -m 755 "$PFA_BUILDDIR/pipefork-as" "$P/bin/pfa-plain"
shimlog=$TMPDIR/shim.log
install -m 666 /dev/null "$shimlog"

# shimmed MODE ARGS...: the plain helper as root for pfa_alice, with the
# shim in MODE and this function's stdin as the input.
shimmed() {
	local mode=$1
	shift
	# (a sanitizer build: ASan must let the shim come first)
	OUT=$(env -i PATH=/usr/bin:/bin "${SAN_ENV[@]}" \
		${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"} \
		PFA_SHIM="$mode" PFA_SHIM_LOG="$shimlog" LD_PRELOAD="$P/shim.so" \
		"$P/bin/pfa-plain" --no-auth --user pfa_alice "$@" 2>"$P/stderr")
	RC=$?
}

d=$AH/fb
install -d -o pfa_alice -g pfa_alice -m 700 "$d"
printf 'old\n' >"$d/f" && chown pfa_alice:pfa_alice "$d/f" && chmod 640 "$d/f"

printf 'named\n' | shimmed 1 write fb/f
t_is "$(jqr .status)" ok "no O_TMPFILE: write goes through a named temporary"
t_is "$(cat "$d/f") $(stat -c '%a %U' "$d/f")" "named 640 pfa_alice" "the new content, the old mode"
t_is "$(names "$d")" f "and the temporary is gone (renamed)"
t_is "$(cat "$shimlog")" "$(printf 'O_TMPFILE refused\nnamed O_CREAT|O_EXCL|O_NOFOLLOW 0600')" \
	"the shim saw O_TMPFILE refused, then the named temporary opened O_EXCL|O_NOFOLLOW"
printf 'new\n' | shimmed 1 write fb/g
t_is "$(stat -c '%a %U' "$d/g")" "600 pfa_alice" "a new file is 0600"
rm -f "$d/g"

echo "max_output = 1K" >"$CONF"
head -c 2048 /dev/zero | shimmed 1 write fb/f
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "no O_TMPFILE, input over max_output: $(jqr .error)"
t_is "$(cat "$d/f")" named "the old file is whole"
t_is "$(names "$d")" f "the named temporary was removed"
rm -f "$CONF"

printf 'lost\n' | shimmed 2 write fb/f
t_ok "$(jqr .error | grep -q '^EIO' && echo 0)" "rename fails after the temporary was linked: $(jqr .error)"
t_is "$(cat "$d/f")" named "the old file is whole"
t_is "$(names "$d")" f "the linked temporary was removed"
printf 'lost\n' | shimmed 3 write fb/f
t_ok "$(jqr .error | grep -q '^EIO' && echo 0)" "no O_TMPFILE and rename fails: $(jqr .error)"
t_is "$(names "$d")" f "the named temporary was removed"
t_is "$(cat "$d/f")" named "the old file is whole"
t_done
