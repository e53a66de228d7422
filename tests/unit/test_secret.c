#include "config.h"
/* Unit tests of src/helper/secret.c: the password on a pipe, a socket and a
 * pseudo-terminal. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Fill s with junk, so that a wipe shows. */
static void
dirty(struct secret *s)
{
	memset(s, 0xa5, sizeof(*s));
}

static int
all_zero(const struct secret *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* A connected pair: a pipe (sock == 0) or a stream socketpair. */
static void
make_pair(int sock, int fds[2])
{
	if (sock)
		cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
	else
		cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
}

/* Write len bytes of data into a fresh pair, close the write end, run
 * secret_read on the read end; what it left unread goes to rest. */
static int
feed(int sock, const void *data, size_t len, struct secret *s, char *rest, size_t restlen)
{
	int fds[2], r;
	ssize_t n;

	make_pair(sock, fds);
	cr_assert_eq(write(fds[1], data, len), (ssize_t)len);
	cr_assert_eq(close(fds[1]), 0);
	dirty(s);
	r = secret_read(fds[0], s);
	n = read(fds[0], rest, restlen - 1);
	cr_assert_geq(n, 0);
	rest[n] = '\0';
	cr_assert_eq(close(fds[0]), 0);
	return r;
}

static void
check_ok(const char *data, size_t len, const char *want_secret, const char *want_rest)
{
	char rest[64];
	struct secret s;
	int sock;

	for (sock = 0; sock < 2; sock++) {
		cr_assert_eq(feed(sock, data, len, &s, rest, sizeof(rest)), 0);
		cr_assert_eq(s.len, strlen(want_secret));
		cr_assert_str_eq(s.buf, want_secret);
		cr_assert_str_eq(rest, want_rest, "the op's input was consumed");
	}
}

Test(secret, newline_terminates)
{
	check_ok("hunter2\nOP INPUT\n", 17, "hunter2", "OP INPUT\n");
}

Test(secret, nul_terminates)
{
	check_ok("hunter2\0OP\nINPUT", 17, "hunter2", "OP\nINPUT");
}

Test(secret, eof_without_newline)
{
	check_ok("hunter2", 7, "hunter2", "");
}

Test(secret, empty_line_is_an_empty_secret)
{
	check_ok("\nrest", 5, "", "rest");
	check_ok("\0rest", 5, "", "rest");
}

Test(secret, eof_at_once)
{
	char rest[8];
	struct secret s;
	int sock;

	for (sock = 0; sock < 2; sock++) {
		cr_assert_eq(feed(sock, "", 0, &s, rest, sizeof(rest)), -ENODATA);
		cr_assert(all_zero(&s));
	}
}

Test(secret, exactly_the_maximum)
{
	char data[SECRET_MAX + 8], rest[16];
	struct secret s;

	memset(data, 'p', SECRET_MAX);
	memcpy(data + SECRET_MAX, "\nrest", 5);
	cr_assert_eq(feed(0, data, SECRET_MAX + 5, &s, rest, sizeof(rest)), 0);
	cr_assert_eq(s.len, SECRET_MAX);
	cr_assert_eq(s.buf[SECRET_MAX], '\0');
	cr_assert_str_eq(rest, "rest");
	cr_assert_eq(feed(1, data, SECRET_MAX, &s, rest, sizeof(rest)), 0); /* then EOF */
	cr_assert_eq(s.len, SECRET_MAX);
}

Test(secret, one_over_the_maximum)
{
	char data[SECRET_MAX + 8], rest[16];
	struct secret s;
	int sock;

	memset(data, 'p', SECRET_MAX + 1);
	data[SECRET_MAX + 1] = '\n';
	for (sock = 0; sock < 2; sock++) {
		cr_assert_eq(feed(sock, data, SECRET_MAX + 2, &s, rest, sizeof(rest)), -EMSGSIZE);
		cr_assert(all_zero(&s), "not wiped");
		cr_assert_eq(feed(sock, data, SECRET_MAX + 1, &s, rest, sizeof(rest)), -EMSGSIZE);
	}
}

Test(secret, rest_stays_in_an_open_socket)
{
	struct secret s;
	char rest[16];
	int fds[2];
	ssize_t n;

	make_pair(1, fds);
	cr_assert_eq(write(fds[1], "pw\nop-data", 10), 10);
	cr_assert_eq(secret_read(fds[0], &s), 0);
	cr_assert_str_eq(s.buf, "pw");
	n = recv(fds[0], rest, sizeof(rest) - 1, MSG_DONTWAIT);
	cr_assert_eq(n, 7);
	rest[n] = '\0';
	cr_assert_str_eq(rest, "op-data");
	close(fds[0]);
	close(fds[1]);
}

Test(secret, read_error_wipes)
{
	struct secret s;

	dirty(&s);
	cr_assert_eq(secret_read(-1, &s), -EBADF);
	cr_assert(all_zero(&s));
	cr_assert_eq(secret_read(0, NULL), -EINVAL);
}

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

Test(secret, interrupted_read_is_retried)
{
	struct itimerval it = {{0, 20000}, {0, 20000}}, off = {{0, 0}, {0, 0}};
	struct sigaction sa;
	struct secret s;
	int fds[2];
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: read fails with EINTR */
	cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
	make_pair(0, fds);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		usleep(200000);
		_exit(write(fds[1], "late\n", 5) == 5 ? 0 : 1);
	}
	close(fds[1]);
	cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	cr_assert_eq(secret_read(fds[0], &s), 0);
	cr_assert_eq(setitimer(ITIMER_REAL, &off, NULL), 0);
	cr_assert_str_eq(s.buf, "late");
	cr_assert_gt(alarms, 0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	close(fds[0]);
}

Test(secret, wipe)
{
	struct secret s;

	dirty(&s);
	secret_wipe(&s);
	cr_assert(all_zero(&s));
	secret_wipe(NULL);
}

/* ---- on a pseudo-terminal ---------------------------------------------- */

struct pty {
	int master, slave;
};

static void
open_pty(struct pty *p)
{
	struct termios t;

	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	cr_assert_geq(p->master, 0);
	cr_assert_eq(grantpt(p->master), 0);
	cr_assert_eq(unlockpt(p->master), 0);
	p->slave = open(ptsname(p->master), O_RDWR | O_NOCTTY | O_CLOEXEC);
	cr_assert_geq(p->slave, 0);
	cr_assert_eq(tcgetattr(p->slave, &t), 0);
	cr_assert(t.c_lflag & ECHO, "a new pty echoes");
}

/* Wait up to 5 s until the terminal's echo is off (Linux: the master
 * reports the slave's settings).  1 when it went off. */
static int
wait_echo_off(int master)
{
	struct termios t;
	int i;

	for (i = 0; i < 500; i++) {
		if (tcgetattr(master, &t) != 0)
			return 0;
		if (!(t.c_lflag & ECHO))
			return 1;
		usleep(10000);
	}
	return 0;
}

/* A child that types line into the terminal once echo is off; it exits 0
 * when echo was off before it typed. */
static pid_t
typist(int master, const char *line, size_t len, int sig, pid_t reader)
{
	pid_t pid = fork();

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		if (!wait_echo_off(master))
			_exit(2);
		if (sig != 0 && (kill(reader, sig) != 0 || usleep(100000) != 0))
			_exit(3);
		_exit(write(master, line, len) == (ssize_t)len ? 0 : 4);
	}
	return pid;
}

