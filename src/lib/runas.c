/*
 * runas.c — pfa_run: fork, let the child drop and run, read its frames with
 * a deadline and a size limit, reap it exactly once, say what happened.
 *
 * MUST (parent): the pipe is O_CLOEXEC and the parent closes its write end
 * at once, so EOF means every writer is gone; all signals are blocked across
 * fork so no host handler runs in the child; the child is signalled only
 * while it is still unreaped (a zombie keeps its pid and process group id
 * from being reused), and reaped exactly once; the child's process group is
 * killed when the run ends, so nothing the callback started outlives it
 * (unless it made a session of its own; see pipeforkas(3)); what the parent
 * reports about how the child ended is what it observed, never what the
 * child claimed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "child.h"
#include "drop.h"
#include "internal.h"

#define READ_CHUNK ARENA_READ_CHUNK
#define NOPIDFD_TICK_MS 20
#define PIPE_SIZE (1 << 20)
#define REAP_GRACE_MS 3000
#define DRAIN_BUDGET (4u * 1024 * 1024) /* > PIPE_SIZE: a dead child's data fits */

/* The state of one run in the parent. */
struct run {
	pid_t pid;
	int pidfd;   /* -1 when pidfd_open is unavailable */
	int rfd;
	int cancel_fd; /* -1 = none */
	long deadline; /* 0 = none */
	int exited;  /* the child has exited (not yet reaped) */
	int splice_ok; /* splice(2) to opts->splice_fd works (so far) */
	int eof;
	struct frame_decoder *dec;
	struct collector *col;
	uint8_t *buf;
	struct pfa_result *res;
};

/* Has the child exited?  Peeks without reaping (WNOWAIT). */
static int
peek_exited(struct run *r)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)r->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid != 0)
		r->exited = 1;
	return r->exited;
}

static int remaining(const struct run *r);

/* One read of at most want bytes into the decoder: > 0 the bytes taken,
 * 0 when there is nothing now or at EOF (r->eof set), or < 0 a code that
 * ends the run. */
static long
read_some(struct run *r, size_t want)
{
	for (;;) {
		ssize_t n = read(r->rfd, r->buf, want);
		if (n > 0) {
			int e = frame_decoder_feed(r->dec, r->buf, (size_t)n);
			if (e < 0)
				return r->col->limit_hit ? r->col->limit_hit : e;
			return (long)n;
		}
		if (n == 0)
			r->eof = 1;
		else if (errno == EINTR)
			continue;
		else if (errno != EAGAIN)
			return PFA_ESYS;
		return 0;
	}
}

/* The output of a splice channel is full: wait for room until the
 * deadline, or a cancel.  0, PFA_ECANCELED, or PFA_EABORT (the output
 * failed or never drained). */
static int
wait_output(const struct run *r, int fd)
{
	struct pollfd q[2] = { { fd, POLLOUT, 0 }, { r->cancel_fd, POLLIN, 0 } };
	int left, n;

	do { /* a host's signal (its self-pipe's writer, say) is not an end */
		if ((left = remaining(r)) == 0)
			return r->col->limit_hit = PFA_EABORT;
		q[0].revents = q[1].revents = 0;
		n = poll(q, 2, left);
	} while (n < 0 && errno == EINTR);
	if (n > 0 && q[1].revents)
		return r->col->limit_hit = PFA_ECANCELED;
	if (n <= 0 || (q[0].revents & (POLLERR | POLLHUP | POLLNVAL)))
		return r->col->limit_hit = PFA_EABORT;
	return 0;
}

/* Move up to left payload bytes of the splice channel from the result
 * pipe to its output: > 0 the bytes moved, 0 when there is nothing to read
 * now or at EOF, < 0 a code that ends the run.  Where the output cannot
 * take a splice, r->splice_ok is cleared and the read path takes over. */
