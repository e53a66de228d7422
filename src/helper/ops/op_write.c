/*
 * op_write.c — "write PATH": the child, as the user, replaces PATH (relative
 * to the home directory) with the bytes of its stdin (what followed the
 * password line), atomically: a reader sees the old file or the new one,
 * never a part.
 *
 *   1. PATH's directory is opened (O_PATH); an existing PATH must be a
 *      regular file (a symlink: ELOOP, a directory: EISDIR, else EINVAL)
 *      that the user may write (EACCES otherwise);
 *   2. a temporary file is made in that directory: O_TMPFILE (no name, so
 *      nothing is left behind whatever kills the child), or where the file
 *      system has none, a random ".pfa-write-XXXXXXXXXXXXXXXX" name opened
 *      O_CREAT|O_EXCL|O_NOFOLLOW;
 *   3. stdin is copied into it, at most max_output bytes (more: EFBIG);
 *   4. its mode becomes the old file's permission bits (without set-id
 *      bits; without the group bits when the old file's group cannot be
 *      kept), or exactly 0600 for a new file; it is fsync'd;
 *   5. it gets a random name (linkat of /proc/self/fd/N) and is renamed
 *      over PATH; the directory is fsync'd when the user can read it.
 *
 * With --append, stdin is staged in a memfd (bounded the same way) and
 * appended only once all of it arrived, to PATH opened O_APPEND|O_NOFOLLOW
 * (created 0600 when missing).  Result: "size", the bytes written.
 *
 * MUST: every file is opened in the child, as the user; on every failure
 * path a named temporary is unlinked and PATH is left as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

#define WRITE_CHUNK (256u * 1024)
#define TMP_TRIES 16

static unsigned char buf[WRITE_CHUNK];

/* The file being written. */
struct target {
	const char *path;
	const char *base;   /* PATH's last component, into path */
	int dfd;            /* PATH's directory (O_PATH) */
	int fd;             /* the temporary (or the memfd with --append) */
	char tmp[40];       /* the temporary's name; "" while it has none */
};

/* All of p[0..n) to fd: 0 or an errno. */
static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy from in to out until EOF, at most max bytes (EFBIG past them);
 * *size gets the bytes copied.  0 or an errno. */
static int
copy(int in, int out, uint64_t max, uint64_t *size)
{
	ssize_t n;
	int e;

	*size = 0;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* The caller's stdin may be non-blocking. */
			struct pollfd p = { .fd = in, .events = POLLIN };
			(void)poll(&p, 1, -1);
			continue;
		}
		if (n < 0)
			return errno;
		if ((uint64_t)n > max - *size)
			return EFBIG;
		if ((e = write_all(out, buf, (size_t)n)) != 0)
			return e;
		*size += (uint64_t)n;
	}
	return 0;
}

