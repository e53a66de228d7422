/*
 * secret.c — step 4: the password on stdin or on a terminal (cli.h has the
 * contract).
 *
 * MUST: read one byte at a time, so not a byte after the terminator is
 * consumed: the rest of the fd is the operation's input.
 * MUST: more than SECRET_MAX bytes before the terminator is an error, never
 * a truncated password (pwauth's login/password shift).
 * MUST: the struct is wiped on every failure, and so is the byte in flight.
 * MUST: on a terminal, echo is off only while the line is read and is put
 * back on every path; the signals a terminal user or the caller can send to
 * end or stop us (SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN,
 * SIGTTOU) stay blocked until it is, so they act only once echo is back.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int cancel_fd = -1;

void
secret_set_cancel_fd(int fd)
{
	cancel_fd = fd;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is readable: 0, -ETIMEDOUT past deadline, -EINTR when the
 * cancel fd became readable, or -errno. */
static int
wait_readable(int fd, long deadline)
{
	if (fd < 0)
		return 0; /* let read(2) say what is wrong */
	for (;;) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { cancel_fd, POLLIN, 0 } };
		long left = deadline - now_ms();
		int n;

		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(p, 2, left > 0x7fffffff ? 0x7fffffff : (int)left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0 && p[1].revents != 0)
			return -EINTR;
		if (n > 0)
			return 0;
	}
}

void
secret_wipe(struct secret *s)
{
	if (s != NULL)
		explicit_bzero(s, sizeof(*s));
}

int
secret_read(int fd, struct secret *s)
{
	char ch = 0;
	ssize_t n;
	long deadline = now_ms() + SECRET_WAIT_MS;
	int r;

	if (s == NULL)
		return -EINVAL;
	secret_wipe(s);
	for (;;) {
		if ((r = wait_readable(fd, deadline)) < 0)
			goto out;
		n = read(fd, &ch, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0) {
			r = s->len > 0 ? 0 : -ENODATA;
			goto out;
		}
		if (ch == '\n' || ch == '\0') {
			r = 0;
			goto out;
		}
		if (s->len == SECRET_MAX) {
			r = -EMSGSIZE;
			goto out;
		}
		s->buf[s->len++] = ch;
	}
out:
	explicit_bzero(&ch, sizeof(ch));
	if (r < 0)
		secret_wipe(s);
	return r;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Turn echo off on fd, and check that the terminal took it. */
static int
echo_off(int fd, const struct termios *old)
{
	struct termios quiet = *old;

	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
		return -errno;
	/* tcsetattr succeeds when any change took: look. */
	if (tcgetattr(fd, &quiet) != 0)
		return -errno;
	return (quiet.c_lflag & (ECHO | ECHONL)) == 0 ? 0 : -EIO;
}

int
secret_read_tty(int tty_fd, const char *prompt, struct secret *s)
{
	struct termios old;
	sigset_t block, saved;
	int r, changed = 0;

	if (s == NULL)
		return -EINVAL;
	secret_wipe(s);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGTTIN);
	sigaddset(&block, SIGTTOU);
	if (sigprocmask(SIG_BLOCK, &block, &saved) != 0)
		return -errno;
	if (tcgetattr(tty_fd, &old) != 0) {
		r = -errno;
		goto out;
	}
	if (prompt != NULL && (r = write_all(tty_fd, prompt, strlen(prompt))) < 0)
		goto out;
	changed = 1; /* even a failed echo_off may have changed something */
	if ((r = echo_off(tty_fd, &old)) < 0)
		goto out;
	r = secret_read(tty_fd, s);
	(void)write_all(tty_fd, "\n", 1); /* the user's Enter was not echoed */
out:
	if (changed && r < 0)
		(void)tcflush(tty_fd, TCIFLUSH); /* no rest of a password for the shell */
	if (changed && tcsetattr(tty_fd, TCSANOW, &old) != 0 && r == 0)
		r = -errno;
	(void)sigprocmask(SIG_SETMASK, &saved, NULL);
	if (r < 0)
		secret_wipe(s);
	return r;
}
