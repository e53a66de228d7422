/*
 * policy.c — load pipefork-as.conf, and the policy's answers.
 *
 * MUST: the file is read only through conf_read_trusted (conffile.c: a
 * root-owned regular file, not a symlink, not group- or world-writable, at
 * most POLICY_FILE_MAX bytes), whole, and parsed only then; on any error p
 * holds the defaults.  MUST: every answer fails closed:
 * a missing caller group matches no one, (uid_t)-1 is never a target, uid 0
 * only with allow_root, a malformed op name is never allowed.  MUST: no
 * printing, no exit, no syslog: reasons go to err.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capconf.h"
#include "conffile.h"
#include "policy.h"
#include "policy_int.h"

#define LOGIN_DEFS_MAX (1024 * 1024)

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
	    conf_read_fd(fd, LOGIN_DEFS_MAX, &buf, &len) == 0 &&
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
	p->caps_allowed = 0;
	memcpy(p->capability_conf, CAPCONF_PATH, sizeof(CAPCONF_PATH));
	p->grants_len = 0;
	p->ngrants = 0;
}

int
policy_load(const char *path, const char *login_defs, struct policy *p, char *err,
	    size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	conf_err(err, errlen, "%s", "");
	if (path == NULL || p == NULL)
		return -EINVAL;
	policy_defaults(p, login_defs);
	r = conf_read_trusted(path, POLICY_FILE_MAX, &buf, &len, err, errlen);
	if (r == -ENOENT)
		r = 0;
	else if (r == 0)
		r = policy_parse(buf, len, p, err, errlen);
	free(buf);
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
	gid_t gid;

	if (p == NULL || p->caller_group[0] == '\0' ||
	    memchr(p->caller_group, '\0', sizeof(p->caller_group)) == NULL)
		return (gid_t)-1;
	if (conf_group_gid(p->caller_group, &gid) < 0)
		return (gid_t)-1;
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

int
policy_equal(const struct policy *a, const struct policy *b)
{
	size_t i;

	if (strcmp(a->caller_group, b->caller_group) != 0 || a->min_uid != b->min_uid ||
	    a->allow_root != b->allow_root || a->ops_all != b->ops_all || a->nops != b->nops ||
	    a->default_timeout != b->default_timeout || a->max_timeout != b->max_timeout ||
	    a->max_output != b->max_output || a->caps_allowed != b->caps_allowed ||
	    strcmp(a->capability_conf, b->capability_conf) != 0 || a->ngrants != b->ngrants ||
	    a->grants_len != b->grants_len || memcmp(a->grants, b->grants, a->grants_len) != 0)
		return 0;
	for (i = 0; i < a->nops && i < POLICY_OPS_MAX; i++)
		if (strcmp(a->ops[i], b->ops[i]) != 0)
			return 0;
	return 1;
}
