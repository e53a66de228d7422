/*
 * sanitize.h — step 1 of a request: make the process safe before anything
 * else runs.  The caller of a setuid program controls everything it
 * inherits: fds, environment, umask, signal dispositions and mask, rlimits.
 * (OpenSSH sanitise_stdfd, util-linux su sanitize_prlimits, OpenDoas.)
 *
 * MUST: called first in main (after the argc == 0 check), before any NSS,
 * PAM, config or stdin access.
 */
#ifndef PFA_HELPER_SANITIZE_H
#define PFA_HELPER_SANITIZE_H

#include <stddef.h>
#include <sys/resource.h>

/* The fixed PATH of the helper itself (never the caller's). */
#define SANITIZE_PATH "/usr/sbin:/usr/bin:/sbin:/bin"
#define SANITIZE_VALUE_MAX 256

/* An environment variable saved before the environment is cleared (the
 * checkpassword front end needs Dovecot's AUTHORIZED, for example). */
struct saved_env {
	const char *name;                     /* set by the caller */
	int present;                          /* set: 1 when it was in the environment */
	int too_long;                         /* set: 1 when longer than SANITIZE_VALUE_MAX (value left empty) */
	char value[SANITIZE_VALUE_MAX + 1];   /* set: its value */
};

struct sanitize_spec {
	const int *keep_fds;   /* fds >= 3 to leave open (may be NULL) */
	size_t nkeep;
	struct saved_env *env; /* variables to save (may be NULL) */
	size_t nenv;
};

/*
 * In order: fds 0, 1, 2 opened on /dev/null (read-write) when closed, when
 * O_PATH, or when not open in their direction (0 for reading, 1 and 2 for
 * writing: what glibc leaves on a setuid program's closed ones), so nothing
 * the helper opens later becomes its stdout; every fd >= 3 closed except
 * keep_fds (close_range, else /proc/self/fd, else -ENOSYS: never a guess);
 * the listed variables saved, then the environment cleared and
 * PATH=SANITIZE_PATH set; umask 077; the cwd "/"; the interval timers
 * disarmed, the time stamp counter enabled and a positive oom_score_adj
 * lowered to 0 (inherited.h); every
 * signal disposition reset to
 * default, SIGPIPE ignored (a closed stdout must not kill the parent before
 * it closes the PAM session), the signal mask emptied; rlimits reset
 * (RLIMIT_CORE 0, soft and hard, so a process that held a password never
 * dumps core; RLIMIT_FSIZE, RLIMIT_NPROC, RLIMIT_CPU, RLIMIT_AS, RLIMIT_DATA
 * raised to unlimited, RLIMIT_STACK to at least 8 MiB, RLIMIT_NOFILE to at
 * least 1024; never lowered; a hard limit is raised only with
 * CAP_SYS_RESOURCE, otherwise the soft one goes as far as the hard one and
 * that is not an error, unless a limit stays below what the helper needs:
 * RLIMIT_FSIZE and RLIMIT_CPU unlimited, RLIMIT_AS and RLIMIT_DATA 128 MiB,
 * RLIMIT_STACK 8 MiB, RLIMIT_NOFILE 64 — then -EPERM); the process made
 * non-dumpable.
 * spec may be NULL (nothing kept or saved); keep_fds below 3, or a name that
 * is NULL, empty or holds '=', is -EINVAL before anything changes.
 * Returns 0, or a negative errno with *failed (when failed is not NULL)
 * naming the step: "spec", "stdio", "fds", "env", "cwd", "timers", "tsc",
 * "oom_score_adj", "signals",
 * "rlimits" (or "rlimits: RLIMIT_X is ..." for a limit below the need) or
 * "dumpable".
 */
int sanitize_process(const struct sanitize_spec *spec, const char **failed);

/* Close every fd >= 3 but keep[0..nkeep), as sanitize_process does (no
 * allocation with close_range; /proc/self/fd without it).  0 or -errno. */
int sanitize_close_fds(const int *keep, size_t nkeep);

/*
 * The raised limits are the helper's own: the caller's must come back
 * (util-linux su and sudo alike), or a caller could shed its hard limits
 * through us.  For a child that becomes the target: sanitize_user_rlimits
 * gives, per resource sanitize_process raised, the caller's soft and hard
 * limit where the current one is still what it set, and the current one
 * where PAM (pam_limits) changed it; never more than the current one, so
 * sanitize_apply_rlimits can apply them after the drop.  RLIMIT_CORE is
 * not among them: the operation keeps 0 (raising it back needs root).
 * For a program run with the caller's own ids: sanitize_restore_rlimits
 * puts every limit back exactly, RLIMIT_CORE included (call it as root;
 * where root lacks CAP_SYS_RESOURCE, a hard limit it cannot raise back
 * stays as close as allowed).
 * sanitize_apply_rlimits is async-signal-safe.  0 or -errno.
 */
#define SANITIZE_RLIMITS_MAX 8
struct user_rlimit {
	int resource;
	struct rlimit lim;
};
size_t sanitize_user_rlimits(struct user_rlimit *out, size_t max);
int sanitize_restore_rlimits(void);
int sanitize_apply_rlimits(const struct user_rlimit *l, size_t n);

#endif
