/*
 * Unit tests of the run engine (runas.c, child.c, out.c, result.c) as any
 * user: the child keeps the test's credentials (run_nodrop), everything else
 * is exactly what pfa_run does.  test_drop_root covers the drop itself.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"


static void
check_size(size_t len, size_t max, int want)
{
	struct pfa_opts o;
	struct pfa_result *r = NULL;
	size_t got;
	const uint8_t *d;

	opts_defaults(&o);
	o.max_result = max;
	cr_assert_eq(run_nodrop(&o, unit_cb_pattern, &len, &r), want, "len %zu", len);
	cr_assert_not_null(r);
	cr_assert_eq(pfa_result_code(r), want);
	if (want == 0) {
		d = pfa_result_data(r, 0, &got);
		cr_assert_eq(got, len);
		for (size_t i = 0; i < len; i++)
			if (d[i] != unit_pattern_byte(i))
				cr_assert_fail("byte %zu differs", i);
		cr_assert_eq(pfa_result_exit_status(r), 0);
		cr_assert_eq(pfa_result_signal(r), 0);
	} else {
		/* Killed, unless it had already exited when the parent noticed. */
		cr_assert(pfa_result_signal(r) == SIGKILL || pfa_result_exit_status(r) == 0);
	}
	pfa_result_free(r);
}

Test(run, sizes_0_1_64k_plus_1)
{
	check_size(0, PFA_MAX_RESULT_DEFAULT, 0);
	check_size(1, PFA_MAX_RESULT_DEFAULT, 0);
	check_size(65537, PFA_MAX_RESULT_DEFAULT, 0);
	check_size(3 * 1024 * 1024 + 5, PFA_MAX_RESULT_DEFAULT, 0);
}

Test(run, the_cap_and_cap_plus_one)
{
	check_size(1 << 20, 1 << 20, 0);
	check_size((1 << 20) + 1, 1 << 20, PFA_ETOOBIG);
	check_size(PFA_MAX_RESULT_DEFAULT, PFA_MAX_RESULT_DEFAULT, 0);
	check_size(PFA_MAX_RESULT_DEFAULT + 1, PFA_MAX_RESULT_DEFAULT, PFA_ETOOBIG);
}

Test(run, hundred_megabytes)
{
	check_size(100u * 1000 * 1000, 128u << 20, 0);
}

Test(run, unbounded_flood_is_cut_at_the_cap)
{
	size_t len = (size_t)1 << 40; /* the child would write forever */
	check_size(len, 4u << 20, PFA_ETOOBIG);
}

static int
cb_sleep(pfa_out *out, void *arg)
{
	(void)arg;
	pfa_out_write(out, "started", 7);
	pfa_out_flush(out);
	sleep(60);
	return 0;
}

Test(run, timeout_kills_and_reports)
{
	struct pfa_opts o;
	struct pfa_result *r;
	double t0 = unit_now();

	opts_defaults(&o);
	o.timeout_ms = 300;
	cr_assert_eq(run_nodrop(&o, cb_sleep, NULL, &r), PFA_ETIMEOUT);
	cr_assert_lt(unit_now() - t0, 5.0);
	cr_assert_eq(pfa_result_signal(r), SIGKILL);
	cr_assert_eq(pfa_result_exit_status(r), -1);
	pfa_result_free(r);
}

static int
cb_crash(pfa_out *out, void *arg)
{
	(void)arg;
	pfa_out_write(out, "partial", 7);
	pfa_out_flush(out);
	raise(SIGSEGV);
	return 0;
}

Test(run, crash_is_a_signal)
{
	struct pfa_result *r;

	cr_assert_eq(run_nodrop(NULL, cb_crash, NULL, &r), PFA_ESIGNAL);
	cr_assert_eq(pfa_result_signal(r), SIGSEGV);
	pfa_result_free(r);
}

static int
cb_exit3(pfa_out *out, void *arg)
{
	(void)out;
	(void)arg;
	_exit(3);
}

Test(run, exit_without_writing)
{
	struct pfa_result *r;
	double t0 = unit_now();

	cr_assert_eq(run_nodrop(NULL, cb_exit3, NULL, &r), PFA_EEXIT);
	cr_assert_eq(pfa_result_exit_status(r), 3);
	cr_assert_eq(pfa_result_signal(r), 0);
	cr_assert_lt(unit_now() - t0, 5.0);
	pfa_result_free(r);
}

