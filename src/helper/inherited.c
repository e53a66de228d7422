/*
 * inherited.c — timers, the TSC flag, oom_score_adj, the session keyring
 * and the scheduling policy a caller leaves in the helper (inherited.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "inherited.h"

static int
disarm_timers(void)
{
	static const int which[] = { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };
	const struct itimerval off = { { 0, 0 }, { 0, 0 } };
	size_t i;

	for (i = 0; i < sizeof(which) / sizeof(which[0]); i++)
		if (setitimer(which[i], &off, NULL) != 0)
			return -errno;
	return 0;
}

/* Lower a positive oom_score_adj to 0 (opened for writing only then: a
 * process that is not dumpable may read its /proc files but not write
 * them without privilege). */
static int
reset_oom_score_adj(void)
{
	static const char path[] = "/proc/self/oom_score_adj";
	char buf[16], *end;
	ssize_t n;
	long v;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || end == buf || (*end != '\n' && *end != '\0'))
		return -EIO;
	if (v <= 0)
		return 0;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	n = write(fd, "0\n", 2);
	if (n != 2) {
		/* EACCES: under a privileged process's floor, and no
		 * CAP_SYS_RESOURCE to go below it: not ours to lower */
		n = n < 0 ? (errno == EACCES ? 0 : -errno) : -EIO;
		(void)close(fd);
		return (int)n;
	}
	return close(fd) == 0 ? 0 : -errno;
}

static int
new_session_keyring(void)
{
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) >= 0)
		return 0;
	return errno == ENOSYS || errno == EPERM ? 0 : -errno;
}

/* The time stamp counter readable again (x86 only; EINVAL elsewhere). */
static int
enable_tsc(void)
{
#ifdef PR_SET_TSC
	if (prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0) != 0 && errno != EINVAL)
		return -errno;
#endif
	return 0;
}

/* struct sched_attr of sched_setattr(2), its first version (48 bytes). */
struct sched_attr_v0 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static int
sched_reset(void)
{
	struct sched_attr_v0 a;
	int p = sched_getscheduler(0);

	if (p < 0)
		return -errno;
	p &= ~SCHED_RESET_ON_FORK;
	if (p == SCHED_OTHER || p == SCHED_BATCH || p == SCHED_IDLE)
		return 0;
	/* sched_setattr, not sched_setscheduler: it also leaves SCHED_DEADLINE */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_OTHER;
	a.sched_nice = (int32_t)getpriority(PRIO_PROCESS, 0);
	if (syscall(SYS_sched_setattr, 0, &a, 0) != 0)
		return -errno;
	return sched_getscheduler(0) == SCHED_OTHER ? 0 : -EPERM;
}

int
inherited_reset(const char **step)
{
	int r;

	*step = "timers";
	if ((r = disarm_timers()) < 0)
		return r;
	*step = "tsc";
	if ((r = enable_tsc()) < 0)
		return r;
	*step = "oom_score_adj";
	return reset_oom_score_adj();
}

int
inherited_root_reset(const char **step)
{
	int r;

	*step = "scheduling";
	if ((r = sched_reset()) < 0)
		return r;
	*step = "keyring";
	return new_session_keyring();
}
