#include "config.h"
/*
 * Unit tests of src/helper/sanitize.c.  sanitize_process() changes the
 * whole process (it would close Criterion's own pipes), so each test runs it
 * in a forked child: the child checks, then sends "ok" or the failed check
 * back on a pipe that it asks sanitize_process to keep.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deny_close_range.h"
#include "sanitize.h"
#include "sanitize_child.h"

extern char **environ;

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* The open fds >= 3 other than the ones named, from /proc/self/fd. */
static int
count_other_fds(int a, int b)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0, fd;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd >= 3 && fd != a && fd != b && fd != dirfd(d))
			n++;
	}
	closedir(d);
	return n;
}

static int
is_dev_null(int fd)
{
	struct stat null, st;

	return stat("/dev/null", &null) == 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       st.st_rdev == null.st_rdev;
}

/* ---- fds 0, 1, 2 ------------------------------------------------------ */

static const char *
stdio_all_closed(int rep)
{
	const char *failed = "unset";
	int fd;

	(void)close(0);
	(void)close(1);
	(void)close(2);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, &failed) == 0);
	CHECK(failed == NULL);
	CHECK(is_dev_null(0) && is_dev_null(1) && is_dev_null(2));
	CHECK((fcntl(0, F_GETFD) & FD_CLOEXEC) == 0);
	fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 3);
	return NULL;
}

Test(sanitize, closed_stdio_gets_dev_null)
{
	in_child(stdio_all_closed);
}

static const char *
stdio_one_closed(int rep)
{
	struct stat before, after;
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK(dup2(p[0], 0) == 0 && dup2(p[1], 2) == 2);
	CHECK(fstat(0, &before) == 0);
	(void)close(1);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(is_dev_null(1));
	CHECK(fstat(0, &after) == 0 && S_ISFIFO(after.st_mode) && after.st_ino == before.st_ino);
	CHECK(!is_dev_null(2));
	CHECK(!fd_is_open(p[0]) && !fd_is_open(p[1]));
	return NULL;
}

Test(sanitize, open_stdio_left_alone)
{
	in_child(stdio_one_closed);
}

/* What glibc leaves on a setuid program's closed fds: a write-only
 * /dev/full as 0, a read-only /dev/null as 1; and an O_PATH fd as 2.  Each
 * is replaced, so that stdin reads as empty instead of failing (EBADF). */
static const char *
stdio_wrong_direction(int rep)
{
	char c;

	CHECK(dup2(open("/dev/full", O_WRONLY), 0) == 0);
	CHECK(dup2(open("/dev/null", O_RDONLY), 1) == 1);
	CHECK(dup2(open("/dev/null", O_PATH), 2) == 2);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(is_dev_null(0) && is_dev_null(1) && is_dev_null(2));
	CHECK(read(0, &c, 1) == 0);
	CHECK(write(1, "x", 1) == 1 && write(2, "x", 1) == 1);
	return NULL;
}

Test(sanitize, stdio_open_in_the_wrong_direction_gets_dev_null)
{
	in_child(stdio_wrong_direction);
}

/* ---- fds >= 3 --------------------------------------------------------- */

/* Open four fds above the report pipe, keep one, check the rest are gone. */
static const char *
check_fds_closed(int rep)
{
	const int fds[] = {rep + 7, rep + 100, rep + 1000, rep + 5000}, kept = fds[1];
	const char *failed = "unset";
	size_t i;
	int nul = open("/dev/null", O_RDONLY);

	CHECK(nul >= 3);
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		CHECK(dup2(nul, fds[i]) == fds[i]);
	CHECK(sanitize_keeping(rep, kept, NULL, 0, &failed) == 0);
	CHECK(failed == NULL);
	CHECK(fd_is_open(rep) && fd_is_open(kept));
	CHECK(!fd_is_open(nul) && !fd_is_open(fds[0]) && !fd_is_open(fds[2]) && !fd_is_open(fds[3]));
	CHECK(count_other_fds(rep, kept) == 0);
	return NULL;
}

