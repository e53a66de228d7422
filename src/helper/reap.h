/*
 * reap.h — nothing the operation starts outlives the request.  The helper
 * is a child subreaper: a daemon that double-forks or makes its own session
 * is reparented to the helper instead of init, and reap_orphans() kills and
 * reaps every child left once the run is over, before the PAM session is
 * closed.
 */
#ifndef PFA_HELPER_REAP_H
#define PFA_HELPER_REAP_H

/* prctl(PR_SET_CHILD_SUBREAPER).  0 or -errno. */
int reap_init(void);

/* SIGKILL every child of this process, and every descendant below them
 * (through pidfds, ancestry checked: reap.c), and reap them all, until none is
 * left or 5 s have passed (a child stuck in the kernel, or a zombie that a
 * tracer holds, is left behind rather than wait for).  Returns how many
 * were killed. */
int reap_orphans(void);

#endif