/* What the terminal showed, up to and including the first newline (pty
 * output arrives in pieces: poll up to 2 s for each). */
static void
read_screen(int master, char *out, size_t outlen)
{
	struct pollfd pfd = {master, POLLIN, 0};
	size_t got = 0;
	ssize_t n;

	out[0] = '\0';
	while (got < outlen - 1 && strchr(out, '\n') == NULL) {
		cr_assert_eq(poll(&pfd, 1, 2000), 1, "terminal output stopped at '%s'", out);
		n = read(master, out + got, outlen - 1 - got);
		cr_assert_gt(n, 0);
		got += (size_t)n;
		out[got] = '\0';
	}
}

static void
expect_exit(pid_t pid, int code)
{
	int st;

	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == code, "status 0x%x", st);
}

Test(secret, tty_echo_off_during_read_and_restored)
{
	struct termios before, after;
	struct secret s;
	struct pty p;
	char out[256];
	pid_t pid;

	open_pty(&p);
	cr_assert_eq(tcgetattr(p.slave, &before), 0);
	pid = typist(p.master, "s3cret\nop input\n", 16, 0, 0);
	cr_assert_eq(secret_read_tty(p.slave, "Password: ", &s), 0);
	expect_exit(pid, 0);
	cr_assert_str_eq(s.buf, "s3cret");
	cr_assert_eq(tcgetattr(p.slave, &after), 0);
	cr_assert_eq(after.c_lflag, before.c_lflag);
	cr_assert(after.c_lflag & ECHO);
	read_screen(p.master, out, sizeof(out));
	cr_assert_str_eq(out, "Password: \r\n"); /* the newline after; no echo */
	close(p.master);
	close(p.slave);
}