/* The callback leaves a grandchild that holds the result pipe open. */
static int
cb_grandchild(pfa_out *out, void *arg)
{
	int escape = *(int *)arg;
	pid_t p = fork();

	if (p == 0) {
		if (escape)
			setsid();
		sleep(30);
		_exit(0);
	}
	pfa_out_int(out, "grandchild", p);
	return 0;
}

Test(run, grandchild_holding_pipe_does_not_hang)
{
	struct pfa_opts o;
	struct pfa_result *r;
	int64_t gc;
	int escape = 0;
	double t0 = unit_now();

	opts_defaults(&o);
	o.timeout_ms = 20000;
	cr_assert_eq(run_nodrop(&o, cb_grandchild, &escape, &r), 0);
	cr_assert_lt(unit_now() - t0, 5.0);
	cr_assert_eq(pfa_result_get_int(r, "grandchild", &gc), 0);
	/* It was in the child's process group: killed with it (a zombie or gone
	 * once its new parent reaps it). */
	for (int i = 0; i < 50 && proc_state((pid_t)gc) != 0 && proc_state((pid_t)gc) != 'Z'; i++)
		usleep(20000);
	cr_assert(proc_state((pid_t)gc) == 0 || proc_state((pid_t)gc) == 'Z');
	pfa_result_free(r);
}

Test(run, escaped_grandchild_holding_pipe_does_not_hang)
{
	struct pfa_opts o;
	struct pfa_result *r;
	int64_t gc;
	int escape = 1;
	double t0 = unit_now();

	opts_defaults(&o);
	o.timeout_ms = 20000;
	cr_assert_eq(run_nodrop(&o, cb_grandchild, &escape, &r), 0);
	cr_assert_lt(unit_now() - t0, 5.0);
	cr_assert_eq(pfa_result_get_int(r, "grandchild", &gc), 0);
	kill((pid_t)gc, SIGKILL);
	pfa_result_free(r);
}

static int
cb_die_leaving_grandchild(pfa_out *out, void *arg)
{
	(void)out;
	(void)arg;
	if (fork() == 0) {
		setsid();
		sleep(30);
		_exit(0);
	}
	_exit(5);
}

Test(run, child_dies_while_grandchild_holds_pipe)
{
	struct pfa_result *r;
	double t0 = unit_now();

	cr_assert_eq(run_nodrop(NULL, cb_die_leaving_grandchild, NULL, &r), PFA_EEXIT);
	cr_assert_eq(pfa_result_exit_status(r), 5);
	cr_assert_lt(unit_now() - t0, 5.0);
	pfa_result_free(r);
}

static int
cb_error(pfa_out *out, void *arg)
{
	(void)arg;
	cr_assert_eq(pfa_out_message(out, "no such mailbox"), 0);
	return 9;
}

Test(run, callback_error_and_message)
{
	struct pfa_result *r;

	cr_assert_eq(run_nodrop(NULL, cb_error, NULL, &r), PFA_ECALLBACK);
	cr_assert_eq(pfa_result_callback_code(r), 9);
	cr_assert_str_eq(pfa_result_message(r), "no such mailbox");
	cr_assert_eq(pfa_result_exit_status(r), 0);
	pfa_result_free(r);
}

static int
cb_fields(pfa_out *out, void *arg)
{
	char big[PFA_FIELD_MAX + 1];

	(void)arg;
	memset(big, 'b', sizeof(big));
	cr_assert_eq(pfa_out_int(out, "n", INT64_MIN), 0);
	cr_assert_eq(pfa_out_str(out, "s", "line\nwith\0nul", 13), 0);
	cr_assert_eq(pfa_out_write_channel(out, 2, "two", 3), 0);
	cr_assert_eq(pfa_out_write(out, "zero", 4), 0);
	cr_assert_eq(pfa_out_str(out, "big", big, PFA_FIELD_MAX), 0);
	/* Misuse is refused, not fatal. */
	cr_assert_eq(pfa_out_str(out, "toobig", big, PFA_FIELD_MAX + 1), PFA_EINVAL);
	cr_assert_eq(pfa_out_int(out, "Bad Key", 1), PFA_EINVAL);
	cr_assert_eq(pfa_out_int(out, "", 1), PFA_EINVAL);
	cr_assert_eq(pfa_out_int(out, NULL, 1), PFA_EINVAL);
	cr_assert_eq(pfa_out_write_channel(out, PFA_CHANNELS, "x", 1), PFA_EINVAL);
	cr_assert_eq(pfa_out_write(out, NULL, 1), PFA_EINVAL);
	cr_assert_eq(pfa_out_write(NULL, "x", 1), PFA_EINVAL);
	memset(big, 'm', PFA_MSG_MAX + 1);
	big[PFA_MSG_MAX + 1] = '\0';
	cr_assert_eq(pfa_out_message(out, big), PFA_EINVAL);
	return 0;
}

