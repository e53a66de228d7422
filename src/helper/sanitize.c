/*
 * sanitize.c — step 1: undo everything the caller of a setuid program can
 * make it inherit (sanitize.h has the contract).
 *
 * MUST: fds 0, 1, 2 are open when this returns 0 (on /dev/null when they
 * were closed or not open in their direction), so nothing opened later
 * becomes stdout or stderr, and an unreadable stdin reads as empty.
 * MUST: no fd >= 3 survives except those in keep_fds; when neither
 * close_range(2) nor /proc/self/fd is available, fail (-ENOSYS) rather than
 * guess at the highest fd.
 * MUST: the environment holds only PATH=SANITIZE_PATH; saved values are
 * bounded (SANITIZE_VALUE_MAX) and a longer one is flagged, never cut.
 * MUST: every catchable signal has its default disposition except SIGPIPE
 * (ignored), and the signal mask is empty.
 * MUST: RLIMIT_CORE is 0 (soft and hard) and the process is not dumpable: it
 * will hold a password.  The other limits are only raised, never lowered;
 * raising a hard limit needs CAP_SYS_RESOURCE, and without it the soft
 * limit is raised as far as the hard one allows, which is not an error
 * unless it stays below what the helper needs (rlimit_floors): then fail,
 * before any PAM module runs under limits the caller chose.
 * MUST: no allocation that outlives the call, no printing, no exit.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "inherited.h"
#include "sanitize.h"

/*
 * The floor each limit is raised to, and the least the helper runs with.
 * RLIMIT_STACK stops at the usual 8 MiB: an unlimited stack changes the
 * memory layout of what the helper execs.  Without CAP_SYS_RESOURCE (a
 * container's root) a hard limit the caller lowered stays, and below its
 * "need" the caller would choose how PAM modules fail in a root process:
 * the kernel SIGKILLs it at the hard RLIMIT_CPU (a session left open); a
 * write past RLIMIT_FSIZE raises SIGXFSZ (the failure-delay lock, a
 * tally file); pam_cap's setcred overflows a 256 KiB stack; yescrypt fails
 * in a small address space and a right password reads as wrong; too few
 * fds fail modules at random.  RLIMIT_NPROC binds only the child (its exec
 * fails with EAGAIN, reported): no need.
 */
#define MiB (1024UL * 1024)
#define ENV_AREA_MAX (8 * MiB) /* the kernel allows at most 6 MiB of strings */
static const struct {
	int resource;
	rlim_t floor;
	rlim_t need;
	const char *why; /* the step named when the soft limit stays below need */
} rlimit_floors[] = {
	{RLIMIT_FSIZE, RLIM_INFINITY, RLIM_INFINITY, "rlimits: RLIMIT_FSIZE is not unlimited"},
	{RLIMIT_NPROC, RLIM_INFINITY, 0, "rlimits"},
	{RLIMIT_CPU, RLIM_INFINITY, RLIM_INFINITY, "rlimits: RLIMIT_CPU is not unlimited"},
	{RLIMIT_AS, RLIM_INFINITY, 128 * MiB, "rlimits: RLIMIT_AS is below 128 MiB"},
	{RLIMIT_DATA, RLIM_INFINITY, 128 * MiB, "rlimits: RLIMIT_DATA is below 128 MiB"},
	{RLIMIT_STACK, 8 * MiB, 8 * MiB, "rlimits: RLIMIT_STACK is below 8 MiB"},
	{RLIMIT_NOFILE, 1024, 64, "rlimits: RLIMIT_NOFILE is below 64"},
};

/* What reset_rlimits found and what it set, per resource it changed. */
#define NSAVED (1 + sizeof(rlimit_floors) / sizeof(rlimit_floors[0]))
static struct {
	int resource;
	struct rlimit orig, set;
} saved[NSAVED];
static size_t nsaved;

static int
check_spec(const struct sanitize_spec *spec)
{
	size_t i;

	if ((spec->nkeep > 0 && spec->keep_fds == NULL) || (spec->nenv > 0 && spec->env == NULL))
		return -EINVAL;
	for (i = 0; i < spec->nkeep; i++)
		if (spec->keep_fds[i] < 3)
			return -EINVAL;
	for (i = 0; i < spec->nenv; i++) {
		const char *name = spec->env[i].name;
		if (name == NULL || name[0] == '\0' || strchr(name, '=') != NULL)
			return -EINVAL;
	}
	return 0;
}

