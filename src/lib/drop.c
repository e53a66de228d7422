/*
 * drop.c — become the target user, completely, then prove it.
 *
 * Order (util-linux su, OpenSSH permanently_set_uid, bubblewrap):
 *   1. while still root: reduce the capability bounding set to the kept
 *      capabilities and clear the ambient set (both need CAP_SETPCAP);
 *   2. keepcaps only when capabilities are kept, so that they survive 3;
 *   3. setgroups, setresgid, setresuid — groups first, uid last;
 *   4. capability sets P, I, E set to exactly the kept ones with libcap;
 *      kept capabilities raised into the ambient set so an exec keeps them;
 *   5. no_new_privs; not dumpable (the child holds a copy of the host's
 *      memory: the target user must not ptrace it or read its core).
 * MUST: only async-signal-safe calls here; every return value checked;
 * the bounding and ambient sets are read from /proc/self/status when it is
 * there (3 system calls instead of one per capability), else one by one;
 * drop_verify() then reads every id back and requires that setuid(0),
 * setgid(0) and setgroups() fail, unless the kept capabilities say
 * otherwise (CAP_SETUID, CAP_SETGID) or the target itself is uid/gid 0.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "drop.h"

/* Kernel ABI of capget(2), version 3; declared here to avoid clashing with
 * libcap's header.  Used only to read back, never to set. */
struct raw_cap_header {
	uint32_t version;
	int pid;
};
struct raw_cap_data {
	uint32_t effective, permitted, inheritable;
};
#define RAW_CAP_V3 0x20080522u
#define VERIFY_STACK_GROUPS 32

static int
kept(const struct drop_plan *p, int c)
{
	return c < 64 && (p->caps >> c) & 1u;
}

int
drop_prepare(struct drop_plan *p, const struct pfa_identity *id)
{
	int c;

	if (!id->groups_known)
		return PFA_EINVAL;
	p->uid = id->uid;
	p->gid = id->gid;
	p->groups = id->groups;
	p->ngroups = id->ngroups;
	p->caps = id->caps;
	p->last_cap = (int)cap_max_bits() - 1;
	p->scratch = malloc((id->ngroups + 1) * sizeof(gid_t));
	p->state = cap_init();
	if (p->scratch == NULL || p->state == NULL)
		goto nomem;
	for (c = 0; c <= p->last_cap && c < 64; c++) {
		cap_value_t v = c;
		if (!kept(p, c))
			continue;
		if (cap_set_flag(p->state, CAP_PERMITTED, 1, &v, CAP_SET) != 0 ||
		    cap_set_flag(p->state, CAP_INHERITABLE, 1, &v, CAP_SET) != 0 ||
		    cap_set_flag(p->state, CAP_EFFECTIVE, 1, &v, CAP_SET) != 0)
			goto nomem;
	}
	return 0;
nomem:
	drop_release(p);
	return PFA_ENOMEM;
}

void
drop_release(struct drop_plan *p)
{
	free(p->scratch);
	p->scratch = NULL;
	if (p->state != NULL)
		cap_free(p->state);
	p->state = NULL;
}

static int
step_fail(int step, int *err)
{
	*err = errno;
	return step;
}

/* Is c in the bounding set now?  From the status read before the drop
 * when there is one (one system call saved per capability). */
static int
in_bounding(const struct proc_status *ps, int c)
{
	if (ps != NULL)
		return c < 64 && (ps->cap_bnd >> c) & 1u;
	return cap_get_bound(c) == 1;
}

