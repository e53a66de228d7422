/*
 * identity.c — resolve a target user before fork.
 *
 * MUST: everything the child needs (ids, the supplementary group list, the
 * capability mask) is resolved here, in the parent, so that the child makes
 * no NSS call and never allocates; an identity whose group list was never
 * looked up nor set (PFA_NO_GROUPS) is refused by drop_prepare.  MUST: uid 0 is refused unless the caller
 * passed PFA_ALLOW_ROOT, whichever way it was named; (uid_t)-1 and
 * (gid_t)-1 are never valid ids.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "internal.h"

#define PW_BUF_MAX (1u << 20)

int
pfa_name_valid(const char *name)
{
	size_t i, len;

	if (name == NULL)
		return 0;
	len = strnlen(name, PFA_NAME_MAX + 1);
	if (len == 0 || len > PFA_NAME_MAX || name[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f || c == ':')
			return 0;
	}
	return 1;
}

static int
gid_cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort and deduplicate list[0..n); returns the new count. */
static size_t
groups_normalise(gid_t *list, size_t n)
{
	size_t i, out = 0;

	qsort(list, n, sizeof(*list), gid_cmp);
	for (i = 0; i < n; i++)
		if (out == 0 || list[out - 1] != list[i])
			list[out++] = list[i];
	return out;
}

/* The initgroups(3) list of name with base gid; *list is the caller's. */
static int
fetch_groups(const char *name, gid_t gid, gid_t **list, size_t *n)
{
	int want = 64;
	gid_t *g = NULL;

	for (;;) {
		int got = want;
		gid_t *ng = realloc(g, (size_t)want * sizeof(*g));
		if (ng == NULL) {
			free(g);
			return PFA_ENOMEM;
		}
		g = ng;
		if (getgrouplist(name, gid, g, &got) >= 0) {
			*n = groups_normalise(g, (size_t)got);
			*list = g;
			return 0;
		}
		if (want >= PFA_GROUPS_MAX) {
			free(g);
			return PFA_EINVAL;
		}
		want = got > want ? got : want * 2;
		if (want > PFA_GROUPS_MAX)
			want = PFA_GROUPS_MAX;
	}
}

static int
from_passwd(const struct passwd *pw, unsigned flags, struct pfa_identity **out)
{
	struct pfa_identity *id;
	int r;

	if (pw->pw_uid == (uid_t)-1 || pw->pw_gid == (gid_t)-1)
		return PFA_EINVAL;
	if (pw->pw_uid == 0 && !(flags & PFA_ALLOW_ROOT))
		return PFA_EROOT;
	if ((id = calloc(1, sizeof(*id))) == NULL)
		return PFA_ENOMEM;
	id->uid = pw->pw_uid;
	id->gid = pw->pw_gid;
	id->name = strdup(pw->pw_name);
	id->home = strdup(pw->pw_dir != NULL ? pw->pw_dir : "");
	id->shell = strdup(pw->pw_shell != NULL ? pw->pw_shell : "");
	if (id->name == NULL || id->home == NULL || id->shell == NULL) {
		r = PFA_ENOMEM;
		goto out;
	}
	if (!(flags & PFA_NO_GROUPS)) {
		if ((r = fetch_groups(pw->pw_name, pw->pw_gid, &id->groups, &id->ngroups)) < 0)
			goto out;
		id->groups_known = 1;
	}
	*out = id;
	return 0;
out:
	pfa_identity_free(id);
	return r;
}

static int
lookup(const char *name, uid_t uid, unsigned flags, struct pfa_identity **out)
{
	struct passwd pwbuf, *pw = NULL;
	long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t size = hint > 0 ? (size_t)hint : 16384;
	char *buf = NULL;
	int e, r;

	for (;;) {
		char *nb = realloc(buf, size);
		if (nb == NULL) {
			r = PFA_ENOMEM;
			goto out;
		}
		buf = nb;
		e = name != NULL ? getpwnam_r(name, &pwbuf, buf, size, &pw)
				 : getpwuid_r(uid, &pwbuf, buf, size, &pw);
		if (e != ERANGE || size >= PW_BUF_MAX)
			break;
		size *= 2;
	}
	if (pw == NULL) {
		r = (e == 0 || e == ENOENT || e == ESRCH) ? PFA_ENOUSER : PFA_ESYS;
		errno = e;
		goto out;
	}
	r = from_passwd(pw, flags, out);
out:
	free(buf);
	return r;
}

int
pfa_identity_from_name(const char *name, unsigned flags, pfa_identity **out)
{
	if (out == NULL)
		return PFA_EINVAL;
	*out = NULL;
	if (name == NULL || !pfa_name_valid(name) || (flags & ~(PFA_ALLOW_ROOT | PFA_NO_GROUPS)))
		return PFA_EINVAL;
	return lookup(name, 0, flags, out);
}

int
pfa_identity_from_uid(uid_t uid, unsigned flags, pfa_identity **out)
{
	if (out == NULL)
		return PFA_EINVAL;
	*out = NULL;
	if (uid == (uid_t)-1 || (flags & ~(PFA_ALLOW_ROOT | PFA_NO_GROUPS)))
		return PFA_EINVAL;
	if (uid == 0 && !(flags & PFA_ALLOW_ROOT))
		return PFA_EROOT;
	return lookup(NULL, uid, flags, out);
}

void
pfa_identity_free(pfa_identity *id)
{
	if (id == NULL)
		return;
	free(id->name);
	free(id->home);
	free(id->shell);
	free(id->groups);
	free(id);
}

uid_t pfa_identity_uid(const pfa_identity *id) { return id != NULL ? id->uid : (uid_t)-1; }
gid_t pfa_identity_gid(const pfa_identity *id) { return id != NULL ? id->gid : (gid_t)-1; }
const char *pfa_identity_name(const pfa_identity *id) { return id != NULL ? id->name : NULL; }
const char *pfa_identity_home(const pfa_identity *id) { return id != NULL ? id->home : NULL; }
const char *pfa_identity_shell(const pfa_identity *id) { return id != NULL ? id->shell : NULL; }
uint64_t pfa_identity_caps(const pfa_identity *id) { return id != NULL ? id->caps : 0; }

size_t
pfa_identity_groups(const pfa_identity *id, const gid_t **list)
{
	if (list != NULL)
		*list = id != NULL ? id->groups : NULL;
	return id != NULL ? id->ngroups : 0;
}

int
pfa_identity_set_groups(pfa_identity *id, const gid_t *groups, size_t n)
{
	gid_t *copy;
	size_t i;

	if (id == NULL || (n > 0 && groups == NULL) || n > PFA_GROUPS_MAX)
		return PFA_EINVAL;
	for (i = 0; i < n; i++)
		if (groups[i] == (gid_t)-1)
			return PFA_EINVAL;
	if ((copy = malloc((n > 0 ? n : 1) * sizeof(*copy))) == NULL)
		return PFA_ENOMEM;
	if (n > 0)
		memcpy(copy, groups, n * sizeof(*copy));
	free(id->groups);
	id->groups = copy;
	id->ngroups = groups_normalise(copy, n);
	id->groups_known = 1;
	return 0;
}

int
pfa_identity_set_caps(pfa_identity *id, uint64_t mask)
{
	unsigned bits;

	if (id == NULL)
		return PFA_EINVAL;
	bits = (unsigned)cap_max_bits();
	if (bits < 64 && (mask >> bits) != 0)
		return PFA_EINVAL;
	id->caps = mask;
	return 0;
}
