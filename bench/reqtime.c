/*
 * reqtime — `make bench`: the wall time of whole requests, measured from C
 * so that no shell, `date` or setpriv process is counted with them.
 *
 *   reqtime ROUNDS NAME USER INPUT CMD [ARG...] [:: NAME USER INPUT CMD ...]...
 *
 * Each round runs every command once, in the order given (interleaved, so
 * that the machine's drift hits all alike).  A run is fork -> (as USER,
 * unless USER is "-": initgroups, setresgid, setresuid) -> exec CMD with
 * INPUT on stdin from a pipe, stdout and stderr on /dev/null, env PATH only
 * -> waitpid; the time covers all of it.  Prints per command
 * "NAME median_us mean_us" on stdout.  A run that does not exit 0 is an
 * error (a failing request is fast, and would flatter its ratio): reported
 * on stderr, exit 1.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8
#define MAX_ROUNDS 10000

struct cmd {
	const char *name, *user, *input;
	char **argv;
	double *t;
	int failed, last_status;
};

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
child(const struct cmd *c, int in)
{
	static char path[] = "PATH=/usr/bin:/bin";
	char *envp[] = { path, NULL };
	int null = open("/dev/null", O_WRONLY);

	if (null < 0 || dup2(in, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(126);
	if (strcmp(c->user, "-") != 0) {
		struct passwd *pw = getpwnam(c->user);
		if (pw == NULL || initgroups(c->user, pw->pw_gid) != 0 ||
		    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0)
			_exit(126);
	}
	execve(c->argv[0], c->argv, envp);
	_exit(127);
}

/* One run of c: its time in seconds, or < 0 when it could not start. */
static double
run_one(struct cmd *c)
{
	int p[2], st;
	size_t len = strlen(c->input);
	double t0;
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	/* INPUT is one line: it fits in the pipe before the fork. */
	if (len > 4096 || write(p[1], c->input, len) != (ssize_t)len ||
	    (len > 0 && write(p[1], "\n", 1) != 1)) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	t0 = now();
	if ((pid = fork()) == 0)
		child(c, p[0]);
	close(p[0]);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	t0 = now() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		c->failed++;
		c->last_status = st;
	}
	return t0;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Splits argv[2..] at "::" into cmds; returns how many, or -1. */
static int
parse(int argc, char **argv, struct cmd *cmds, int rounds)
{
	int n = 0, i = 2;

	while (i < argc) {
		int start = i;
		while (i < argc && strcmp(argv[i], "::") != 0)
			i++;
		if (i - start < 4 || n == MAX_CMDS)
			return -1;
		cmds[n].name = argv[start];
		cmds[n].user = argv[start + 1];
		cmds[n].input = argv[start + 2];
		cmds[n].argv = argv + start + 3;
		cmds[n].t = calloc((size_t)rounds, sizeof(double));
		if (cmds[n].t == NULL)
			return -1;
		argv[i] = NULL; /* ends this command's argv */
		n++;
		i++;
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct cmd cmds[MAX_CMDS] = { 0 };
	int rounds = argc > 1 ? atoi(argv[1]) : 0, n, r, k, rc = 0;

	if (rounds < 1 || rounds > MAX_ROUNDS || (n = parse(argc, argv, cmds, rounds)) < 1) {
		fprintf(stderr, "usage: reqtime ROUNDS NAME USER INPUT CMD [ARG...] [:: ...]\n");
		return 2;
	}
	for (r = 0; r < rounds; r++)
		for (k = 0; k < n; k++)
			if ((cmds[k].t[r] = run_one(&cmds[k])) < 0) {
				fprintf(stderr, "reqtime: %s: cannot start\n", cmds[k].name);
				return 1;
			}
	for (k = 0; k < n; k++) {
		double sum = 0;
		for (r = 0; r < rounds; r++)
			sum += cmds[k].t[r];
		qsort(cmds[k].t, (size_t)rounds, sizeof(double), by_value);
		printf("%s %.0f %.0f\n", cmds[k].name, cmds[k].t[rounds / 2] * 1e6, sum / rounds * 1e6);
		if (cmds[k].failed) {
			fprintf(stderr, "reqtime: %s: %d of %d runs failed (last wait status 0x%x)\n",
				cmds[k].name, cmds[k].failed, rounds, cmds[k].last_status);
			rc = 1;
		}
	}
	return rc;
}
