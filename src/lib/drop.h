/*
 * drop.h — the one credential drop and its proof, run in the child.
 *
 * drop_prepare() runs in the parent and allocates everything drop_apply()
 * and drop_verify() need, so that those two make only async-signal-safe
 * calls (system calls and libcap calls that are thin wrappers of them).
 */
#ifndef PFA_DROP_H
#define PFA_DROP_H

#include <stdint.h>
#include <sys/capability.h>
#include <sys/types.h>

#include "internal.h"
#include "procstatus.h"

struct drop_plan {
	uid_t uid;
	gid_t gid;
	const gid_t *groups; /* sorted, deduplicated; owned by the identity */
	size_t ngroups;
	gid_t *scratch;      /* ngroups + 1 entries for getgroups() */
	uint64_t caps;       /* capabilities kept */
	int last_cap;        /* highest capability the kernel knows */
	cap_t state;         /* P = I = E = caps */
};

/* Parent: fill p from id.  0, PFA_EINVAL (an identity without a group
 * list: PFA_NO_GROUPS and no set_groups) or PFA_ENOMEM.  Release with
 * drop_release (not after an error). */
int drop_prepare(struct drop_plan *p, const struct pfa_identity *id);
void drop_release(struct drop_plan *p);

/* Child, as root: bounding and ambient sets, groups, gid, uid, capability
 * sets, no_new_privs, not dumpable.  ps is /proc/self/status read in the
 * child before, or NULL.  0, or the failing PFA_STEP_* with *err = errno. */
int drop_apply(const struct drop_plan *p, const struct proc_status *ps, int *err);

/* Child, after drop_apply: ids read back, regaining root must fail,
 * capability sets exactly as planned, no_new_privs set.  0 or a step. */
int drop_verify(const struct drop_plan *p, int *err);

#endif