Test(sanitize, fds_closed_except_kept)
{
	in_child(check_fds_closed);
}

static int deny_errno; /* set by the test before it forks */

static const char *
fds_close_range_denied(int rep)
{
	CHECK(deny_close_range(deny_errno) == 0);
	return check_fds_closed(rep);
}

Test(sanitize, fds_closed_without_close_range)
{
	deny_errno = ENOSYS; /* an old kernel */
	in_child(fds_close_range_denied);
}

Test(sanitize, fds_closed_when_close_range_filtered)
{
	deny_errno = EPERM; /* a container's seccomp policy */
	in_child(fds_close_range_denied);
}

/* Neither close_range nor /proc: refuse rather than guess. */
static const char *
fds_no_way(int rep)
{
	const char *failed = NULL;

	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHECK(mount("tmpfs", "/proc", "tmpfs", 0, NULL) == 0);
	CHECK(deny_close_range(ENOSYS) == 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, &failed) == -ENOSYS);
	CHECK(failed != NULL && strcmp(failed, "fds") == 0);
	return NULL;
}

Test(sanitize, fds_fail_closed_without_close_range_or_proc)
{
	if (geteuid() != 0)
		cr_skip_test("needs root for a private mount namespace");
	in_child(fds_no_way);
}

static const char *
bad_spec(int rep)
{
	int low[] = {2};
	struct saved_env bad[] = {{.name = "A=B"}};
	struct sanitize_spec s1 = {low, 1, NULL, 0}, s2 = {NULL, 1, NULL, 0};
	const char *failed = NULL;

	(void)rep;
	CHECK(sanitize_process(&s1, &failed) == -EINVAL);
	CHECK(failed != NULL && strcmp(failed, "spec") == 0);
	CHECK(sanitize_process(&s2, NULL) == -EINVAL);
	CHECK(sanitize_keeping(rep, -1, bad, 1, NULL) == -EINVAL);
	CHECK(getenv("PATH") != NULL && strcmp(getenv("PATH"), "/poison") == 0);
	return NULL;
}

Test(sanitize, bad_spec_rejected_before_any_change)
{
	setenv("PATH", "/poison", 1);
	in_child(bad_spec);
}

/* ---- environment ------------------------------------------------------ */

static const char *
env_saved_then_cleared(int rep)
{
	struct saved_env env[4] = {{.name = "AUTHORIZED"}, {.name = "MISSING"}, {.name = "EXACT"},
				   {.name = "TOOLONG"}};
	char exact[SANITIZE_VALUE_MAX + 1], longer[SANITIZE_VALUE_MAX + 2];

	memset(exact, 'e', SANITIZE_VALUE_MAX);
	exact[SANITIZE_VALUE_MAX] = '\0';
	memset(longer, 'l', SANITIZE_VALUE_MAX + 1);
	longer[SANITIZE_VALUE_MAX + 1] = '\0';
	CHECK(setenv("AUTHORIZED", "1", 1) == 0 && setenv("EXACT", exact, 1) == 0);
	CHECK(setenv("TOOLONG", longer, 1) == 0 && setenv("LD_PRELOAD", "/tmp/x.so", 1) == 0);
	CHECK(setenv("GCONV_PATH", ".", 1) == 0 && setenv("PATH", "/evil", 1) == 0);
	CHECK(setenv("IFS", "/", 1) == 0 && setenv("PAM_SERVICE", "other", 1) == 0);
	CHECK(sanitize_keeping(rep, -1, env, 4, NULL) == 0);
	CHECK(env[0].present == 1 && env[0].too_long == 0 && strcmp(env[0].value, "1") == 0);
	CHECK(env[1].present == 0 && env[1].too_long == 0 && env[1].value[0] == '\0');
	CHECK(env[2].present == 1 && env[2].too_long == 0 && strcmp(env[2].value, exact) == 0);
	CHECK(env[3].present == 1 && env[3].too_long == 1 && env[3].value[0] == '\0');
	CHECK(environ != NULL && environ[0] != NULL && environ[1] == NULL);
	CHECK(strcmp(environ[0], "PATH=" SANITIZE_PATH) == 0);
	CHECK(getenv("LD_PRELOAD") == NULL && getenv("GCONV_PATH") == NULL);
	return NULL;
}

