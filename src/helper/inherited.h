/*
 * inherited.h — kernel state a caller leaves in a setuid process beyond
 * what sanitize.h lists.  Two moments:
 *
 * inherited_reset, part of sanitize_process (effective uid root):
 *  - the interval timers (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF) survive
 *    execve and need no permission to fire: a caller's timer would deliver
 *    SIGALRM, SIGVTALRM or SIGPROF, whose default action ends the process,
 *    at a moment it chose (a PAM session open, a child running): disarmed;
 *  - PR_SET_TSC survives execve: with PR_TSC_SIGSEGV, reading the time
 *    stamp counter (the vDSO's clock_gettime does) would be a SIGSEGV at
 *    the first clock read: the counter is enabled again;
 *  - oom_score_adj survives execve and a user may raise its own: at 1000
 *    the OOM killer takes the helper, which holds the session, before
 *    anything else: lowered to 0.  Left as it is: a negative value (only a
 *    privileged process sets one); a positive floor a privileged process
 *    set (oom_score_adj_min: EACCES where root lacks CAP_SYS_RESOURCE); no
 *    /proc (ENOENT: nothing the caller could have raised there).
 *
 * inherited_root_reset, right after the real uid became root
 * (caller_become_root), before PAM; until then the caller may change
 * these from outside, or they would be named after it:
 *  - a real-time scheduling policy survives execve, and the caller may set
 *    one on the helper (sched_setscheduler needs only a matching real uid):
 *    with RLIMIT_RTTIME, the kernel's SIGXCPU and SIGKILL would end the
 *    helper after a stretch of CPU it chose (the password hash, a large
 *    answer): SCHED_OTHER again (nice unchanged) unless already SCHED_OTHER,
 *    SCHED_BATCH or SCHED_IDLE;
 *  - the session keyring survives execve, setresuid and fork: the operation
 *    (the target) would possess the caller's keys, and keys a root PAM
 *    module puts in "the session keyring" would land in the caller's: a new
 *    anonymous session keyring is joined, owned by root (the kernel names
 *    it after the real uid; joined earlier it would be the caller's, which
 *    could list what the operation puts in it).  The PAM session
 *    (pam_keyinit) may replace it in turn.  Where keyctl is not there
 *    (ENOSYS) or refused by a seccomp filter (EPERM: the same filter binds
 *    every process that inherits it, the operation included) there is
 *    nothing to detach from.
 */
#ifndef PFA_HELPER_INHERITED_H
#define PFA_HELPER_INHERITED_H

/* 0, or a negative errno with *step naming what failed: "timers", "tsc" or
 * "oom_score_adj". */
int inherited_reset(const char **step);

/* 0, or a negative errno with *step naming what failed: "scheduling" or
 * "keyring". */
int inherited_root_reset(const char **step);

#endif
