/*
 * reap.c — see reap.h.  MUST: only this process's own children are
 * signalled (their pids cannot be reused until reaped), and each is reaped.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reap.h"

#define REAP_ROUNDS 10000

int
reap_init(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

/* Parent pid of pid from /proc/PID/stat, or -1. */
static pid_t
parent_of(const char *pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "/proc/%s/stat", pid) >= (int)sizeof(path))
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold anything, so take the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0' || p[3] != ' ')
		return -1;
	return (pid_t)strtol(p + 4, NULL, 10);
}

/* SIGKILL every current child; returns how many were signalled. */
static int
kill_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (parent_of(e->d_name) == self && kill((pid_t)atol(e->d_name), SIGKILL) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int
reap_orphans(void)
{
	int killed = 0, round;

	for (round = 0; round < REAP_ROUNDS; round++) {
		pid_t p;
		killed += kill_children();
		p = waitpid(-1, NULL, 0);
		if (p < 0 && errno == ECHILD)
			break;
		if (p < 0 && errno != EINTR)
			break;
	}
	return killed;
}
