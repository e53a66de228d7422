/*
 * conffile.h — what the helper's configuration files share: reading a file
 * that only root controls, splitting text into lines, and messages that
 * quote the file safely.  Used for pipefork-as.conf (policy.c) and for
 * capability.conf (capconf.c).
 */
#ifndef PFA_HELPER_CONFFILE_H
#define PFA_HELPER_CONFFILE_H

#include <stddef.h>
#include <sys/types.h>

#define CONF_QUOTE_MAX 32 /* bytes of the text a message shows */
#define CONF_QUOTE_BUF (CONF_QUOTE_MAX * 4 + sizeof("..."))

/* Write a reason to err when err != NULL && errlen > 0 (always terminated). */
void conf_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* s[0..n) made safe to show: at most CONF_QUOTE_MAX bytes, anything but
 * printable ASCII (and '"', '\\') as \xHH, "..." when cut short. */
void conf_quote(char out[CONF_QUOTE_BUF], const char *s, size_t n);

/* The next line of text from *off: *line, *n bytes without its "\n" (a
 * "\r" before it is left to the caller).  0 at the end of the text, else 1
 * and *off moved past the line. */
int conf_next_line(const char *text, size_t len, size_t *off, const char **line, size_t *n);

/* All of fd into *buf, *len bytes (caller frees *buf, which has room for
 * one more byte); -EFBIG when it holds more than max bytes, or -errno. */
int conf_read_fd(int fd, size_t max, char **buf, size_t *len);

/*
 * The whole file at path, if root alone controls it: opened with
 * O_NOFOLLOW and O_NONBLOCK, then judged by fstat on that fd — a regular
 * file, owned by uid 0, not writable by group or others, at most max
 * bytes.  0 with *buf (caller frees) and *len; -ENOENT when it does not
 * exist (err empty); -EPERM when it is not to be trusted, -EIO when it
 * cannot be read, -ENOMEM: the reason in err, starting with a verb ("is a
 * symbolic link"), for the caller to prefix with the path or a name.
 */
int conf_read_trusted(const char *path, size_t max, char **buf, size_t *len, char *err,
		      size_t errlen);

/* The gid of the group named name (NSS, getgrnam_r with a buffer of at
 * most 1 MiB).  0 and *gid; -ENOENT when there is no such group; -ENOMEM,
 * -ERANGE (an entry larger than 1 MiB) or another -errno from NSS. */
int conf_group_gid(const char *name, gid_t *gid);

#endif