/* Open PATH's directory and find its last component.  0 or an errno. */
static int
open_dir(struct target *t)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(t->path, '/');
	size_t len = strlen(t->path);

	if (len >= sizeof(dir))
		return ENAMETOOLONG;
	t->base = slash != NULL ? slash + 1 : t->path;
	if (t->base[0] == '\0' || strcmp(t->base, ".") == 0 || strcmp(t->base, "..") == 0)
		return EISDIR;
	if (slash != NULL && slash != t->path) {
		memcpy(dir, t->path, (size_t)(slash - t->path));
		dir[slash - t->path] = '\0';
	}
	if ((t->dfd = open(slash == NULL ? "." : slash == t->path ? "/" : dir,
			   O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno;
	return 0;
}

/* A fresh random name for the temporary.  0 or an errno. */
static int
tmp_name(struct target *t)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return errno != 0 ? errno : EIO;
	snprintf(t->tmp, sizeof(t->tmp), ".pfa-write-%016llx", (unsigned long long)r);
	return 0;
}

/* Step 2: the temporary, unnamed when the file system allows. */
static int
tmp_create(struct target *t)
{
	int e;

	if ((t->fd = openat(t->dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)) >= 0)
		return 0;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return errno;
	for (int i = 0; i < TMP_TRIES; i++) {
		if ((e = tmp_name(t)) != 0)
			break;
		t->fd = openat(t->dfd, t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (t->fd >= 0)
			return 0;
		if ((e = errno) != EEXIST)
			break;
	}
	t->tmp[0] = '\0';
	return e;
}

/* Step 5, first half: give an unnamed temporary a name.  0 or an errno. */
static int
tmp_link(struct target *t)
{
	char proc[64];
	int e = EEXIST;

	if (t->tmp[0] != '\0')
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t->fd);
	for (int i = 0; i < TMP_TRIES && e == EEXIST; i++) {
		if ((e = tmp_name(t)) != 0)
			break;
		if (linkat(AT_FDCWD, proc, t->dfd, t->tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		e = errno;
	}
	t->tmp[0] = '\0';
	return e;
}

/* Step 1: what is at PATH now.  *old gets its lstat (st_nlink 0 when there
 * is nothing).  0 or an errno. */
static int
inspect(const struct target *t, struct stat *old)
{
	memset(old, 0, sizeof(*old));
	if (fstatat(t->dfd, t->base, old, AT_SYMLINK_NOFOLLOW) != 0) {
		memset(old, 0, sizeof(*old));
		return errno == ENOENT ? 0 : errno;
	}
	if (S_ISLNK(old->st_mode))
		return ELOOP;
	if (S_ISDIR(old->st_mode))
		return EISDIR;
	if (!S_ISREG(old->st_mode))
		return EINVAL;
	/* rename(2) asks only the directory; the file's own bits count too. */
	return faccessat(t->dfd, t->base, W_OK, AT_EACCESS) == 0 ? 0 : errno;
}

/* Step 4: the old file's permissions on fd, never shown to more people. */
static int
set_mode(int fd, const struct stat *old)
{
	struct stat now;
	mode_t mode = old->st_nlink != 0 ? old->st_mode & 0777 : 0600;

	if (old->st_nlink != 0) {
		if (fstat(fd, &now) != 0)
			return errno;
		if (now.st_gid != old->st_gid && fchown(fd, (uid_t)-1, old->st_gid) != 0)
			mode &= ~(mode_t)070;
	}
	return fchmod(fd, mode) == 0 ? 0 : errno;
}

/* Steps 1-5.  0 or an errno; *what names the step that failed. */
static int
replace(struct target *t, uint64_t max, uint64_t *size, const char **what)
{
	struct stat old;
	int e, d;

	*what = "write";
	if ((e = inspect(t, &old)) != 0)
		return e;
	*what = "create a temporary in the directory of";
	if ((e = tmp_create(t)) != 0)
		return e;
	*what = "write";
	if ((e = copy(STDIN_FILENO, t->fd, max, size)) != 0 || (e = set_mode(t->fd, &old)) != 0)
		return e;
	*what = "fsync";
	if (fsync(t->fd) != 0)
		return errno;
	*what = "link the temporary for";
	if ((e = tmp_link(t)) != 0)
		return e;
	*what = "rename the temporary over";
	if (renameat(t->dfd, t->tmp, t->dfd, t->base) != 0)
		return errno;
	t->tmp[0] = '\0';
	if ((d = openat(t->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(d);
		close(d);
	}
	return 0;
}

/* --append: stage stdin, then append it.  0 or an errno. */
static int
append(struct target *t, uint64_t max, uint64_t *size, const char **what)
{
	struct stat st;
	uint64_t staged;
	int out = -1, e;

	*what = "stage the input for";
	if ((t->fd = memfd_create("pfa-append", MFD_CLOEXEC)) < 0)
		return errno;
	if ((e = copy(STDIN_FILENO, t->fd, max, &staged)) != 0)
		return e;
	*what = "open";
	if ((out = openat(t->dfd, t->base, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
				 O_NOCTTY | O_NONBLOCK, 0600)) < 0)
		return errno;
	e = fstat(out, &st) != 0 ? errno : !S_ISREG(st.st_mode) ? EINVAL : 0;
	*what = "append to";
	if (e == 0 && (fcntl(out, F_SETFL, O_APPEND) != 0 || lseek(t->fd, 0, SEEK_SET) != 0))
		e = errno;
	if (e == 0 && (e = copy(t->fd, out, staged, size)) == 0 && fsync(out) != 0)
		e = errno;
	close(out);
	return e;
}

static int
write_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	struct target t = { .path = c->args[0], .dfd = -1, .fd = -1 };
	const char *what = "open the directory of";
	uint64_t size = 0;
	int e;

	op_enter(c);
	if ((e = open_dir(&t)) == 0)
		e = c->append ? append(&t, c->max_output, &size, &what)
			      : replace(&t, c->max_output, &size, &what);
	if (t.tmp[0] != '\0')
		(void)unlinkat(t.dfd, t.tmp, 0);
	if (t.fd >= 0)
		close(t.fd);
	if (t.dfd >= 0)
		close(t.dfd);
	if (e != 0)
		return op_errno(out, e, e == EFBIG ? "write (input larger than max_output)" : what,
				t.path);
	return pfa_out_int(out, "size", (int64_t)size) == 0 ? 0 : 1;
}

static void
render_write(struct json *j, const pfa_result *res)
{
	op_render_int(j, res, "size");
}

const struct op op_write = { "write", 1, 0, 1, 1, 1, write_child, render_write };