/* Is fd (0, 1 or 2) of no use in its direction?  Closed, an O_PATH fd, or
 * open without the access it needs: glibc's start-up of a setuid program
 * puts a write-only /dev/full on a closed fd 0 and a read-only /dev/null on
 * a closed fd 1 or 2, so that the "closed" ones are never closed here. */
static int
stdio_unusable(int fd)
{
	int fl = fcntl(fd, F_GETFL), mode;

	if (fl == -1)
		return errno == EBADF;
	if (fl & O_PATH)
		return 1;
	mode = fl & O_ACCMODE;
	return mode != O_RDWR && mode != (fd == 0 ? O_RDONLY : O_WRONLY);
}

/* Open /dev/null on whichever of 0, 1, 2 is of no use (OpenSSH
 * sanitise_stdfd, and stdio_unusable). */
static int
open_stdio(void)
{
	struct stat st;
	int fd, nullfd = -1, r = 0;

	for (fd = 0; fd < 3; fd++) {
		if (!stdio_unusable(fd))
			continue;
		if (nullfd < 0) {
			/* The lowest free fd: < 3 when one was closed. */
			if ((nullfd = open("/dev/null", O_RDWR | O_NOCTTY)) < 0)
				return -errno;
			if (fstat(nullfd, &st) != 0 || !S_ISCHR(st.st_mode)) {
				r = -ENODEV;
				goto out;
			}
		}
		if (fd != nullfd && dup2(nullfd, fd) != fd) {
			r = -errno;
			goto out;
		}
	}
out:
	if (nullfd > 2 || (r < 0 && nullfd >= 0))
		(void)close(nullfd);
	return r;
}

static int
is_kept(const struct sanitize_spec *spec, int fd)
{
	size_t i;

	for (i = 0; i < spec->nkeep; i++)
		if (spec->keep_fds[i] == fd)
			return 1;
	return 0;
}

/* The smallest kept fd >= lo, or -1. */
static int
next_kept(const struct sanitize_spec *spec, unsigned lo)
{
	int best = -1;
	size_t i;

	for (i = 0; i < spec->nkeep; i++) {
		int fd = spec->keep_fds[i];
		if ((unsigned)fd >= lo && (best < 0 || fd < best))
			best = fd;
	}
	return best;
}

static int
sys_close_range(unsigned lo, unsigned hi)
{
#if defined(HAVE_CLOSE_RANGE)
	return close_range(lo, hi, 0);
#elif defined(SYS_close_range)
	return (int)syscall(SYS_close_range, lo, hi, 0u);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* "123" -> 123; anything else (".", "..") -> -1. */
static int
parse_fd(const char *s)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return -1;
	}
	return (int)v;
}

/* Without close_range: close what /proc/self/fd lists. */
static int
close_fds_proc(const struct sanitize_spec *spec)
{
	struct dirent *de;
	DIR *d;
	int fd, dfd, r = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -ENOSYS;
	dfd = dirfd(d);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			r = -errno;
			break;
		}
		fd = parse_fd(de->d_name);
		if (fd >= 3 && fd != dfd && !is_kept(spec, fd))
			(void)close(fd);
	}
	(void)closedir(d);
	return r;
}

/* Close every fd >= 3 but the kept ones: close_range over the gaps. */
static int
close_fds(const struct sanitize_spec *spec)
{
	unsigned lo = 3, hi;
	int next;

	for (;;) {
		next = next_kept(spec, lo);
		hi = next < 0 ? ~0U : (unsigned)next - 1;
		if (lo <= hi && sys_close_range(lo, hi) != 0) {
			/* Absent (ENOSYS) or filtered (EPERM): the slow way. */
			if (errno != ENOSYS && errno != EPERM)
				return -errno;
			return close_fds_proc(spec);
		}
		if (next < 0)
			return 0;
		lo = (unsigned)next + 1;
	}
}

int
sanitize_close_fds(const int *keep, size_t nkeep)
{
	struct sanitize_spec spec = { .keep_fds = keep, .nkeep = nkeep };

	return close_fds(&spec);
}

/* The caller's value of name, found in environ itself (deliberately not
 * secure_getenv, which hides everything from a setuid program: the front
 * ends need a few variables, copied bounded and validated by them). */