Test(run, fields_and_channels)
{
	struct pfa_result *r;
	int64_t n;
	const char *s;
	size_t len;

	cr_assert_eq(run_nodrop(NULL, cb_fields, NULL, &r), 0);
	cr_assert_eq(pfa_result_get_int(r, "n", &n), 0);
	cr_assert_eq(n, INT64_MIN);
	cr_assert_eq(pfa_result_get_str(r, "s", &s, &len), 0);
	cr_assert_eq(len, 13);
	cr_assert_eq(memcmp(s, "line\nwith\0nul", 13), 0);
	cr_assert_eq(pfa_result_get_str(r, "big", &s, &len), 0);
	cr_assert_eq(len, PFA_FIELD_MAX);
	cr_assert_eq(pfa_result_get_int(r, "s", &n), PFA_EINVAL, "wrong type");
	cr_assert_eq(pfa_result_get_int(r, "absent", &n), PFA_EINVAL);
	cr_assert_str_eq(pfa_result_data(r, 2, &len), "two");
	cr_assert_str_eq(pfa_result_data(r, 0, &len), "zero");
	cr_assert_eq(pfa_result_field_count(r), 3);
	cr_assert_null(pfa_result_message(r));
	pfa_result_free(r);
}

struct sink_state {
	uint64_t bytes[PFA_CHANNELS];
	uint64_t stop_after;
};

static int
sink(void *ctx, unsigned ch, const void *buf, size_t len)
{
	struct sink_state *s = ctx;
	(void)buf;
	s->bytes[ch] += len;
	return s->stop_after && s->bytes[ch] >= s->stop_after;
}

Test(run, sink_streams_and_can_stop)
{
	struct pfa_opts o;
	struct pfa_result *r;
	struct sink_state s;
	size_t len = 50u << 20, got;

	memset(&s, 0, sizeof(s));
	opts_defaults(&o);
	o.max_result = (size_t)-1;
	o.sink = sink;
	o.sink_ctx = &s;
	cr_assert_eq(run_nodrop(&o, unit_cb_pattern, &len, &r), 0);
	cr_assert_eq(s.bytes[0], len);
	cr_assert_eq(pfa_result_total(r), len);
	pfa_result_data(r, 0, &got);
	cr_assert_eq(got, 0, "streamed data is not kept");
	pfa_result_free(r);

	memset(&s, 0, sizeof(s));
	s.stop_after = 1u << 20;
	len = (size_t)1 << 40;
	cr_assert_eq(run_nodrop(&o, unit_cb_pattern, &len, &r), PFA_EABORT);
	cr_assert_eq(pfa_result_signal(r), SIGKILL);
	pfa_result_free(r);
}

/* The callback writes raw bytes on the result pipe (the child is not
 * trusted: it may be the target user's code). */
static int
cb_raw(pfa_out *out, void *arg)
{
	const char *mode = arg;

	if (strcmp(mode, "garbage") == 0) {
		out_write_all(out->fd, "\0\0\0\x05\x63zzzzz", 10);
	} else if (strcmp(mode, "truncated") == 0) {
		out_write_all(out->fd, "\0\0\0\x64\x01\x00" "abc", 9);
		_exit(0);
	} else if (strcmp(mode, "huge-len") == 0) {
		out_write_all(out->fd, "\xff\xff\xff\xff\x01", 5);
		sleep(30);
	}
	return 0;
}

Test(run, protocol_errors)
{
	struct pfa_opts o;
	struct pfa_result *r;
	const char *modes[] = { "garbage", "truncated", "huge-len" };
	double t0 = unit_now();

	opts_defaults(&o);
	o.timeout_ms = 20000;
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(run_nodrop(&o, cb_raw, (void *)modes[i], &r), PFA_EPROTO, "%s",
			     modes[i]);
		pfa_result_free(r);
	}
	cr_assert_lt(unit_now() - t0, 5.0);
}

/* What the child inherits: only 0, 1, 2 and the pipe; default signal
 * dispositions, an empty mask; its own session. */