static long
splice_some(struct run *r, size_t left)
{
	const struct pfa_opts *o = r->col->opts;
	int e;

	for (;;) {
		struct pollfd q = { r->rfd, POLLIN, 0 };
		ssize_t n = splice(r->rfd, NULL, o->splice_fd, NULL, left,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			if (collector_account(r->col, (size_t)n) < 0)
				return PFA_ETOOBIG;
			frame_decoder_skip(r->dec, (size_t)n);
			return (long)n;
		}
		if (n == 0) {
			r->eof = 1;
			return 0;
		}
		if (errno == EINVAL) {
			r->splice_ok = 0;
			return read_some(r, left); /* the output takes writes only */
		}
		if (errno == EINTR && remaining(r) == 0)
			return r->col->limit_hit = PFA_EABORT; /* a blocking output */
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return r->col->limit_hit = PFA_EABORT;
		if (poll(&q, 1, 0) == 0)
			return 0; /* nothing to read: back to the main poll */
		if ((e = wait_output(r, o->splice_fd)) < 0)
			return e;
	}
}

/*
 * Read what is there now, at most DRAIN_BUDGET bytes so that the deadline
 * is checked even against a fast writer; 0, or a code that ends the run.
 * With a splice channel, headers and other frames are read exactly up to
 * the next DATA channel byte (so no payload is read by mistake) and that
 * channel's payloads go from the result pipe to the output with splice(2),
 * never through the parent's memory.
 */
static int
drain(struct run *r)
{
	const struct pfa_opts *o = r->col->opts;
	size_t budget = DRAIN_BUDGET, left;
	unsigned ch;
	long n;

	while (budget > 0) {
		if (o->splice_fd < 0)
			n = read_some(r, READ_CHUNK);
		else if (r->splice_ok && (left = frame_decoder_data_left(r->dec, &ch)) > 0 &&
			 ch == o->splice_channel)
			n = splice_some(r, left);
		else
			n = read_some(r, frame_decoder_want(r->dec));
		if (n <= 0)
			return (int)n;
		budget = (size_t)n < budget ? budget - (size_t)n : 0;
	}
	return 0;
}

/* ms until the deadline (at least 0), or -1 for none. */
static int
remaining(const struct run *r)
{
	long left;

	if (r->deadline == 0)
		return -1;
	left = r->deadline - now_ms();
	if (left < 0)
		left = 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/*
 * Read until EOF or until the child has exited (then take what is buffered:
 * a grandchild may hold the pipe open forever).  Then wait for the exit.
 * Returns 0, or the code of the reason to kill the child.
 */
static int
read_loop(struct run *r)
{
	for (;;) {
		struct pollfd p[3];
		int left = remaining(r), n, e;

		if (left == 0)
			return PFA_ETIMEOUT;
		if (r->pidfd < 0 && (left < 0 || left > NOPIDFD_TICK_MS))
			left = NOPIDFD_TICK_MS;
		p[0].fd = r->eof ? -1 : r->rfd;
		p[0].events = POLLIN;
		p[1].fd = r->pidfd;
		p[1].events = POLLIN;
		p[2].fd = r->cancel_fd;
		p[2].events = POLLIN;
		p[0].revents = p[1].revents = p[2].revents = 0;
		n = poll(p, 3, left);
		if (n < 0 && errno != EINTR)
			return PFA_ESYS;
		if (n > 0 && p[2].revents)
			return PFA_ECANCELED;
		if (r->pidfd >= 0 ? (n > 0 && p[1].revents) : peek_exited(r))
			r->exited = 1;
		if (!r->eof && (r->exited || (n > 0 && p[0].revents))) {
			if ((e = drain(r)) < 0)
				return e;
		}
		if (r->exited)
			return 0;
	}
}

/* Kill the child's whole process group and the child itself.  Only while
 * the child is unreaped. */
static void
kill_group(pid_t pid)
{
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
}

/*
 * Reap the child, once.  After a SIGKILL it may take a moment to die, or
 * never (uninterruptible sleep, e.g. on a FUSE mount its user controls):
 * wait at most REAP_GRACE_MS, then give up rather than hang — the child is
 * left unreaped (res->unreaped) and the run ends with PFA_ETIMEOUT.
 */
static int
reap(struct run *r)
{
	siginfo_t si;
	struct pfa_result *res = r->res;
	long until = now_ms() + REAP_GRACE_MS;

	for (;;) {
		long left;
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, (id_t)r->pid, &si, WEXITED | WNOHANG) == 0) {
			if (si.si_pid == r->pid)
				break;
		} else if (errno != EINTR) {
			return PFA_ESYS;
		}
		if ((left = until - now_ms()) <= 0) {
			res->unreaped = 1;
			return PFA_ETIMEOUT;
		}
		if (r->pidfd >= 0) {
			struct pollfd p = { r->pidfd, POLLIN, 0 };
			(void)poll(&p, 1, (int)left);
		} else {
			(void)usleep((useconds_t)(left < NOPIDFD_TICK_MS ? left : NOPIDFD_TICK_MS) * 1000);
		}
	}
	if (si.si_code == CLD_EXITED) {
		res->exit_status = si.si_status;
	} else {
		res->exit_status = -1;
		res->signal = si.si_status;
	}
	return 0;
}