Test(sanitize, env_saved_then_cleared)
{
	in_child(env_saved_then_cleared);
}

/* The dynamic loader of a setuid program takes LD_PRELOAD and the like out
 * of environ but leaves their strings where the kernel put them, which
 * /proc/self/environ shows: do the same to the first entry, then check
 * that nothing but NUL bytes is left there. */
static const char *
env_area_wiped(int rep)
{
	char buf[4096];
	char **e;
	ssize_t n, i;
	int fd;

	CHECK(environ != NULL && environ[0] != NULL);
	for (e = environ; e[0] != NULL; e++)
		e[0] = e[1];
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK((fd = open("/proc/self/environ", O_RDONLY)) >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			CHECK(buf[i] == '\0');
	CHECK(n == 0);
	(void)close(fd);
	return NULL;
}

Test(sanitize, env_area_wiped_with_entries_taken_out)
{
	in_child(env_area_wiped);
}

/* ---- umask, signals, dumpable ----------------------------------------- */

static const char *
umask_reset(int rep)
{
	(void)umask(0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(umask(0) == 077);
	return NULL;
}

Test(sanitize, umask_077)
{
	in_child(umask_reset);
}

static void
handler(int sig)
{
	(void)sig;
}

static const char *
signals_reset(int rep)
{
	struct sigaction sa;
	sigset_t set;
	int sig;

	CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR && signal(SIGCHLD, SIG_IGN) != SIG_ERR);
	CHECK(signal(SIGTERM, handler) != SIG_ERR && signal(SIGRTMIN + 2, SIG_IGN) != SIG_ERR);
	CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGRTMAX);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || (sig >= 32 && sig < SIGRTMIN))
			continue;
		CHECK(sigaction(sig, NULL, &sa) == 0);
		CHECK(sa.sa_handler == (sig == SIGPIPE ? SIG_IGN : SIG_DFL));
	}
	CHECK(sigprocmask(SIG_BLOCK, NULL, &set) == 0);
	for (sig = 1; sig < NSIG; sig++)
		CHECK(!sigismember(&set, sig));
	return NULL;
}

Test(sanitize, signals_reset_sigpipe_ignored_mask_empty)
{
	in_child(signals_reset);
}

/* No /proc: no oom_score_adj to read, and nothing for the caller to have
 * raised there: not a failure. */
static const char *
no_proc(int rep)
{
	const char *failed = NULL;

	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHECK(mount("tmpfs", "/proc", "tmpfs", 0, NULL) == 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, &failed) == 0);
	CHECK(failed == NULL);
	return NULL;
}

Test(sanitize, runs_without_proc)
{
	if (geteuid() != 0)
		cr_skip_test("needs root for a private mount namespace");
	in_child(no_proc);
}

static const char *
not_dumpable(int rep)
{
	CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0);
	return NULL;
}

Test(sanitize, not_dumpable)
{
	in_child(not_dumpable);
}

/* ---- rlimits ---------------------------------------------------------- */

static const struct limit_case {
	int resource;
	rlim_t floor;
	rlim_t low;  /* what the caller left us */
	rlim_t need; /* below it (without CAP_SYS_RESOURCE): refused */
	const char *name;
} limit_cases[] = {
	{RLIMIT_FSIZE, RLIM_INFINITY, 0, RLIM_INFINITY, "RLIMIT_FSIZE"},
	{RLIMIT_NOFILE, 1024, 4, 64, "RLIMIT_NOFILE"},
	{RLIMIT_CPU, RLIM_INFINITY, 1000, RLIM_INFINITY, "RLIMIT_CPU"},
	{RLIMIT_AS, RLIM_INFINITY, 1UL << 32, 128UL << 20, "RLIMIT_AS"},
	{RLIMIT_DATA, RLIM_INFINITY, 1UL << 32, 128UL << 20, "RLIMIT_DATA"},
	{RLIMIT_STACK, 8UL << 20, 1UL << 20, 8UL << 20, "RLIMIT_STACK"},
	{RLIMIT_NPROC, RLIM_INFINITY, 1, 0, "RLIMIT_NPROC"},
};
#define NCASES (sizeof(limit_cases) / sizeof(limit_cases[0]))

