/*
 * login.c — see login.h.
 * MUST: a read never blocks past its deadline, whatever the caller does
 * with the other end (the helper's real uid is root by then: a caller that
 * holds its pipe open forever could not even kill what it started);
 * nothing is read once cancel_fd is readable.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "login.h"

void
compat_login_wipe(struct compat_login *l)
{
	explicit_bzero(l, sizeof(*l));
}

static long
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long
compat_deadline(long timeout_ms)
{
	return now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
}

ssize_t
compat_read(int fd, void *buf, size_t n, long deadline, int cancel_fd)
{
	struct pollfd p[2];
	ssize_t r;
	long left;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		p[0].fd = fd;
		p[0].events = POLLIN;
		p[1].fd = cancel_fd;
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		if (poll(p, 2, left > 0x7fffffff ? 0x7fffffff : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (p[1].revents != 0)
			return -ECANCELED;
		if (p[0].revents & POLLNVAL)
			return -EBADF;
		if (p[0].revents == 0)
			continue;
		if ((r = read(fd, buf, n)) >= 0)
			return r;
		if (errno != EINTR && errno != EAGAIN)
			return -errno;
	}
}