static const char *
caller_value(const char *name)
{
	extern char **environ;
	size_t len = strlen(name);
	char **e;

	for (e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static void
save_one(struct saved_env *e)
{
	const char *v = caller_value(e->name);
	size_t n;

	e->present = 0;
	e->too_long = 0;
	memset(e->value, 0, sizeof(e->value));
	if (v == NULL)
		return;
	e->present = 1;
	n = strnlen(v, SANITIZE_VALUE_MAX + 1);
	if (n > SANITIZE_VALUE_MAX) {
		e->too_long = 1;
		return;
	}
	memcpy(e->value, v, n);
}

/* Where the kernel put the environment strings at exec: env_start and
 * env_end, fields 50 and 51 of /proc/self/stat.  0, or -1 when they cannot
 * be read or cannot be trusted to describe this program's memory: field
 * 48, arg_start, must be where argv[0] is (under an emulator such as
 * valgrind the kernel's figures are the emulator's, not the program's). */
static int
env_area(uintptr_t *start, uintptr_t *end)
{
	char buf[1024], *p;
	uintptr_t arg_start;
	ssize_t n;
	int fd, k;

	if ((fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ...": comm may hold anything, so from the last ')',
	 * which ends field 2; each space then starts the next field. */
	p = strrchr(buf, ')');
	for (k = 2; k < 48 && p != NULL; k++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	errno = 0;
	arg_start = (uintptr_t)strtoull(p + 1, &p, 10);
	(void)strtoull(p, &p, 10); /* arg_end */
	*start = (uintptr_t)strtoull(p, &p, 10);
	*end = (uintptr_t)strtoull(p, NULL, 10);
	if (errno != 0 || arg_start != (uintptr_t)program_invocation_name)
		return -1;
	return *start < *end && *end - *start <= ENV_AREA_MAX ? 0 : -1;
}

/* Zero the caller's environment strings where they lie, so that a secret a
 * careless caller put there cannot be read from /proc/PID/environ (which
 * shows that memory) or from a core: the strings environ still points to,
 * and the whole area the kernel filled at exec, which also holds those the
 * dynamic loader of a setuid program took out of environ (LD_PRELOAD,
 * GCONV_PATH, ...) without clearing them. */
static void
wipe_env_strings(void)
{
	extern char **environ;
	uintptr_t start, end;
	char **e;

	for (e = environ; e != NULL && *e != NULL; e++)
		explicit_bzero(*e, strlen(*e));
	if (env_area(&start, &end) == 0)
		explicit_bzero((void *)start, end - start);
}

static int
reset_env(const struct sanitize_spec *spec)
{
	size_t i;

	for (i = 0; i < spec->nenv; i++)
		save_one(&spec->env[i]);
	wipe_env_strings();
	if (clearenv() != 0)
		return -ENOMEM;
	if (setenv("PATH", SANITIZE_PATH, 1) != 0)
		return -errno;
	return 0;
}

static int
reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		sa.sa_handler = sig == SIGPIPE ? SIG_IGN : SIG_DFL;
		if (sigaction(sig, &sa, NULL) == 0)
			continue;
		/* glibc keeps the ones below SIGRTMIN (32, 33) for itself. */
		if (errno == EINVAL && sig >= 32 && sig < SIGRTMIN)
			continue;
		return -errno;
	}
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return -errno;
	return 0;
}

/* Raise resource to at least floor; only the soft limit without privilege. */
static int
raise_limit(int resource, rlim_t floor)
{
	struct rlimit cur, want;

	if (getrlimit(resource, &cur) != 0)
		return -errno;
	want.rlim_cur = cur.rlim_cur < floor ? floor : cur.rlim_cur;
	want.rlim_max = cur.rlim_max < floor ? floor : cur.rlim_max;
	if (want.rlim_cur == cur.rlim_cur && want.rlim_max == cur.rlim_max)
		return 0;
	if (setrlimit(resource, &want) == 0)
		return 0;
	if (errno != EPERM)
		return -errno;
	want.rlim_max = cur.rlim_max;
	if (want.rlim_cur > cur.rlim_max)
		want.rlim_cur = cur.rlim_max;
	if (want.rlim_cur == cur.rlim_cur)
		return 0;
	return setrlimit(resource, &want) == 0 ? 0 : -errno;
}

/* RLIMIT_CORE to 0, the others raised; -EPERM with *why set when one
 * stays below its need. */
static int
reset_rlimits(const char **why)
{
	const struct rlimit none = {0, 0};
	struct rlimit got;
	size_t i;
	int r;

	nsaved = 0;
	if (getrlimit(RLIMIT_CORE, &saved[0].orig) != 0 || setrlimit(RLIMIT_CORE, &none) != 0)
		return -errno;
	saved[0].resource = RLIMIT_CORE;
	saved[0].set = none;
	nsaved = 1;
	for (i = 0; i < sizeof(rlimit_floors) / sizeof(rlimit_floors[0]); i++) {
		*why = rlimit_floors[i].why;
		if (getrlimit(rlimit_floors[i].resource, &saved[nsaved].orig) != 0)
			return -errno;
		if ((r = raise_limit(rlimit_floors[i].resource, rlimit_floors[i].floor)) < 0)
			return r;
		if (getrlimit(rlimit_floors[i].resource, &got) != 0)
			return -errno;
		saved[nsaved].resource = rlimit_floors[i].resource;
		saved[nsaved++].set = got;
		if (got.rlim_cur < rlimit_floors[i].need)
			return -EPERM;
	}
	*why = "rlimits";
	return 0;
}

int
sanitize_process(const struct sanitize_spec *spec, const char **failed)
{
	static const struct sanitize_spec empty;
	const char *step;
	int r;

	if (spec == NULL)
		spec = &empty;
	step = "spec";
	if ((r = check_spec(spec)) < 0)
		goto out;
	step = "stdio";
	if ((r = open_stdio()) < 0)
		goto out;
	step = "fds";
	if ((r = close_fds(spec)) < 0)
		goto out;
	step = "env";
	if ((r = reset_env(spec)) < 0)
		goto out;
	(void)umask(077);
	/* The caller's cwd may be on a file system it serves (FUSE): a root
	 * process holds nothing there. */
	step = "cwd";
	if (chdir("/") != 0) {
		r = -errno;
		goto out;
	}
	/* timers first: one firing after the signals' reset would end us */
	if ((r = inherited_reset(&step)) < 0)
		goto out;
	step = "signals";
	if ((r = reset_signals()) < 0)
		goto out;
	step = "rlimits";
	if ((r = reset_rlimits(&step)) < 0)
		goto out;
	step = "dumpable";
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		r = -errno;
out:
	if (failed != NULL)
		*failed = r < 0 ? step : NULL;
	return r;
}

size_t
sanitize_user_rlimits(struct user_rlimit *out, size_t max)
{
	struct rlimit cur;
	size_t i, n = 0;

	for (i = 0; i < nsaved && n < max; i++) {
		if (saved[i].resource == RLIMIT_CORE || getrlimit(saved[i].resource, &cur) != 0)
			continue;
		/* Each of soft and hard: the caller's where it is still what we
		 * set; what PAM set otherwise.  Never above the current one. */
		if (cur.rlim_cur == saved[i].set.rlim_cur)
			cur.rlim_cur = saved[i].orig.rlim_cur;
		if (cur.rlim_max == saved[i].set.rlim_max)
			cur.rlim_max = saved[i].orig.rlim_max;
		if (cur.rlim_cur > cur.rlim_max)
			cur.rlim_cur = cur.rlim_max;
		out[n].resource = saved[i].resource;
		out[n++].lim = cur;
	}
	return n;
}

int
sanitize_restore_rlimits(void)
{
	struct rlimit cur, l;
	size_t i;

	for (i = 0; i < nsaved; i++) {
		if (setrlimit(saved[i].resource, &saved[i].orig) == 0)
			continue;
		/* Raising RLIMIT_CORE's hard limit back needs CAP_SYS_RESOURCE,
		 * which root lacks in some containers: as close as allowed. */
		if (errno != EPERM || getrlimit(saved[i].resource, &cur) != 0)
			return -errno;
		l.rlim_max = saved[i].orig.rlim_max < cur.rlim_max ? saved[i].orig.rlim_max : cur.rlim_max;
		l.rlim_cur = saved[i].orig.rlim_cur < l.rlim_max ? saved[i].orig.rlim_cur : l.rlim_max;
		if (setrlimit(saved[i].resource, &l) != 0)
			return -errno;
	}
	return 0;
}

int
sanitize_apply_rlimits(const struct user_rlimit *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (setrlimit(l[i].resource, &l[i].lim) != 0)
			return -errno;
	return 0;
}
