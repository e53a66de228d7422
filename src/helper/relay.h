/*
 * relay.h — a streaming operation's data reaches the caller's stdout
 * through a process that is the caller, never from root while a session is
 * open: a caller can pin its own stdout's lock in the kernel (a write of
 * its own that faults on its own stopped FUSE mount holds a pipe's mutex),
 * and a root helper waiting there, session open, would wait past every
 * signal (security.md).
 *
 * relay_start, before anything privileged is open (no session, no
 * password read): unless stdout is a file on FUSE (refused later, as
 * before, by reply.c), makes a private pipe and double-forks a relay that
 * takes a session of its own (no terminal signal reaches it), becomes the
 * caller for good (caller_become_caller), restores its default signals and
 * the caller's rlimits, says so by writing its pid, and copies the pipe to
 * the original stdout until EOF (read and write, never splice: a splice
 * blocked on the output would hold the pipe's lock against the helper);
 * fd 1 becomes the pipe's write end only once the relay said it is ready.
 * The middle process stays until the relay's pidfd is taken and is then
 * reaped: only a clean exit of it proves the pid was still the relay's
 * (the caller may kill either, and a subreaper of its may reap the
 * relay).  The fork happens before reap_init makes this process a
 * subreaper, so the relay is not a descendant and the leftovers' cleanup
 * never kills it.
 * relay_finish, after the final answer (this process is the caller by
 * then, the session closed): closes fd and fd 1 and waits for the relay to
 * have written everything and exited, so that the caller holds the whole
 * answer when the helper exits; the relay reports each write it made on
 * its done pipe, and only after RELAY_GRACE_MS without one is it killed
 * (a slow reader still gets all; one that stopped reading does not hold
 * the helper).
 * MUST: nothing of the request is in memory at the fork (no password, no
 * PAM handle); the relay holds only the pipe, the original stdout and its
 * "done" pipe.
 */
#ifndef PFA_HELPER_RELAY_H
#define PFA_HELPER_RELAY_H

#include "caller.h"

/* 0 (a relay runs, or stdout is one reply.c refuses), or -errno. */
int relay_start(const struct caller *c);

/* What relay_start found, for a streaming operation about to run (fd 1 is
 * not looked at again as root): 1 the relay's pipe is stdout; -EOPNOTSUPP
 * stdout is one reply.c refuses (a file on FUSE), so nothing may be
 * written to it; 0 relay_start was not called (a front end's bug). */
int relay_stdout(void);

/* Close fd (a description of fd 1's pipe, unless -1) and fd 1, then wait
 * for the relay while it makes progress, killing it after RELAY_GRACE_MS
 * without any; nothing when none was started. */
#define RELAY_GRACE_MS 5000
void relay_finish(int fd);

#endif
