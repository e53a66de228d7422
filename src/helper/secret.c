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
 * MUST: nothing waits on a terminal's output (a PAM module may prompt while
 * a lock slot is held): the prompt goes through a private non-blocking
 * description of the terminal within SECRET_WAIT_MS, and echo is changed
 * without draining output (TCSANOW after flushing input, not TCSAFLUSH),
 * so a terminal stopped by ^S costs a timeout, not a hang.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "answer.h" /* json_write_all: bounded writes to a non-blocking fd */
#include "cli.h"

static int cancel_fd = -1;
static long wait_ms = SECRET_WAIT_MS;

void
secret_set_wait_ms(long ms)
{
	wait_ms = ms > 0 ? ms : SECRET_WAIT_MS;
}

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
	long deadline = now_ms() + wait_ms;
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

/* A private, non-blocking write description of the terminal tty_fd, or
 * -errno (-ENOTTY for a pty master: reopened, it would be a new pty). */
static int
tty_writer(int tty_fd)
{
	struct stat a, b;
	char path[32];
	int fd, ptn;

	if (fstat(tty_fd, &a) != 0)
		return -errno;
	if (ioctl(tty_fd, TIOCGPTN, &ptn) == 0)
		return -ENOTTY;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", tty_fd);
	if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, &b) != 0 || b.st_rdev != a.st_rdev || b.st_ino != a.st_ino) {
		close(fd);
		return -ENOTTY;
	}
	return fd;
}

/* Turn echo off on fd, and check that the terminal took it. */
static int
echo_off(int fd, const struct termios *old)
{
	struct termios quiet = *old;

	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	if (tcflush(fd, TCIFLUSH) != 0 || tcsetattr(fd, TCSANOW, &quiet) != 0)
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
	long deadline = now_ms() + wait_ms;
	int r, changed = 0, w = -1;

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
	if ((w = tty_writer(tty_fd)) < 0) {
		r = w;
		goto out;
	}
	if (prompt != NULL && (r = json_write_all(w, prompt, strlen(prompt), deadline)) < 0)
		goto out;
	changed = 1; /* even a failed echo_off may have changed something */
	if ((r = echo_off(tty_fd, &old)) < 0)
		goto out;
	r = secret_read(tty_fd, s);
	(void)json_write_all(w, "\n", 1, deadline); /* the user's Enter was not echoed */
out:
	if (changed && r < 0)
		(void)tcflush(tty_fd, TCIFLUSH); /* no rest of a password for the shell */
	if (changed && tcsetattr(tty_fd, TCSANOW, &old) != 0 && r == 0)
		r = -errno;
	(void)sigprocmask(SIG_SETMASK, &saved, NULL);
	if (w >= 0)
		close(w);
	if (r < 0)
		secret_wipe(s);
	return r;
}
