/*
 * inherited.h — kernel state a caller leaves in a setuid process beyond
 * what sanitize.h lists, reset as part of sanitize_process:
 *  - the interval timers (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF) survive
 *    execve and need no permission to fire: a caller's timer would deliver
 *    SIGALRM, SIGVTALRM or SIGPROF, whose default action ends the process,
 *    at a moment it chose (a PAM session open, a child running): disarmed;
 *  - oom_score_adj survives execve and a user may raise its own: at 1000
 *    the OOM killer takes the helper, which holds the session, before
 *    anything else: lowered to 0 (a negative value, which only a privileged
 *    process can set, is left as it is);
 *  - the session keyring survives execve, setresuid and fork: the operation
 *    (the target) would possess the caller's keys, and keys a root PAM
 *    module puts in "the session keyring" would land in the caller's: a new
 *    anonymous session keyring is joined (the PAM session, pam_keyinit, may
 *    replace it in turn).  Where keyctl is not there (ENOSYS) or refused by
 *    a seccomp filter (EPERM: the same filter binds every process that
 *    inherits it, the operation included) there is nothing to detach from;
 *  - PR_SET_TSC survives execve: with PR_TSC_SIGSEGV, reading the time
 *    stamp counter (the vDSO's clock_gettime does) would be a SIGSEGV at
 *    the first clock read: the counter is enabled again;
 *  - a real-time scheduling policy survives execve, and until the real uid
 *    is root the caller may set one on the helper from outside
 *    (sched_setscheduler needs only a matching real uid): with
 *    RLIMIT_RTTIME, the kernel's SIGXCPU and SIGKILL would end the helper
 *    after a stretch of CPU it chose (the password hash, a large answer).
 *    inherited_sched_reset, right after the real uid became root, puts the
 *    normal policy back.
 *
 * MUST: called with the effective uid root (the setuid helper's start),
 * before PAM, NSS, the configuration or stdin are touched.
 */
#ifndef PFA_HELPER_INHERITED_H
#define PFA_HELPER_INHERITED_H

/* 0, or a negative errno with *step naming what failed: "timers", "tsc",
 * "oom_score_adj" or "keyring". */
int inherited_reset(const char **step);

/* SCHED_OTHER (nice unchanged) unless the policy is already SCHED_OTHER,
 * SCHED_BATCH or SCHED_IDLE.  0 or -errno.  MUST: called once the real
 * uid is root (caller_become_root), before PAM. */
int inherited_sched_reset(void);

#endif
