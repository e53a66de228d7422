/*
 * Unit tests of what pfa_run asks of, and guarantees to, its host (runas.c,
 * collect.c), as any user: SIGCHLD the kernel would answer by reaping the
 * child itself, a blocking splice output, a splice output whose reader went
 * away (SIGPIPE), a cancel while the output is full; and fds closed in the
 * child without close_range (an old kernel, a seccomp policy).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deny_close_range.h"
#include "unit.h"

static int
cb_one(pfa_out *out, void *arg)
{
	(void)arg;
	return pfa_out_int(out, "x", 1);
}

/* Write `len` bytes on channel 0. */
static int
cb_bytes(pfa_out *out, void *arg)
{
	static char chunk[65536];
	size_t len = *(size_t *)arg, off;

	for (off = 0; off < len; off += sizeof(chunk))
		if (pfa_out_write(out, chunk, sizeof(chunk)) != 0)
			return 1;
	return 0;
}

/* pfa_run(id, NULL, ...) uses defaults built on its stack: none may be
 * left to what was there (keep_keyring was, once). */
Test(run_host, defaults_leave_nothing_to_chance)
{
	struct pfa_opts o;

	memset(&o, 0xa5, sizeof(o));
	opts_defaults(&o);
	cr_assert_eq(o.keep_keyring, 0, "the child leaves the host's keyring");
	cr_assert_eq(o.cancel_fd, -1);
	cr_assert_eq(o.splice_fd, -1);
	cr_assert_eq(o.splice_channel, 0);
	cr_assert_null(o.sink);
	cr_assert_null(o.sink_ctx);
	cr_assert_eq(o.stdio[0], -1);
	cr_assert_eq(o.stdio[1], -1);
	cr_assert_eq(o.stdio[2], -1);
}

static void
refused_with_sigchld(void (*handler)(int), int flags)
{
	struct sigaction sa, old;
	struct pfa_result *r = (void *)1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGCHLD, &sa, &old), 0);
	cr_assert_eq(run_nodrop(NULL, cb_one, NULL, &r), PFA_EINVAL);
	cr_assert_null(r, "refused before forking");
	cr_assert_eq(sigaction(SIGCHLD, &old, NULL), 0);
}

static void
on_chld(int sig)
{
	(void)sig;
}

/* The kernel would reap the child itself: its end could not be told. */
Test(run_host, sigchld_ignored_or_nocldwait_is_refused)
{
	struct pfa_result *r;

	refused_with_sigchld(SIG_IGN, 0);
	refused_with_sigchld(on_chld, SA_NOCLDWAIT);
	refused_with_sigchld(SIG_DFL, SA_NOCLDWAIT);
	cr_assert_eq(run_nodrop(NULL, cb_one, NULL, &r), 0, "a handler of its own is fine");
	pfa_result_free(r);
}

/* A blocking pipe as the splice output: one write could outlast the
 * deadline; refused.  A regular file is not. */
