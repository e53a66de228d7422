/*
 * caller.c — see caller.h.  MUST: the caller's identity comes from the
 * kernel's credentials of this process (real uid, real gid, supplementary
 * groups), bounded; the name is only for logs and PAM_RUSER.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "caller.h"

/* The passwd buffer: a line fits in the small one; a longer one (a huge
 * gecos) gets the heap, up to NAME_BUF_MAX.  Not a 16 KiB stack array: its
 * pages would be probed and wiped for a line of a hundred bytes. */
#define NAME_BUF_SMALL 1024
#define NAME_BUF_MAX (1024 * 1024)

static void
caller_name(struct caller *c)
{
	struct passwd pw, *res = NULL;
	char small[NAME_BUF_SMALL], *buf = small;
	size_t size = sizeof(small);
	int e;

	for (;;) {
		e = getpwuid_r(c->uid, &pw, buf, size, &res);
		if (e != ERANGE || size >= NAME_BUF_MAX)
			break;
		explicit_bzero(buf, size);
		if (buf != small)
			free(buf);
		size = size * 8 < NAME_BUF_MAX ? size * 8 : NAME_BUF_MAX;
		if ((buf = malloc(size)) == NULL) {
			buf = small;
			size = sizeof(small);
			e = ENOMEM;
			break;
		}
	}
	if (e == 0 && res != NULL && strlen(res->pw_name) < sizeof(c->name))
		memcpy(c->name, res->pw_name, strlen(res->pw_name) + 1);
	else
		snprintf(c->name, sizeof(c->name), "%lu", (unsigned long)c->uid);
	explicit_bzero(buf, size);
	if (buf != small)
		free(buf);
}

int
caller_identify(struct caller *c)
{
	int n;

	memset(c, 0, sizeof(*c));
	c->uid = getuid();
	c->gid = getgid();
	n = getgroups(0, NULL);
	if (n < 0 || n > CALLER_GROUPS_MAX)
		return n < 0 ? -errno : -E2BIG;
	c->groups = calloc((size_t)n + 1, sizeof(gid_t));
	if (c->groups == NULL)
		return -ENOMEM;
	n = getgroups(n, c->groups);
	if (n < 0) {
		int e = -errno;
		caller_release(c);
		return e;
	}
	c->ngroups = (size_t)n;
	caller_name(c);
	c->known = 1;
	return 0;
}

void
caller_release(struct caller *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

int
caller_become_root(void)
{
	uid_t r, e, s;

	if (setresuid(0, 0, 0) != 0)
		return -errno;
	if (getresuid(&r, &e, &s) != 0)
		return -errno;
	return r == 0 && e == 0 && s == 0 ? 0 : -EPERM;
}

/* No capability permitted or effective (so none ambient: the kernel keeps
 * ambient within permitted; the inheritable set is the caller's own, which
 * pam_cap may have filled), and for a known caller exactly its groups, in
 * the kernel's order, which caller_identify read them in. */
static int
powerless(const struct caller *c)
{
	cap_t now = cap_get_proc(), none = cap_init();
	gid_t *g = NULL;
	int d = now != NULL && none != NULL ? cap_compare(now, none) : -1, n;
	int ok = d >= 0 && !CAP_DIFFERS(d, CAP_PERMITTED) && !CAP_DIFFERS(d, CAP_EFFECTIVE);

	(void)cap_free(now);
	(void)cap_free(none);
	if (!ok || !c->known)
		return ok ? 0 : -EPERM;
	n = getgroups(0, NULL);
	ok = n >= 0 && (size_t)n == c->ngroups && (g = calloc((size_t)n + 1, sizeof(*g))) != NULL &&
	     getgroups(n, g) == n && memcmp(g, c->groups, (size_t)n * sizeof(*g)) == 0;
	free(g);
	return ok ? 0 : -EPERM;
}

/* Empty every capability set (ambient first: it must stay within the
 * permitted and inheritable ones). */
static int
drop_caps(void)
{
	cap_t none = cap_init();
	int r;

	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	r = none != NULL && cap_set_proc(none) == 0 ? 0 : -1;
	(void)cap_free(none);
	return r;
}

int
caller_become_caller(const struct caller *c)
{
	uid_t uid = c->known ? c->uid : getuid(), r, e, s;
	gid_t gid = c->known ? c->gid : getgid(), rg, eg, sg;

	if (c->known && setgroups(c->ngroups, c->groups) != 0)
		return -errno;
	if (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
		return -errno;
	/* A PAM module may have kept capabilities across that switch (pam_cap
	 * keepcaps sets KEEP_CAPS in this process): dropping them is always
	 * allowed, and powerless() below proves it happened. */
	if (uid != 0 && drop_caps() != 0)
		return -EPERM;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -errno;
	if (getresuid(&r, &e, &s) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return -errno;
	if (r != uid || e != uid || s != uid || rg != gid || eg != gid || sg != gid)
		return -EPERM;
	if (uid != 0 && (setuid(0) != -1 || powerless(c) != 0))
		return -EPERM;
	return 0;
}
