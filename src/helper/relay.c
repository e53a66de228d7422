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
#define RELAY_BUF (256 * 1024)

static int done_fd = -1;  /* EOF once the relay has exited */
static int relay_pidfd = -1; /* to kill it when it outlives the grace */
static pid_t relay_pid_nofd; /* the same, where there is no pidfd_open */
static int stdout_refused;   /* relay_start found a stdout reply.c refuses */

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
		for (off = 0; off < n; off += w > 0 ? w : 0) {
			if ((w = write(STDOUT_FILENO, buf + off, (size_t)(n - off))) == 0)
				return; /* a device that takes nothing: do not spin */
			if (w < 0 && output_wait(errno) < 0)
				return;
			if (w > 0) /* progress, for relay_finish (non-blocking) */
				(void)!write(4, "", 1);
		}
	}
}

/* The relay itself: fd in (the private pipe) and done are above 2.  Its
 * own session first: no terminal signal (^C, ^Z, a hangup) reaches it, and
 * with no controlling terminal a write to one never stops it.  Its pid on
 * done says it runs as the caller. */
__attribute__((noreturn)) static void
relay_main(const struct caller *c, int in, int done)
{
	static const int keep[] = { 3, 4 };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	pid_t me = getpid();
	sigset_t none;
	int sig, null;

	/* keep in (as 3), done (as 4) and stdout; stdin and stderr on
	 * /dev/null; both moved above 4 first, so neither lands on the other */
	if (setsid() < 0 || (in = fcntl(in, F_DUPFD, 10)) < 0 || (done = fcntl(done, F_DUPFD, 10)) < 0 ||
	    dup2(in, 3) != 3 || dup2(done, 4) != 4 || sanitize_close_fds(keep, 2) != 0 ||
	    (null = open("/dev/null", O_RDWR)) < 0 || dup2(null, 0) != 0 || dup2(null, 2) != 2 ||
	    close(null) != 0 || caller_become_caller(c) != 0)
		_exit(1);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)sanitize_restore_rlimits();
	if (write(4, &me, sizeof(me)) != sizeof(me) || fcntl(4, F_SETFL, O_NONBLOCK) != 0)
		_exit(1);
	copy_out(3);
	_exit(0);
}

/* The middle one: forks the relay, leaves it the pipes, and stays until
 * relay_start has taken the relay's pidfd (EOF on g): until then the
 * relay, alive or a zombie of ours, keeps its pid.  Exit 0 only then. */
__attribute__((noreturn)) static void
middle_main(const struct caller *c, const int *p, const int *d, const int *g)
{
	ssize_t r;
	pid_t pid;
	char b;

	(void)close(p[1]);
	(void)close(d[0]);
	(void)close(g[1]);
	if ((pid = fork()) == 0) {
		(void)close(g[0]);
		relay_main(c, p[0], d[1]);
	}
	(void)close(p[0]); /* the relay's death is the pipes' EOF */
	(void)close(d[1]);
	do
		r = read(g[0], &b, 1);
	while (r < 0 && errno == EINTR);
	_exit(pid > 0 && r == 0 ? 0 : 1);
}

/* The relay's pid once it runs as the caller, and a pidfd to it (-1
 * without pidfd_open).  0 or -errno. */
static int
relay_pid(int rd, pid_t *pid, int *pidfd)
{
	errno = EIO; /* a short read: the relay failed before it was ready */
	if (read(rd, pid, sizeof(*pid)) != sizeof(*pid))
		return -errno;
	if ((*pidfd = (int)syscall(SYS_pidfd_open, *pid, 0)) < 0 && errno != ENOSYS)
		return -errno;
	return 0;
}

int
relay_start(const struct caller *c)
{
	int p[2] = { -1, -1 }, d[2] = { -1, -1 }, g[2] = { -1, -1 }, st, e = 0, pidfd = -1;
	pid_t mid, pid = 0;

	if (refused_output()) {
		stdout_refused = 1;
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) != 0 || pipe2(d, O_CLOEXEC) != 0 || pipe2(g, O_CLOEXEC) != 0) {
		e = -errno;
		goto out;
	}
	if ((mid = fork()) < 0) {
		e = -errno;
		goto out;
	}
	if (mid == 0)
		middle_main(c, p, d, g);
	/* only the relay keeps p[0] and d[1]: its death is EPIPE and EOF */
	(void)close(p[0]);
	(void)close(d[1]);
	(void)close(g[0]);
	p[0] = d[1] = g[0] = -1;
	e = relay_pid(d[0], &pid, &pidfd);
	(void)close(g[1]); /* the middle one may go */
	g[1] = -1;
	while (waitpid(mid, &st, 0) < 0)
		if (errno != EINTR) {
			e = e < 0 ? e : -errno;
			goto out;
		}
	/* not a clean exit: it was killed (the caller may) before the pidfd
	 * was taken, so pid may name another process by now */
	if (e == 0 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
		e = -EAGAIN;
	if (e == 0 && dup2(p[1], STDOUT_FILENO) != STDOUT_FILENO)
		e = -errno;
	if (e == 0) {
		relay_pidfd = pidfd;
		relay_pid_nofd = pidfd < 0 ? pid : 0;
		pidfd = -1;
		done_fd = d[0];
		d[0] = -1;
	}
out:
	/* on failure the relay is not killed: with every write end of its
	 * pipe closed it reads EOF and exits */
	if (pidfd >= 0)
		(void)close(pidfd);
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			(void)close(p[i]);
		if (d[i] >= 0)
			(void)close(d[i]);
		if (g[i] >= 0)
			(void)close(g[i]);
	}
	return e;
}

int
relay_stdout(void)
{
	return done_fd >= 0 ? 1 : stdout_refused ? -EOPNOTSUPP : 0;
}

/* Past the grace: the relay goes too, as the helper's own write would
 * have been abandoned (this process is the caller by now).  Without a
 * pidfd its pid still names it: done has no EOF, so it has not exited. */
static void
relay_kill(void)
{
	if (relay_pidfd >= 0)
		(void)syscall(SYS_pidfd_send_signal, relay_pidfd, SIGKILL, NULL, 0);
	else if (relay_pid_nofd > 0)
		(void)kill(relay_pid_nofd, SIGKILL);
}

void
relay_finish(int fd)
{
	long deadline = json_now_ms() + RELAY_GRACE_MS, left;
	struct pollfd pf;
	char b[512];
	ssize_t n;
	int r;

	if (done_fd < 0)
		return;
	if (fd >= 0 && fd != STDOUT_FILENO)
		(void)close(fd);
	(void)close(STDOUT_FILENO);
	pf.fd = done_fd;
	pf.events = POLLIN;
	for (;;) {
		if ((left = deadline - json_now_ms()) <= 0) {
			relay_kill();
			break;
		}
		if ((r = poll(&pf, 1, (int)left)) == 0 || (r < 0 && errno == EINTR))
			continue; /* the deadline is checked above */
		if (r < 0 || (n = read(done_fd, b, sizeof(b))) <= 0)
			break; /* EOF: the relay has written all and exited */
		deadline = json_now_ms() + RELAY_GRACE_MS; /* it made progress */
	}
	if (relay_pidfd >= 0)
		(void)close(relay_pidfd);
	(void)close(done_fd);
	relay_pidfd = done_fd = -1;
	relay_pid_nofd = 0;
}