/* How the run ended, from what the parent saw; kill_reason first. */
static int
verdict(const struct run *r, int kill_reason)
{
	const struct pfa_result *res = r->res;

	if (kill_reason != 0)
		return kill_reason;
	if (res->got_dropfail)
		return PFA_EDROP;
	if (res->signal != 0)
		return PFA_ESIGNAL;
	if (frame_decoder_eof(r->dec) < 0)
		return PFA_EPROTO;
	if (!res->got_end || res->exit_status != 0)
		return PFA_EEXIT;
	return res->cb_code != 0 ? PFA_ECALLBACK : 0;
}

static int
supervise(struct run *r)
{
	int why = read_loop(r), e;

	if (why != 0)
		kill_group(r->pid);
	else
		(void)kill(-r->pid, SIGKILL); /* leftovers in the child's group */
	if ((e = reap(r)) == PFA_ETIMEOUT) {
		(void)collector_finish(r->col);
		return why != 0 ? why : e;
	}
	if (e < 0)
		return e;
	if ((e = collector_finish(r->col)) < 0 && why == 0)
		why = e;
	return verdict(r, why);
}

/* A write into a splice output whose reader is gone must fail with EPIPE
 * (the run ends with PFA_EABORT), not raise SIGPIPE in the host: SIGPIPE
 * is blocked in this thread for the run, and one that became pending
 * during it is taken back before the host's mask returns, and sent again
 * when another process had sent it (a write's comes from this one). */
static int
supervise_guarded(struct run *r, int splice_fd)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old, pending;
	siginfo_t si;
	int e, was_pending, resend = 0;

	if (splice_fd < 0)
		return supervise(r);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if ((e = pthread_sigmask(SIG_BLOCK, &pipe_set, &old)) != 0) {
		errno = e;
		return PFA_ESYS;
	}
	was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
	e = supervise(r);
	if (!was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) &&
	    sigtimedwait(&pipe_set, &si, &zero) == SIGPIPE)
		resend = si.si_code != SI_USER || si.si_pid != getpid();
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (resend)
		(void)kill(getpid(), SIGPIPE);
	return e;
}

/* What the host must not have: SIGCHLD ignored or SA_NOCLDWAIT (the kernel
 * would reap the child itself: how it ended could not be told, and its
 * pid could be reused before the parent kills its group), or a splice
 * output that blocks (a pipe, socket or terminal without O_NONBLOCK: one
 * write could outlast the deadline).  0 or PFA_EINVAL. */
static int
host_ok(const struct pfa_opts *o)
{
	struct sigaction sa;
	struct stat st;
	int fl;

	if (sigaction(SIGCHLD, NULL, &sa) != 0 || sa.sa_handler == SIG_IGN ||
	    (sa.sa_flags & SA_NOCLDWAIT))
		return PFA_EINVAL;
	if (o->splice_fd < 0)
		return 0;
	if (fstat(o->splice_fd, &st) != 0 || (fl = fcntl(o->splice_fd, F_GETFL)) < 0)
		return PFA_EINVAL;
	return S_ISREG(st.st_mode) || (fl & O_NONBLOCK) ? 0 : PFA_EINVAL;
}