/* Lower every limit (the hard one too when lower_hard, unless that would
 * leave it below the need with no way up), sanitize, and check each came
 * back up as far as this process may raise it. */
static const char *
check_limits(int rep, int lower_hard)
{
	struct rlimit set[NCASES], got;
	int privileged = has_sys_resource();
	size_t i;

	for (i = 0; i < NCASES; i++) {
		const struct limit_case *lc = &limit_cases[i];
		CHECK(getrlimit(lc->resource, &set[i]) == 0);
		if (set[i].rlim_max < lc->low)
			continue; /* already below: leave it */
		set[i].rlim_cur = lc->low;
		if (lower_hard && (privileged || lc->low >= lc->need))
			set[i].rlim_max = lc->low;
		CHECK(setrlimit(lc->resource, &set[i]) == 0);
	}
	CHECK(setrlimit(RLIMIT_CORE, &(struct rlimit){0, RLIM_INFINITY}) == 0 || errno == EPERM);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	for (i = 0; i < NCASES; i++) {
		const struct limit_case *lc = &limit_cases[i];
		rlim_t hard = set[i].rlim_max;
		if (privileged && hard < lc->floor)
			hard = lc->floor;
		CHECK(getrlimit(lc->resource, &got) == 0);
		CHECK(got.rlim_max == hard);
		CHECK(got.rlim_cur == (lc->floor < hard ? lc->floor : hard));
	}
	CHECK(getrlimit(RLIMIT_CORE, &got) == 0 && got.rlim_cur == 0 && got.rlim_max == 0);
	return NULL;
}

static const char *
limits_soft_lowered(int rep)
{
	return check_limits(rep, 0);
}

static const char *
limits_hard_lowered(int rep)
{
	return check_limits(rep, 1);
}

/* As another user: raising a hard limit fails there, and must not fail us. */
static const char *
limits_unprivileged(int rep)
{
	if (geteuid() == 0) {
		CHECK(setgroups(0, NULL) == 0);
		CHECK(setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0);
	}
	CHECK(!has_sys_resource());
	return check_limits(rep, 1);
}

/* One hard limit left below its need where it cannot be raised: refused,
 * naming the limit, before the later steps.  (The case is chosen before
 * the fork.) */
static size_t below_case;
static const char *
limit_below_need(int rep)
{
	const struct limit_case *lc = &limit_cases[below_case];
	const char *failed = NULL;
	struct rlimit rl;

	if (geteuid() == 0) {
		CHECK(setgroups(0, NULL) == 0);
		CHECK(setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0);
	}
	CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0);
	CHECK(getrlimit(lc->resource, &rl) == 0);
	rl.rlim_cur = rl.rlim_max = lc->low;
	CHECK(setrlimit(lc->resource, &rl) == 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, &failed) == -EPERM);
	CHECK(failed != NULL && strstr(failed, lc->name) != NULL);
	CHECK(prctl(PR_GET_DUMPABLE) == 1); /* the steps after rlimits did not run */
	return NULL;
}

Test(sanitize, rlimits_hard_below_need_refused)
{
	for (below_case = 0; below_case < NCASES; below_case++)
		if (limit_cases[below_case].low < limit_cases[below_case].need)
			in_child(limit_below_need);
}

Test(sanitize, rlimits_raised_when_soft_lowered)
{
	in_child(limits_soft_lowered);
}

Test(sanitize, rlimits_raised_as_far_as_allowed_when_hard_lowered)
{
	in_child(limits_hard_lowered);
}

Test(sanitize, rlimits_unprivileged_do_not_fail)
{
	in_child(limits_unprivileged);
}