static int
cb_inherit(pfa_out *out, void *arg)
{
	int hostfd = *(int *)arg, n = 0;
	struct sigaction sa;
	sigset_t mask;
	char path[64];

	pfa_out_int(out, "hostfd_open", fcntl(hostfd, F_GETFD) != -1);
	for (int fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	pfa_out_int(out, "nfds", n);
	sigaction(SIGUSR1, NULL, &sa);
	pfa_out_int(out, "usr1_default", sa.sa_handler == SIG_DFL);
	sigaction(SIGTERM, NULL, &sa);
	pfa_out_int(out, "term_default", sa.sa_handler == SIG_DFL);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	pfa_out_int(out, "mask_usr2", sigismember(&mask, SIGUSR2));
	pfa_out_int(out, "session_leader", getsid(0) == getpid() && getpgrp() == getpid());
	snprintf(path, sizeof(path), "/proc/self/fd/%d", 0);
	pfa_out_int(out, "stdin_devnull", access("/dev/null", F_OK) == 0);
	return 0;
}

static void
on_term(int sig)
{
	(void)sig;
}

Test(run, child_inherits_nothing)
{
	struct pfa_result *r;
	sigset_t m;
	int64_t v;
	int fd = open("/dev/zero", O_RDONLY); /* not O_CLOEXEC on purpose */

	signal(SIGUSR1, SIG_IGN);
	signal(SIGTERM, on_term);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m, NULL);
	cr_assert_eq(run_nodrop(NULL, cb_inherit, &fd, &r), 0);
	pfa_result_get_int(r, "hostfd_open", &v);
	cr_assert_eq(v, 0, "host fd visible in the child");
	pfa_result_get_int(r, "nfds", &v);
	cr_assert_eq(v, 4, "0, 1, 2 and the pipe");
	pfa_result_get_int(r, "usr1_default", &v);
	cr_assert_eq(v, 1);
	pfa_result_get_int(r, "term_default", &v);
	cr_assert_eq(v, 1);
	pfa_result_get_int(r, "mask_usr2", &v);
	cr_assert_eq(v, 0);
	pfa_result_get_int(r, "session_leader", &v);
	cr_assert_eq(v, 1);
	pfa_result_free(r);
	/* The host's own state is untouched. */
	cr_assert_eq(fcntl(fd, F_GETFD), 0);
	sigprocmask(SIG_SETMASK, NULL, &m);
	cr_assert(sigismember(&m, SIGUSR2));
	close(fd);
}

static int
cb_stdio(pfa_out *out, void *arg)
{
	char buf[16] = "";
	ssize_t n;

	(void)arg;
	n = read(0, buf, sizeof(buf) - 1);
	pfa_out_str(out, "stdin", buf, n > 0 ? (size_t)n : 0);
	if (write(1, "to-stdout", 9) != 9 || write(2, "to-stderr", 9) != 9)
		return 1;
	return 0;
}

Test(run, stdio_is_devnull_or_what_the_host_chose)
{
	struct pfa_opts o;
	struct pfa_result *r;
	int in[2], outp[2];
	const char *s;
	size_t len;
	char buf[32] = "";

	cr_assert_eq(run_nodrop(NULL, cb_stdio, NULL, &r), 0);
	cr_assert_eq(pfa_result_get_str(r, "stdin", &s, &len), 0);
	cr_assert_eq(len, 0, "stdin is /dev/null");
	pfa_result_free(r);

	cr_assert_eq(pipe(in), 0);
	cr_assert_eq(pipe(outp), 0);
	cr_assert_eq(write(in[1], "input", 5), 5);
	close(in[1]);
	opts_defaults(&o);
	cr_assert_eq(pfa_opts_set_stdio(&o, in[0], outp[1], -1), 0);
	cr_assert_eq(run_nodrop(&o, cb_stdio, NULL, &r), 0);
	cr_assert_eq(pfa_result_get_str(r, "stdin", &s, &len), 0);
	cr_assert_str_eq(s, "input");
	close(outp[1]);
	cr_assert_eq(read(outp[0], buf, sizeof(buf)), 9);
	cr_assert_str_eq(buf, "to-stdout");
	pfa_result_free(r);
	close(in[0]);
	close(outp[0]);
}

/* atexit handlers and unflushed stdio of the host must not run in the
 * child: it leaves with _exit. */
static char atexit_path[64];

static void
host_atexit(void)
{
	FILE *f = fopen(atexit_path, "a");
	if (f) {
		fprintf(f, "atexit %d\n", (int)getpid());
		fclose(f);
	}
}

static int
cb_return(pfa_out *out, void *arg)
{
	(void)out;
	(void)arg;
	return 0;
}

