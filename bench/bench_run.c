/*
 * bench_run — `make bench`: calls per second of the library round trip
 * (fork -> drop -> callback -> framed result -> reap) beside, in the same
 * run and interleaved, a bare fork + pipe + waitpid loop and fork + drop +
 * exec of a tiny program under the same identity.  Prints each and the
 * ratios; never asserts (the machines are shared and noisy).
 * Usage (root, in the lab): bench_run TINY_PROGRAM [USER] [CALLS]
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pipeforkas.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	ssize_t n;

	while ((n = read(fd, buf + got, cap - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
		if (got == cap)
			break;
	}
	return (int)got;
}

/* fork + pipe + waitpid, the child writes "ok" and _exits: the floor. */
static int
bare(const pfa_identity *id, const char *tiny)
{
	int p[2], st;
	char buf[8];
	pid_t pid;

	(void)id;
	(void)tiny;
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		(void)!write(p[1], "ok", 2);
		_exit(0);
	}
	close(p[1]);
	read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	waitpid(pid, &st, 0);
	return pid > 0 && st == 0 ? 0 : -1;
}

static int
cb(pfa_out *out, void *arg)
{
	(void)arg;
	return pfa_out_write(out, "ok", 2);
}

static int
lib(const pfa_identity *id, const char *tiny)
{
	pfa_result *r;
	int e;

	(void)tiny;
	e = pfa_run(id, NULL, cb, NULL, &r);
	pfa_result_free(r);
	return e;
}

/* fork, become the user (groups, gid, uid), exec the tiny program. */
static int
exec_route(const pfa_identity *id, const char *tiny)
{
	int p[2], st;
	char buf[8];
	const gid_t *g;
	size_t n = pfa_identity_groups(id, &g);
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		char *argv[] = { (char *)tiny, NULL }, *envp[] = { NULL };
		if (dup2(p[1], 1) != 1 || setgroups(n, g) != 0 ||
		    setresgid(pfa_identity_gid(id), pfa_identity_gid(id), pfa_identity_gid(id)) != 0 ||
		    setresuid(pfa_identity_uid(id), pfa_identity_uid(id), pfa_identity_uid(id)) != 0)
			_exit(126);
		execve(tiny, argv, envp);
		_exit(127);
	}
	close(p[1]);
	read_all(p[0], buf, sizeof(buf));
	close(p[0]);
	waitpid(pid, &st, 0);
	return pid > 0 && st == 0 ? 0 : -1;
}

struct route {
	const char *name;
	int (*fn)(const pfa_identity *, const char *);
	double secs;
	long calls;
};

int
main(int argc, char **argv)
{
	struct route r[] = {
		{ "bare fork + pipe + waitpid", bare, 0, 0 },
		{ "pfa_run round trip", lib, 0, 0 },
		{ "fork + drop + exec tiny program", exec_route, 0, 0 },
	};
	const char *user = argc > 2 ? argv[2] : "pfa_alice";
	long calls = argc > 3 ? atol(argv[3]) : 3000, rounds = 10;
	pfa_identity *id;
	int e;

	if (argc < 2 || geteuid() != 0) {
		fprintf(stderr, "usage (as root): %s TINY_PROGRAM [USER] [CALLS]\n", argv[0]);
		return 2;
	}
	if ((e = pfa_identity_from_name(user, 0, &id)) < 0) {
		fprintf(stderr, "bench: %s: %s\n", user, pfa_strerror(e));
		return 1;
	}
	for (long round = 0; round < rounds; round++)
		for (size_t k = 0; k < 3; k++) {
			double t0 = now();
			for (long i = 0; i < calls / rounds; i++)
				if (r[k].fn(id, argv[1]) != 0) {
					fprintf(stderr, "bench: %s failed\n", r[k].name);
					return 1;
				}
			r[k].secs += now() - t0;
			r[k].calls += calls / rounds;
		}
	printf("libpipeforkas round trip, %ld calls each, as %s, interleaved:\n", r[0].calls, user);
	for (size_t k = 0; k < 3; k++)
		printf("  %-34s %8.0f calls/s  %7.1f us/call\n", r[k].name, r[k].calls / r[k].secs,
		       1e6 * r[k].secs / r[k].calls);
	printf("  ratio pfa_run / bare fork loop (time):   %.2fx  (target <= 1.3x)\n",
	       r[1].secs / r[0].secs);
	printf("  ratio fork+exec / pfa_run (time):        %.2fx  (target >= 2x)\n",
	       r[2].secs / r[1].secs);
	pfa_identity_free(id);
	return 0;
}
