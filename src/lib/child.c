/*
 * child.c — the child, from fork to _exit.
 *
 * MUST: only async-signal-safe calls until the callback runs (the host may
 * be multithreaded; another thread may have held a lock at fork); signals
 * stay blocked until their dispositions are reset; no descriptor of the host
 * survives except the result pipe and the chosen stdio; the child is the
 * leader of a new session and process group (no controlling terminal, so no
 * TIOCSTI into the caller's; and the parent can kill the whole group); the
 * callback runs only after drop_verify() succeeded, in "/" (the host's cwd
 * is not the target's to hold) and, unless the host kept it, in a new
 * session keyring (the host's keys are not the target's); the child ends with
 * _exit(), never exit(), so the host's atexit handlers and stdio buffers are
 * not run twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/keyctl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_LINUX_CLOSE_RANGE_H
#include <linux/close_range.h>
#endif
#include <sys/syscall.h>

#include "child.h"

__attribute__((noreturn)) static void
setup_failed(int fd, int step, int err)
{
	out_dropfail(fd, step, err);
	_exit(CHILD_SETUP_FAILED);
}

/* Reset every caught or ignored signal to its default (all of them when
 * /proc/self/status was not readable). */
static int
reset_signals(const struct proc_status *ps)
{
	uint64_t touched = ps != NULL ? ps->sig_ign | ps->sig_cgt : ~(uint64_t)0;
	struct sigaction sa;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP ||
		    (sig <= 64 && !((touched >> (sig - 1)) & 1u)))
			continue;
		/* glibc reserves 32 and 33: EINVAL there is expected. */
		if (sigaction(sig, &sa, NULL) != 0 && errno != EINVAL)
			return -1;
	}
	return 0;
}

struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* "123" to 123; -1 for anything else ("." and ".." included). */
static int
fd_name(const char *s)
{
	int v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (INT_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Without close_range: the fds listed in /proc/self/fd, read with
 * getdents64 into a buffer on the stack (no allocation), closed when in
 * [lo, hi].  The listing follows the fd table by number, so closing the
 * ones already listed does not disturb it.  No /proc: -1 (never a guess
 * at the highest fd). */
static int
close_span_proc(int lo, int hi)
{
	char buf[4096] __attribute__((aligned(8)));
	int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;
	long n, off;

	if (dfd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += ((struct dirent64_raw *)(buf + off))->d_reclen) {
			fd = fd_name(((struct dirent64_raw *)(buf + off))->d_name);
			if (fd >= lo && fd <= hi && fd != dfd)
				(void)close(fd);
		}
	}
	(void)close(dfd);
	return n == 0 ? 0 : -1;
}

/* Close every fd in [lo, hi]: close_range, or where it is missing (ENOSYS)
 * or filtered (EPERM, a container's seccomp policy) /proc/self/fd. */
static int
close_span(int lo, int hi)
{
	if (lo > hi)
		return 0;
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0u) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM)
		return -1;
	return close_span_proc(lo, hi);
}

/* Close every fd except the (at most four) in keep[]; -1 entries ignored. */
static int
close_all_but(const int *keep)
{
	int s[4], n = 0, lo = 0, i, j;

	for (i = 0; i < 4; i++)
		if (keep[i] >= 0)
			s[n++] = keep[i];
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && s[j - 1] > s[j]; j--) {
			int t = s[j];
			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (close_span(lo, s[i] - 1) != 0)
			return -1;
		lo = s[i] + 1;
	}
	return close_span(lo, 0x7fffffff);
}

/*
 * Keep only the pipe and the chosen stdio: copy them above 2, close every
 * other fd, then fill 0, 1, 2 in order with the chosen fds or one shared
 * /dev/null (opened once: with 0..i-1 filled and i..2 closed, open returns
 * i).  *pipefd gets the pipe's new number as soon as it has one.  0 or -1.
 */
static int
arrange_fds(int wfd, const int *stdio, int *pipefd)
{
	int keep[4], i, devnull = -1;

	if ((keep[0] = fcntl(wfd, F_DUPFD_CLOEXEC, 3)) < 0)
		return -1;
	*pipefd = keep[0];
	for (i = 0; i < 3; i++) {
		keep[i + 1] = stdio[i] >= 0 ? fcntl(stdio[i], F_DUPFD_CLOEXEC, 3) : -1;
		if (stdio[i] >= 0 && keep[i + 1] < 0)
			return -1;
	}
	if (close_all_but(keep) != 0)
		return -1;
	for (i = 0; i < 3; i++) {
		int src = keep[i + 1];
		if (src < 0 && devnull < 0) {
			if ((devnull = open("/dev/null", O_RDWR)) != i)
				return -1;
			continue;
		}
		if (dup2(src >= 0 ? src : devnull, i) != i)
			return -1;
		if (src >= 0)
			(void)close(src);
	}
	return 0;
}

/* Leave the host's session keyring for a new, empty one, and prove it.
 * ENOSYS (no keyrings) and EPERM (a seccomp filter, which binds the
 * callback as well) leave nothing to leave.  0, or -1 with errno (0 when
 * the proof failed). */
static int
new_session_keyring(void)
{
	long k = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL);

	if (k < 0)
		return errno == ENOSYS || errno == EPERM ? 0 : -1;
	if (syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) != k) {
		errno = 0;
		return -1;
	}
	return 0;
}

void
child_main(const struct child_spec *s)
{
	sigset_t none;
	struct proc_status st, *ps = proc_status_read(&st) == 0 ? &st : NULL;
	int fd = s->wfd, step, err, code;

	if (reset_signals(ps) != 0)
		setup_failed(fd, PFA_STEP_SIGNALS, errno);
	if (setsid() < 0)
		setup_failed(fd, PFA_STEP_SETSID, errno);
	if (arrange_fds(s->wfd, s->stdio, &fd) != 0)
		setup_failed(fd, PFA_STEP_FDS, errno);
	if (s->plan != NULL) {
		/* the host's cwd would be a handle the target could not get */
		if (chdir("/") != 0)
			setup_failed(fd, PFA_STEP_CWD, errno);
		if (s->new_keyring && new_session_keyring() != 0)
			setup_failed(fd, PFA_STEP_KEYRING, errno);
		if ((step = drop_apply(s->plan, ps, &err)) != 0)
			setup_failed(fd, step, err);
		if ((step = drop_verify(s->plan, &err)) != 0)
			setup_failed(fd, step, err);
	}
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		setup_failed(fd, PFA_STEP_SIGNALS, errno);
	out_init(s->out, fd);
	code = s->fn(s->out, s->arg);
	_exit(out_finish(s->out, code) == 0 ? 0 : 1);
}