Test(run, atexit_and_stdio_not_run_twice)
{
	char path[] = "/tmp/pfa-stdio-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct pfa_result *r;
	char buf[256] = "";
	struct stat st;

	snprintf(atexit_path, sizeof(atexit_path), "%s.atexit", path);
	atexit(host_atexit);
	setvbuf(f, NULL, _IOFBF, 4096);
	fprintf(f, "buffered-once\n"); /* sits in the host's buffer */
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(run_nodrop(NULL, cb_return, NULL, &r), 0);
		pfa_result_free(r);
	}
	cr_assert_eq(stat(atexit_path, &st), -1, "an atexit handler ran in a child");
	fclose(f);
	f = fopen(path, "r");
	cr_assert_eq(fread(buf, 1, sizeof(buf) - 1, f), 14);
	cr_assert_str_eq(buf, "buffered-once\n");
	fclose(f);
	unlink(path);
}

Test(run, api_misuse)
{
	struct pfa_result *r = (void *)1;
	pfa_opts *o = pfa_opts_new();

	cr_assert_eq(pfa_run(NULL, NULL, cb_return, NULL, &r), PFA_EINVAL);
	cr_assert_null(r);
	cr_assert_eq(pfa_run(NULL, NULL, cb_return, NULL, NULL), PFA_EINVAL);
	cr_assert_eq(run_nodrop(NULL, NULL, NULL, &r), PFA_EINVAL);
	cr_assert_eq(pfa_opts_set_timeout_ms(o, -1), PFA_EINVAL);
	cr_assert_eq(pfa_opts_set_timeout_ms(o, 86400001L), PFA_EINVAL);
	cr_assert_eq(pfa_opts_set_timeout_ms(NULL, 5), PFA_EINVAL);
	cr_assert_eq(pfa_opts_set_stdio(o, -2, -1, -1), PFA_EINVAL);
	cr_assert_eq(pfa_opts_set_max_result(NULL, 1), PFA_EINVAL);
	cr_assert_eq(pfa_opts_set_sink(NULL, NULL, NULL), PFA_EINVAL);
	cr_assert_eq(pfa_result_code(NULL), PFA_EINVAL);
	cr_assert_null(pfa_result_data(NULL, 0, NULL));
	cr_assert_eq(pfa_result_drop_failure(NULL, NULL, NULL), PFA_EINVAL);
	cr_assert_eq(pfa_result_field(NULL, 0, NULL, NULL, NULL, NULL, NULL), PFA_EINVAL);
	pfa_result_free(NULL);
	pfa_opts_free(NULL);
	pfa_identity_free(NULL);
	cr_assert_eq(pfa_opts_set_cancel_fd(o, -2), PFA_EINVAL);
	for (int e = 0; e >= -14; e--)
		cr_assert_not_null(pfa_strerror(e));
	cr_assert_str_eq(pfa_strerror(-999), "unknown error");
	cr_assert_str_eq(pfa_drop_step_name(PFA_STEP_SETRESUID), "setresuid");
	cr_assert_str_eq(pfa_drop_step_name(999), "unknown");
	pfa_opts_free(o);
}

/* The parent must not keep the write end: a child that closes stdout etc.
 * and exits without a frame must give "no result" promptly (no hang). */
Test(run, many_runs_leak_no_fd)
{
	struct pfa_result *r;
	int before = 0, after = 0;

	for (int fd = 0; fd < 1024; fd++)
		before += fcntl(fd, F_GETFD) != -1;
	for (int i = 0; i < 200; i++) {
		cr_assert_eq(run_nodrop(NULL, i % 2 ? cb_return : cb_exit3, NULL, &r),
			     i % 2 ? 0 : PFA_EEXIT);
		pfa_result_free(r);
	}
	for (int fd = 0; fd < 1024; fd++)
		after += fcntl(fd, F_GETFD) != -1;
	cr_assert_eq(before, after);
	cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "no child left unreaped");
}

Test(run, cancel_fd_stops_the_run)
{
	struct pfa_opts o;
	struct pfa_result *r;
	int p[2];
	double t0 = unit_now();

	cr_assert_eq(pipe(p), 0);
	opts_defaults(&o);
	o.timeout_ms = 20000;
	cr_assert_eq(pfa_opts_set_cancel_fd(&o, p[0]), 0);
	if (fork() == 0) {
		usleep(200000);
		(void)!write(p[1], "x", 1);
		_exit(0);
	}
	cr_assert_eq(run_nodrop(&o, cb_sleep, NULL, &r), PFA_ECANCELED);
	cr_assert_lt(unit_now() - t0, 5.0);
	cr_assert_eq(pfa_result_signal(r), SIGKILL);
	pfa_result_free(r);
	close(p[0]);
	close(p[1]);
}
