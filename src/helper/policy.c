/*
 * policy.c — load pipefork-as.conf, and the policy's answers.
 *
 * MUST: the file is opened with O_NOFOLLOW (a symlink is refused) and
 * O_NONBLOCK (a FIFO cannot stall us), and judged by fstat on that open fd,
 * never by its path again: a regular file, owned by root, not writable by
 * group or others (a POSIX ACL granting write shows in the group bits), at
 * most POLICY_FILE_MAX bytes.  It is read whole, bounded, and parsed only
 * then; on any error p holds the defaults.  MUST: every answer fails closed:
 * a missing caller group matches no one, (uid_t)-1 is never a target, uid 0
 * only with allow_root, a malformed op name is never allowed.  MUST: no
 * printing, no exit, no syslog: reasons go to err.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "policy_int.h"

#define LOGIN_DEFS_MAX (1024 * 1024)
#define GR_BUF_MIN 1024
#define GR_BUF_MAX (1024 * 1024)

/* All of fd into *buf, *len bytes (caller frees *buf); -EFBIG when it
 * holds more than max bytes, or -errno. */
static int
read_all(int fd, size_t max, char **buf, size_t *len)
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

uid_t
policy_uid_min(const char *login_defs)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	uid_t uid = POLICY_UID_MIN_DEFAULT, v;
	int fd;

	if (login_defs == NULL)
		login_defs = POLICY_LOGIN_DEFS;
	fd = open(login_defs, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return uid;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read_all(fd, LOGIN_DEFS_MAX, &buf, &len) == 0 &&
	    policy_defs_uid_min(buf, len, &v) == 0)
		uid = v;
	free(buf);
	(void)close(fd);
	return uid;
}

void
policy_defaults(struct policy *p, const char *login_defs)
{
	if (p == NULL)
		return;
	memset(p, 0, sizeof(*p));
	memcpy(p->caller_group, "pipefork", sizeof("pipefork"));
	p->min_uid = policy_uid_min(login_defs);
	p->allow_root = 0;
	p->ops_all = 1;
	p->nops = 0;
	p->default_timeout = 30;
	p->max_timeout = 300;
	p->max_output = 1024 * 1024;
}

/* Is the open file one root alone controls?  0 or -EPERM/-EIO with why. */
static int
trusted(int fd, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		policy_err(err, errlen, "cannot stat: %s", strerror(errno));
		return -EIO;
	}
	if (!S_ISREG(st.st_mode))
		policy_err(err, errlen, "is not a regular file");
	else if (st.st_uid != 0)
		policy_err(err, errlen, "is not owned by root");
	else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		policy_err(err, errlen, "is writable by group or others");
	else if (st.st_size > POLICY_FILE_MAX)
		policy_err(err, errlen, "is larger than %d bytes", POLICY_FILE_MAX);
	else
		return 0;
	return -EPERM;
}

int
policy_load(const char *path, const char *login_defs, struct policy *p, char *err,
	    size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, r, e;

	policy_err(err, errlen, "%s", "");
	if (path == NULL || p == NULL)
		return -EINVAL;
	policy_defaults(p, login_defs);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		r = e == ENOENT ? 0 : e == ELOOP ? -EPERM : -EIO;
		if (r == -EPERM)
			policy_err(err, errlen, "is a symbolic link");
		else if (r < 0)
			policy_err(err, errlen, "cannot open: %s", strerror(e));
		goto out;
	}
	if ((r = trusted(fd, err, errlen)) < 0)
		goto out;
	if ((r = read_all(fd, POLICY_FILE_MAX, &buf, &len)) < 0) {
		/* It grew after fstat: only root can do that, but still. */
		if (r == -EFBIG)
			policy_err(err, errlen, "is larger than %d bytes", POLICY_FILE_MAX);
		else
			policy_err(err, errlen, "cannot read: %s", strerror(-r));
		r = r == -EFBIG ? -EPERM : -EIO;
		goto out;
	}
	r = policy_parse(buf, len, p, err, errlen);
out:
	free(buf);
	if (fd >= 0)
		(void)close(fd);
	return r;
}

int
policy_caller_allowed(uid_t ruid, gid_t rgid, const gid_t *groups, size_t n,
		      gid_t caller_gid)
{
	size_t i;

	if (ruid == 0)
		return 1;
	if (caller_gid == (gid_t)-1)
		return 0;
	if (rgid == caller_gid)
		return 1;
	for (i = 0; groups != NULL && i < n; i++)
		if (groups[i] == caller_gid)
			return 1;
	return 0;
}

gid_t
policy_caller_gid(const struct policy *p)
{
	struct group gr, *res = NULL;
	char *buf = NULL, *nb;
	size_t size = GR_BUF_MIN;
	gid_t gid = (gid_t)-1;
	int e;

	if (p == NULL || p->caller_group[0] == '\0' ||
	    memchr(p->caller_group, '\0', sizeof(p->caller_group)) == NULL)
		return gid;
	for (;;) {
		if ((nb = realloc(buf, size)) == NULL)
			goto out;
		buf = nb;
		e = getgrnam_r(p->caller_group, &gr, buf, size, &res);
		if (e != ERANGE)
			break;
		if (size >= GR_BUF_MAX)
			goto out;
		size *= 2;
	}
	if (e == 0 && res != NULL)
		gid = res->gr_gid;
out:
	free(buf);
	return gid;
}

int
policy_target_allowed(const struct policy *p, uid_t uid)
{
	if (p == NULL || uid == (uid_t)-1)
		return 0;
	if (uid == 0)
		return p->allow_root != 0;
	return uid >= p->min_uid;
}

int
policy_op_allowed(const struct policy *p, const char *op)
{
	size_t i, n;

	if (p == NULL || op == NULL)
		return 0;
	n = strnlen(op, POLICY_NAME_MAX + 1);
	if (!policy_op_name(op, n))
		return 0;
	if (p->ops_all)
		return 1;
	for (i = 0; i < p->nops && i < POLICY_OPS_MAX; i++)
		if (strcmp(p->ops[i], op) == 0)
			return 1;
	return 0;
}

int
policy_timeout(const struct policy *p, long requested, long *out)
{
	if (p == NULL || out == NULL)
		return -EINVAL;
	if (requested == -1) {
		*out = p->default_timeout;
		return 0;
	}
	if (requested < 1 || requested > p->max_timeout)
		return -EINVAL;
	*out = requested;
	return 0;
}
