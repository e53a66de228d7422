/*
 * caller.h — who is calling: the process's own real credentials (never a
 * file or the environment), and the switch that makes the real uid root once
 * the caller is authorized, so that the caller can no longer signal (kill,
 * stop) the process that will hold a PAM session.
 */
#ifndef PFA_HELPER_CALLER_H
#define PFA_HELPER_CALLER_H

#include <sys/types.h>

#define CALLER_GROUPS_MAX 65536

struct caller {
	int known;      /* 1 once caller_identify succeeded */
	uid_t uid;      /* real uid */
	gid_t gid;      /* real gid */
	gid_t *groups;  /* supplementary groups; owned */
	size_t ngroups;
	char name[257]; /* passwd name, or the uid in decimal when there is none */
};

/* Fill c from getuid/getgid/getgroups and the passwd entry.  0 or -errno. */
int caller_identify(struct caller *c);
void caller_release(struct caller *c);

/* setresuid(0, 0, 0): from now on only root can signal this process.
 * 0 or -errno. */
int caller_become_root(void);

/*
 * The end of a request, once nothing privileged is left (the session
 * closed, the attempt logged): become the caller for good (its groups,
 * gid, uid: real, effective and saved; not dumpable), so that writing the
 * answer, which the caller can make block in the kernel where no signal
 * reaches (a pipe's lock held by a thread faulting on its own stopped FUSE
 * mount), happens in a process the caller owns and not in a root one.
 * Before caller_identify succeeded (an early failure: the real ids are
 * still the caller's, the groups too), the real uid and gid are taken.
 * Verified unless the caller is root: ids read back, setuid(0) must fail,
 * no capability permitted or effective, exactly the caller's groups.  0 or
 * -errno.
 */
int caller_become_caller(const struct caller *c);

#endif
