/*
 * conffile.c — read a configuration file that only root controls, split it
 * into lines, and quote it in messages.
 *
 * MUST: a trusted file is opened with O_NOFOLLOW (a symlink is refused) and
 * O_NONBLOCK (a FIFO cannot stall us), and judged by fstat on that open fd,
 * never by its path again: a regular file, owned by root, not writable by
 * group or others (a POSIX ACL granting write shows in the group bits), at
 * most max bytes.  It is read whole and bounded; a file that grew past max
 * after fstat is refused, never cut.  MUST: never read past len; a quote
 * shows at most CONF_QUOTE_MAX bytes, escaped, so a message stays one short
 * printable line whatever the file holds.  MUST: no printing, no exit, no
 * syslog: reasons go to err.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conffile.h"

#define GR_BUF_MIN 1024
#define GR_BUF_MAX (1024 * 1024)

void
conf_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
conf_quote(char out[CONF_QUOTE_BUF], const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < n && i < CONF_QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 0xf];
	}
	if (n > CONF_QUOTE_MAX) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

int
conf_next_line(const char *text, size_t len, size_t *off, const char **line, size_t *n)
{
	const char *s, *nl;

	if (*off >= len)
		return 0;
	s = text + *off;
	nl = memchr(s, '\n', len - *off);
	*n = nl != NULL ? (size_t)(nl - s) : len - *off;
	*off += *n + (nl != NULL);
	*line = s;
	return 1;
}

int
conf_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	char *b = malloc(max + 1);
	size_t n = 0;
	ssize_t got;
	int r = 0;

	if (b == NULL)
		return -ENOMEM;
	while (n <= max) {
		got = read(fd, b + n, max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max)
		r = -EFBIG;
out:
	if (r < 0) {
		free(b);
		return r;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* Is the open file one root alone controls?  0 or -EPERM/-EIO with why. */
static int
trusted(int fd, size_t max, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		conf_err(err, errlen, "cannot stat: %s", strerror(errno));
		return -EIO;
	}
	if (!S_ISREG(st.st_mode))
		conf_err(err, errlen, "is not a regular file");
	else if (st.st_uid != 0)
		conf_err(err, errlen, "is not owned by root");
	else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		conf_err(err, errlen, "is writable by group or others");
	else if ((unsigned long long)st.st_size > max)
		conf_err(err, errlen, "is larger than %zu bytes", max);
	else
		return 0;
	return -EPERM;
}

int
conf_read_trusted(const char *path, size_t max, char **buf, size_t *len, char *err,
		  size_t errlen)
{
	int fd, r, e;

	conf_err(err, errlen, "%s", "");
	if (path == NULL || buf == NULL || len == NULL)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT)
			return -ENOENT;
		if (e == ELOOP) {
			conf_err(err, errlen, "is a symbolic link");
			return -EPERM;
		}
		conf_err(err, errlen, "cannot open: %s", strerror(e));
		return -EIO;
	}
	if ((r = trusted(fd, max, err, errlen)) < 0)
		goto out;
	if ((r = conf_read_fd(fd, max, buf, len)) < 0) {
		/* It grew after fstat: only root can do that, but still. */
		if (r == -EFBIG)
			conf_err(err, errlen, "is larger than %zu bytes", max);
		else if (r == -ENOMEM)
			conf_err(err, errlen, "out of memory");
		else
			conf_err(err, errlen, "cannot read: %s", strerror(-r));
		r = r == -EFBIG ? -EPERM : r == -ENOMEM ? r : -EIO;
	}
out:
	(void)close(fd);
	return r;
}

int
conf_group_gid(const char *name, gid_t *gid)
{
	struct group gr, *res = NULL;
	char *buf = NULL, *nb;
	size_t size = GR_BUF_MIN;
	int e;

	if (name == NULL || gid == NULL)
		return -EINVAL;
	for (;;) {
		if ((nb = realloc(buf, size)) == NULL) {
			e = ENOMEM;
			goto out;
		}
		buf = nb;
		e = getgrnam_r(name, &gr, buf, size, &res);
		if (e != ERANGE || size >= GR_BUF_MAX)
			break;
		size *= 2;
	}
	/* glibc says "no such group" with 0 and res == NULL; others with
	 * ENOENT or ESRCH.  Anything else is a failure, not an answer. */
	if (e == 0 && res != NULL)
		*gid = res->gr_gid;
	else if (e == 0 || e == ENOENT || e == ESRCH)
		e = ENOENT;
out:
	free(buf);
	return -e;
}