int
drop_apply(const struct drop_plan *p, const struct proc_status *ps, int *err)
{
	int c;

	*err = 0;
	for (c = 0; c <= p->last_cap; c++)
		if (!kept(p, c) && in_bounding(ps, c) && cap_drop_bound(c) != 0)
			return step_fail(PFA_STEP_BOUNDING, err);
	if ((ps == NULL || ps->cap_amb != 0) && cap_reset_ambient() != 0)
		return step_fail(PFA_STEP_AMBIENT, err);
	if (p->caps != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		return step_fail(PFA_STEP_KEEPCAPS, err);
	if (setgroups(p->ngroups, p->groups) != 0)
		return step_fail(PFA_STEP_SETGROUPS, err);
	if (setresgid(p->gid, p->gid, p->gid) != 0)
		return step_fail(PFA_STEP_SETRESGID, err);
	if (setresuid(p->uid, p->uid, p->uid) != 0)
		return step_fail(PFA_STEP_SETRESUID, err);
	if (cap_set_proc(p->state) != 0)
		return step_fail(PFA_STEP_CAPS, err);
	if (p->caps != 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return step_fail(PFA_STEP_KEEPCAPS, err);
	for (c = 0; c <= p->last_cap; c++)
		if (kept(p, c) && cap_set_ambient(c, CAP_SET) != 0)
			return step_fail(PFA_STEP_AMBIENT_RAISE, err);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return step_fail(PFA_STEP_NO_NEW_PRIVS, err);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return step_fail(PFA_STEP_DUMPABLE, err);
	return 0;
}

static int
verify_ids(const struct drop_plan *p, int *err)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, small[VERIFY_STACK_GROUPS];
	int n;
	size_t i;

	if (getresuid(&ru, &eu, &su) != 0)
		return step_fail(PFA_STEP_VERIFY_UID, err);
	if (ru != p->uid || eu != p->uid || su != p->uid)
		return PFA_STEP_VERIFY_UID;
	if (getresgid(&rg, &eg, &sg) != 0)
		return step_fail(PFA_STEP_VERIFY_GID, err);
	if (rg != p->gid || eg != p->gid || sg != p->gid)
		return PFA_STEP_VERIFY_GID;
	/* A short list goes on the stack: writing the parent's heap would cost
	 * a copy-on-write fault. */
	gid_t *list = p->ngroups < VERIFY_STACK_GROUPS ? small : p->scratch;
	n = getgroups((int)p->ngroups + 1, list);
	if (n < 0)
		return step_fail(PFA_STEP_VERIFY_GROUPS, err);
	if ((size_t)n != p->ngroups)
		return PFA_STEP_VERIFY_GROUPS;
	for (i = 0; i < p->ngroups; i++)
		if (list[i] != p->groups[i])
			return PFA_STEP_VERIFY_GROUPS;
	return 0;
}

/* Each attempt to regain privilege must fail; one that works is fatal. */
static int
verify_regain(const struct drop_plan *p)
{
	if (p->uid != 0 && !kept(p, CAP_SETUID) && setuid(0) != -1)
		return PFA_STEP_VERIFY_REGAIN;
	if (p->gid != 0 && !kept(p, CAP_SETGID) && setgid(0) != -1)
		return PFA_STEP_VERIFY_REGAIN;
	if (!kept(p, CAP_SETGID) && setgroups(0, NULL) != -1)
		return PFA_STEP_VERIFY_REGAIN;
	return 0;
}

static int
verify_caps(const struct drop_plan *p, int *err)
{
	struct raw_cap_header h = { RAW_CAP_V3, 0 };
	struct raw_cap_data d[2];
	struct proc_status ps;
	uint64_t eff, prm, inh;
	int c;

	/* capget fills both; valgrind believes only d[0] */
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) != 0)
		return step_fail(PFA_STEP_VERIFY_CAPS, err);
	eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	if (eff != p->caps || prm != p->caps || inh != p->caps)
		return PFA_STEP_VERIFY_CAPS;
	if (proc_status_read(&ps) == 0)
		return ps.cap_bnd == p->caps && ps.cap_amb == p->caps && ps.no_new_privs == 1
			       ? 0
			       : PFA_STEP_VERIFY_CAPS;
	for (c = 0; c <= p->last_cap; c++) {
		int amb = cap_get_ambient(c);
		if (cap_get_bound(c) != kept(p, c))
			return PFA_STEP_VERIFY_CAPS;
		if (amb < 0 ? kept(p, c) : amb != kept(p, c))
			return PFA_STEP_VERIFY_CAPS;
	}
	return 0;
}

int
drop_verify(const struct drop_plan *p, int *err)
{
	int step;

	*err = 0;
	if ((step = verify_ids(p, err)) != 0)
		return step;
	if ((step = verify_regain(p)) != 0)
		return step;
	if ((step = verify_caps(p, err)) != 0)
		return step;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		return PFA_STEP_VERIFY_NNP;
	return 0;
}
