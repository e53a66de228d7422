/*
 * relay.c — see relay.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "answer.h"
#include "relay.h"
#include "sanitize.h"

#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC 0x65735546 /* linux/magic.h */
#endif
#define RELAY_BUF (64 * 1024)

static int done_fd = -1;  /* EOF once the relay has exited */
static int relay_pidfd = -1; /* to kill it when it outlives the grace */

/* Will reply.c refuse stdout (a file on FUSE, or one it cannot stat)? */
static int
refused_output(void)
{
	struct stat st;
	struct statfs fs;

	if (fstat(STDOUT_FILENO, &st) != 0)
		return 1;
	return S_ISREG(st.st_mode) &&
	       (fstatfs(STDOUT_FILENO, &fs) != 0 || fs.f_type == FUSE_SUPER_MAGIC);
}

/* Wait until fd 1 takes more: the caller's own description of its stdout
 * may be non-blocking (EAGAIN).  0, or -1 on any other failure. */
static int
output_wait(int err)
{
	struct pollfd pf = { STDOUT_FILENO, POLLOUT, 0 };

	if (err == EINTR)
		return 0;
	if (err != EAGAIN)
		return -1;
	while (poll(&pf, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Copy in to fd 1 until EOF or a failed write.  Through a buffer, never
 * splice: a splice that waits on the output holds the input pipe's lock,
 * and the helper writing that pipe would wait on the lock in turn, where
 * no signal reaches. */
static void
copy_out(int in)
{
	static char buf[RELAY_BUF];
	ssize_t n, w, off;

	for (;;) {
		if ((n = read(in, buf, sizeof(buf))) == 0 || (n < 0 && errno != EINTR))
			return;
		for (off = 0; off < n; off += w > 0 ? w : 0)
			if ((w = write(STDOUT_FILENO, buf + off, (size_t)(n - off))) < 0 &&
			    output_wait(errno) < 0)
				return;
	}
}

/* The relay itself: fd in (the private pipe) and done are above 2. */
__attribute__((noreturn)) static void
relay_main(const struct caller *c, int in, int done)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;
	int sig, null;

	/* keep in (as 3), done (as 4) and stdout; stdin and stderr on
	 * /dev/null; both moved above 4 first, so neither lands on the other */
	if ((in = fcntl(in, F_DUPFD, 10)) < 0 || (done = fcntl(done, F_DUPFD, 10)) < 0 ||
	    dup2(in, 3) != 3 || dup2(done, 4) != 4 || syscall(SYS_close_range, 5u, ~0u, 0u) != 0 ||
	    (null = open("/dev/null", O_RDWR)) < 0 || dup2(null, 0) != 0 || dup2(null, 2) != 2 ||
	    close(null) != 0 || caller_become_caller(c) != 0)
		_exit(1);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)sanitize_restore_rlimits();
	copy_out(3);
	_exit(0);
}

int
relay_start(const struct caller *c)
{
	int p[2] = { -1, -1 }, d[2] = { -1, -1 }, st, e = 0;
	pid_t pid;

	if (refused_output())
		return 0;
	if (pipe2(p, O_CLOEXEC) != 0 || pipe2(d, O_CLOEXEC) != 0) {
		e = -errno;
		goto out;
	}
	if ((pid = fork()) < 0) {
		e = -errno;
		goto out;
	}
	if (pid == 0) { /* the middle one: its child is the relay, orphaned at once */
		(void)close(p[1]);
		(void)close(d[0]);
		pid = fork();
		if (pid == 0)
			relay_main(c, p[0], d[1]);
		_exit(pid < 0 || write(d[1], &pid, sizeof(pid)) != sizeof(pid) ? 1 : 0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			e = -errno;
			goto out;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		e = -EAGAIN;
		goto out;
	}
	/* the relay's pid, from the middle one; a pidfd to it while it is
	 * alive (it is waiting for input: only the caller could end it) */
	errno = EIO;
	if (read(d[0], &pid, sizeof(pid)) != sizeof(pid) ||
	    (relay_pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0 ||
	    dup2(p[1], STDOUT_FILENO) != STDOUT_FILENO) {
		e = -errno;
		goto out;
	}
	done_fd = d[0];
	d[0] = -1;
out:
	if (e < 0 && relay_pidfd >= 0) {
		(void)syscall(SYS_pidfd_send_signal, relay_pidfd, SIGKILL, NULL, 0);
		(void)close(relay_pidfd);
		relay_pidfd = -1;
	}
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			(void)close(p[i]);
		if (d[i] >= 0)
			(void)close(d[i]);
	}
	return e;
}

void
relay_finish(int fd)
{
	long deadline = json_now_ms() + RELAY_GRACE_MS;
	struct pollfd pf;
	int done = 0;
	char b;

	if (done_fd < 0)
		return;
	if (fd >= 0 && fd != STDOUT_FILENO)
		(void)close(fd);
	(void)close(STDOUT_FILENO);
	pf.fd = done_fd;
	pf.events = POLLIN;
	for (;;) {
		long left = deadline - json_now_ms();
		int r;
		if (left <= 0)
			break;
		if ((r = poll(&pf, 1, (int)left)) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (read(done_fd, &b, 1) <= 0) {
			done = 1; /* EOF: the relay has written all and exited */
			break;
		}
	}
	/* past the grace (the caller does not read): it goes too, as the
	 * helper would have (this process is the caller by now) */
	if (!done)
		(void)syscall(SYS_pidfd_send_signal, relay_pidfd, SIGKILL, NULL, 0);
	(void)close(relay_pidfd);
	(void)close(done_fd);
	relay_pidfd = done_fd = -1;
}
