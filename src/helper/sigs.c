/*
 * sigs.c — see sigs.h.  MUST: the handler only records the signal and
 * writes one byte to a non-blocking pipe (async-signal-safe), preserving
 * errno; SA_RESTART so PAM modules are not surprised by EINTR.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sigs.h"

static volatile sig_atomic_t caught;
static int pipe_fds[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	if (caught == 0)
		caught = sig;
	if (pipe_fds[1] >= 0)
		(void)!write(pipe_fds[1], "s", 1);
	errno = saved;
}

int
sigs_install(void)
{
	static const int handled[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
	static const int ignored[] = { SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction sa;
	size_t i;

	if (pipe_fds[0] < 0 && pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_signal;
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		if (sigaction(handled[i], &sa, NULL) != 0)
			return -errno;
	sa.sa_handler = SIG_IGN;
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (sigaction(ignored[i], &sa, NULL) != 0)
			return -errno;
	return 0;
}

/* Only there to interrupt a system call: no SA_RESTART. */
static void
on_alarm(int sig)
{
	(void)sig;
}

int
sigs_alarm_at(long deadline_ms)
{
	struct sigaction sa;
	struct itimerval it = { .it_interval = { 0, 100000 } };
	struct timespec ts;
	long left;

	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return -errno;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	left = deadline_ms - ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	if (left < 1)
		left = 1;
	it.it_value.tv_sec = left / 1000;
	it.it_value.tv_usec = (left % 1000) * 1000;
	return setitimer(ITIMER_REAL, &it, NULL) == 0 ? 0 : -errno;
}

void
sigs_alarm_off(void)
{
	static const struct itimerval off;

	(void)setitimer(ITIMER_REAL, &off, NULL);
}

int
sigs_cancel_fd(void)
{
	return pipe_fds[0];
}

int
sigs_caught(void)
{
	return caught;
}