Test(run_host, blocking_splice_output_is_refused)
{
	struct pfa_opts o;
	struct pfa_result *r = (void *)1;
	size_t len = 1;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	opts_defaults(&o);
	cr_assert_eq(pfa_opts_set_splice(&o, 0, p[1]), 0);
	cr_assert_eq(run_nodrop(&o, cb_bytes, &len, &r), PFA_EINVAL);
	cr_assert_null(r);
	cr_assert_eq(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	cr_assert_eq(run_nodrop(&o, cb_one, NULL, &r), 0, "the same pipe, non-blocking");
	pfa_result_free(r);
	close(p[0]);
	close(p[1]);
}

/* The splice output's reader went away: the run ends with PFA_EABORT and
 * the host lives on, with no SIGPIPE left pending and its mask as it was. */
Test(run_host, a_gone_reader_is_eabort_not_sigpipe)
{
	struct pfa_opts o;
	struct pfa_result *r;
	size_t len = 1u << 20;
	sigset_t mask, pending;
	int p[2];

	cr_assert_neq(signal(SIGPIPE, SIG_DFL), SIG_ERR); /* SIGPIPE would end this test */
	cr_assert_eq(pipe2(p, O_NONBLOCK), 0);
	close(p[0]);
	opts_defaults(&o);
	o.max_result = 8u << 20;
	cr_assert_eq(pfa_opts_set_splice(&o, 0, p[1]), 0);
	cr_assert_eq(run_nodrop(&o, cb_bytes, &len, &r), PFA_EABORT);
	pfa_result_free(r);
	cr_assert_eq(sigpending(&pending), 0);
	cr_assert(!sigismember(&pending, SIGPIPE), "no SIGPIPE left pending");
	cr_assert_eq(pthread_sigmask(SIG_BLOCK, NULL, &mask), 0);
	cr_assert(!sigismember(&mask, SIGPIPE), "the host's mask is back");
	close(p[1]);
}

static int cancel_w = -1;

static void *
cancel_later(void *arg)
{
	(void)arg;
	usleep(300 * 1000);
	if (write(cancel_w, "x", 1) != 1)
		return (void *)1;
	return NULL;
}

/* No deadline, an output nobody reads: a cancel still ends the run, and
 * says so (PFA_ECANCELED, not PFA_EABORT). */
Test(run_host, cancel_while_the_output_is_full, .timeout = 30)
{
	struct pfa_opts o;
	struct pfa_result *r;
	size_t len = 16u << 20;
	int out[2], cancel[2];
	pthread_t t;

	cr_assert_eq(pipe2(out, O_NONBLOCK), 0);
	cr_assert_eq(pipe(cancel), 0);
	cancel_w = cancel[1];
	opts_defaults(&o);
	o.max_result = 64u << 20;
	cr_assert_eq(pfa_opts_set_splice(&o, 0, out[1]), 0);
	cr_assert_eq(pfa_opts_set_cancel_fd(&o, cancel[0]), 0);
	cr_assert_eq(pthread_create(&t, NULL, cancel_later, NULL), 0);
	cr_assert_eq(run_nodrop(&o, cb_bytes, &len, &r), PFA_ECANCELED);
	pthread_join(t, NULL);
	pfa_result_free(r);
	close(out[0]);
	close(out[1]);
	close(cancel[0]);
	close(cancel[1]);
}

/* The usual cancel: a signal handler writes to a self-pipe.  The signal
 * interrupts the wait for room first; that is not the end of the run, the
 * cancel is. */
static int selfpipe_w = -1;

static void
on_alarm(int sig)
{
	(void)sig;
	(void)!write(selfpipe_w, "x", 1);
}

Test(run_host, cancel_from_a_signal_handler_while_the_output_is_full, .timeout = 30)
{
	struct itimerval once = { { 0, 0 }, { 0, 300000 } };
	struct pfa_opts o;
	struct pfa_result *r;
	size_t len = 16u << 20;
	int out[2], cancel[2];

	cr_assert_eq(pipe2(out, O_NONBLOCK), 0);
	cr_assert_eq(pipe2(cancel, O_NONBLOCK), 0);
	selfpipe_w = cancel[1];
	cr_assert_neq(signal(SIGALRM, on_alarm), SIG_ERR);
	opts_defaults(&o);
	o.max_result = 64u << 20;
	cr_assert_eq(pfa_opts_set_splice(&o, 0, out[1]), 0);
	cr_assert_eq(pfa_opts_set_cancel_fd(&o, cancel[0]), 0);
	cr_assert_eq(setitimer(ITIMER_REAL, &once, NULL), 0);
	cr_assert_eq(run_nodrop(&o, cb_bytes, &len, &r), PFA_ECANCELED);
	pfa_result_free(r);
}

/* A SIGPIPE another process sends during a run is the host's: it is not
 * taken with the ones the run's own writes raise. */
static volatile sig_atomic_t pipes_seen;

static void
on_pipe(int sig)
{
	(void)sig;
	pipes_seen++;
}

Test(run_host, a_sigpipe_from_elsewhere_still_reaches_the_host, .timeout = 30)
{
	struct pfa_opts o;
	struct pfa_result *r;
	size_t len = 16u << 20;
	pid_t killer, host = getpid();
	int out[2];

	cr_assert_eq(pipe2(out, O_NONBLOCK), 0);
	cr_assert_neq(signal(SIGPIPE, on_pipe), SIG_ERR);
	opts_defaults(&o);
	o.max_result = 64u << 20;
	o.timeout_ms = 1500;
	cr_assert_eq(pfa_opts_set_splice(&o, 0, out[1]), 0);
	killer = fork();
	cr_assert_neq(killer, -1);
	if (killer == 0) {
		usleep(300 * 1000);
		kill(host, SIGPIPE);
		_exit(0);
	}
	cr_assert_eq(run_nodrop(&o, cb_bytes, &len, &r), PFA_EABORT, "stalled to the deadline");
	pfa_result_free(r);
	cr_assert_eq(waitpid(killer, NULL, 0), killer);
	cr_assert_eq(pipes_seen, 1, "the host's handler ran once");
}

/* The child keeps no fd of the host's, close_range or not: here it is
 * missing (ENOSYS) or filtered (EPERM), and /proc/self/fd says which are
 * open, up to the highest the limit allows. */
static int
cb_fds_open(pfa_out *out, void *arg)
{
	const int *fds = arg;
	int n = 0, i;

	for (i = 0; fds[i] >= 0; i++)
		n += fcntl(fds[i], F_GETFD) != -1;
	return pfa_out_int(out, "open", n);
}

static void
fds_closed_without_close_range(int err)
{
	struct rlimit rl;
	struct pfa_result *r;
	int fds[4], base = open("/dev/null", O_RDONLY);
	int64_t n;

	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = rl.rlim_max;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	fds[0] = 100;
	fds[1] = (int)(rl.rlim_max > 70000 ? 70000 : rl.rlim_max - 1);
	fds[2] = fds[1] / 2;
	fds[3] = -1;
	for (int i = 0; i < 3; i++)
		cr_assert_eq(dup2(base, fds[i]), fds[i]);
	cr_assert_eq(deny_close_range(err), 0);
	cr_assert_eq(run_nodrop(NULL, cb_fds_open, fds, &r), 0);
	cr_assert_eq(pfa_result_get_int(r, "open", &n), 0);
	cr_assert_eq(n, 0, "fds %d, %d, %d closed in the child", fds[0], fds[2], fds[1]);
	pfa_result_free(r);
}

Test(run_host, fds_closed_where_close_range_is_missing)
{
	fds_closed_without_close_range(ENOSYS);
}

Test(run_host, fds_closed_where_close_range_is_filtered)
{
	fds_closed_without_close_range(EPERM);
}

/* Neither close_range nor /proc: the child refuses rather than guesses
 * where the fds end. */
Test(run_host, no_close_range_nor_proc_is_a_drop_failure)
{
	struct pfa_result *r;
	int step, err;

	if (geteuid() != 0)
		cr_skip_test("needs root for a private mount namespace");
	cr_assert_eq(unshare(CLONE_NEWNS), 0);
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0);
	cr_assert_eq(mount("tmpfs", "/proc", "tmpfs", 0, NULL), 0);
	cr_assert_eq(deny_close_range(ENOSYS), 0);
	cr_assert_eq(run_nodrop(NULL, cb_one, NULL, &r), PFA_EDROP);
	cr_assert_eq(pfa_result_drop_failure(r, &step, &err), 0);
	cr_assert_eq(step, PFA_STEP_FDS);
	pfa_result_free(r);
	/* the real /proc back: LeakSanitizer reads it at exit */
	cr_assert_eq(umount2("/proc", MNT_DETACH), 0);
}
