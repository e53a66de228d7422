/*
 * inherited.c — timers, oom_score_adj and the session keyring a caller
 * leaves in the helper (inherited.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
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
		return -errno;
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
		n = n < 0 ? -errno : -EIO;
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

int
inherited_reset(const char **step)
{
	int r;

	*step = "timers";
	if ((r = disarm_timers()) < 0)
		return r;
	*step = "oom_score_adj";
	if ((r = reset_oom_score_adj()) < 0)
		return r;
	*step = "keyring";
	return new_session_keyring();
}