static int
spawn(struct run *r, const struct child_spec *cs, int wfd)
{
	sigset_t all, old;
	int e;

	sigfillset(&all);
	if ((e = pthread_sigmask(SIG_SETMASK, &all, &old)) != 0) {
		errno = e;
		return PFA_ESYS;
	}
	r->pid = fork();
	if (r->pid == 0)
		child_main(cs);
	e = errno;
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	(void)close(wfd);
	if (r->pid < 0) {
		errno = e;
		return PFA_ESYS;
	}
	r->pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	return 0;
}

/* The result pipe: both ends O_CLOEXEC, the read end non-blocking and
 * as large as the system lets it be.  0 or PFA_ESYS; the caller closes
 * pfd[0] and pfd[1] when they are not -1. */
static int
result_pipe(int pfd[2])
{
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return PFA_ESYS;
	(void)fcntl(pfd[0], F_SETPIPE_SZ, PIPE_SIZE);
	return fcntl(pfd[0], F_SETFL, O_NONBLOCK) == 0 ? 0 : PFA_ESYS;
}

/* Point the run and the child's spec at the arena a (r->res is set) and
 * take what they need from opts; the deadline starts now. */
static void
run_bind(struct run *r, struct child_spec *cs, struct arena *a, const struct pfa_opts *opts)
{
	r->dec = &a->dec;
	r->col = &a->col;
	collector_init(r->col, opts, r->res);
	r->buf = a->rbuf;
	cs->out = a->out;
	frame_decoder_init(r->dec, &collector_handler, r->col);
	cs->new_keyring = !opts->keep_keyring;
	cs->stdio = opts->stdio;
	r->cancel_fd = opts->cancel_fd;
	r->splice_ok = 1;
	if (opts->timeout_ms > 0)
		r->deadline = now_ms() + opts->timeout_ms;
	r->col->deadline = r->deadline;
}

int
run_internal(const struct pfa_identity *id, const struct pfa_opts *opts, pfa_fn fn,
	     void *arg, struct pfa_result **res, unsigned iflags)
{
	struct pfa_opts defaults;
	struct drop_plan plan;
	struct child_spec cs;
	struct arena *a = NULL;
	struct run r;
	int pfd[2] = { -1, -1 }, e, planned = 0;

	if (res == NULL)
		return PFA_EINVAL;
	*res = NULL;
	if (fn == NULL || (id == NULL && !(iflags & RUN_NO_DROP)))
		return PFA_EINVAL;
	if (opts == NULL) {
		opts_defaults(&defaults);
		opts = &defaults;
	}
	if ((e = host_ok(opts)) < 0)
		return e;
	memset(&r, 0, sizeof(r));
	memset(&cs, 0, sizeof(cs));
	r.pidfd = r.rfd = -1;
	e = PFA_ENOMEM;
	if (!(iflags & RUN_NO_DROP)) {
		if ((e = drop_prepare(&plan, id)) < 0)
			goto out;
		planned = 1;
		cs.plan = &plan;
	}
	e = PFA_ENOMEM;
	r.res = result_new();
	if (r.res == NULL || (a = arena_take()) == NULL)
		goto out;
	run_bind(&r, &cs, a, opts);
	if ((e = result_pipe(pfd)) < 0)
		goto out;
	cs.wfd = pfd[1];
	cs.fn = fn;
	cs.arg = arg;
	r.rfd = pfd[0];
	e = spawn(&r, &cs, pfd[1]);
	pfd[1] = -1;
	if (e < 0)
		goto out;
	e = supervise_guarded(&r, opts->splice_fd);
	r.res->code = e;
	*res = r.res;
	r.res = NULL;
out:
	if (pfd[0] >= 0)
		(void)close(pfd[0]);
	if (pfd[1] >= 0)
		(void)close(pfd[1]);
	if (r.pidfd >= 0)
		(void)close(r.pidfd);
	if (planned)
		drop_release(&plan);
	pfa_result_free(r.res);
	arena_give(a);
	return e;
}

int
pfa_run(const pfa_identity *id, const pfa_opts *opts, pfa_fn fn, void *arg,
	pfa_result **res)
{
	return run_internal(id, opts, fn, arg, res, 0);
}