/* Output stopped (^S): the prompt cannot go out; the wait ends at the
 * deadline (shortened here) and echo is as it was. */
Test(secret, tty_output_stopped_times_out)
{
	struct termios before, after;
	struct secret s;
	struct pty p;
	struct timespec t0, t1;
	long ms;

	open_pty(&p);
	cr_assert_eq(tcgetattr(p.slave, &before), 0);
	cr_assert_eq(tcflow(p.slave, TCOOFF), 0);
	secret_set_wait_ms(300);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(secret_read_tty(p.slave, "Password: ", &s), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secret_set_wait_ms(0);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	cr_assert_lt(ms, 30000, "gave up after %ld ms", ms); /* not the 60 s default */
	cr_assert_eq(s.len, 0);
	cr_assert_eq(tcgetattr(p.slave, &after), 0);
	cr_assert_eq(after.c_lflag, before.c_lflag);
	close(p.master);
	close(p.slave);
}

/* A pty master is refused: reopened, it would be another pty. */
Test(secret, tty_master_refused)
{
	struct secret s;
	struct pty p;

	open_pty(&p);
	cr_assert_eq(secret_read_tty(p.master, "Password: ", &s), -ENOTTY);
	close(p.master);
	close(p.slave);
}

Test(secret, tty_too_long_flushes_and_restores)
{
	char line[SECRET_MAX + 100], rest[8];
	struct termios t;
	struct secret s;
	struct pty p;
	pid_t pid;

	open_pty(&p);
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	pid = typist(p.master, line, sizeof(line), 0, 0);
	dirty(&s);
	cr_assert_eq(secret_read_tty(p.slave, "pw: ", &s), -EMSGSIZE);
	expect_exit(pid, 0);
	cr_assert(all_zero(&s));
	cr_assert_eq(tcgetattr(p.slave, &t), 0);
	cr_assert(t.c_lflag & ECHO);
	cr_assert_eq(fcntl(p.slave, F_SETFL, O_NONBLOCK), 0);
	cr_assert_eq(read(p.slave, rest, sizeof(rest)), -1, "the rest of the line was left");
	cr_assert_eq(errno, EAGAIN);
	close(p.master);
	close(p.slave);
}

/* SIGTERM while echo is off: it acts only after echo is back. */
Test(secret, tty_signal_waits_for_echo)
{
	struct termios t;
	struct secret s;
	struct pty p;
	pid_t reader, pid;
	int st;

	open_pty(&p);
	reader = fork();
	cr_assert_neq(reader, -1);
	if (reader == 0)
		_exit(secret_read_tty(p.slave, "pw: ", &s) == 0 ? 0 : 1);
	pid = typist(p.master, "pw\n", 3, SIGTERM, reader);
	expect_exit(pid, 0);
	cr_assert_eq(waitpid(reader, &st, 0), reader);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "status 0x%x", st);
	cr_assert_eq(tcgetattr(p.slave, &t), 0);
	cr_assert(t.c_lflag & ECHO, "echo left off");
	close(p.master);
	close(p.slave);
}

Test(secret, tty_not_a_terminal)
{
	struct secret s;
	int fds[2];

	make_pair(0, fds);
	dirty(&s);
	cr_assert_eq(secret_read_tty(fds[0], "pw: ", &s), -ENOTTY);
	cr_assert(all_zero(&s));
	close(fds[0]);
	close(fds[1]);
}

Test(secret, a_cancel_fd_aborts_the_wait)
{
	struct secret s;
	int in[2], cancel[2];

	cr_assert_eq(pipe(in), 0);
	cr_assert_eq(pipe(cancel), 0);
	cr_assert_eq(write(cancel[1], "s", 1), 1);
	secret_set_cancel_fd(cancel[0]);
	dirty(&s);
	cr_assert_eq(secret_read(in[0], &s), -EINTR, "a signal's byte ends the wait");
	cr_assert(all_zero(&s));
	secret_set_cancel_fd(-1);
	cr_assert_eq(write(in[1], "pw\n", 3), 3);
	cr_assert_eq(secret_read(in[0], &s), 0);
	cr_assert_str_eq(s.buf, "pw");
	close(in[0]);
	close(in[1]);
	close(cancel[0]);
	close(cancel[1]);
}
