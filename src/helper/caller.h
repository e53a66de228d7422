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

#endif
