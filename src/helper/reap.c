/*
 * reap.c — see reap.h.  MUST: only this process's own children are
 * signalled (their pids cannot be reused until reaped), each is reaped at
 * most once, and the whole cleanup is bounded in time (REAP_DEADLINE_MS):
 * a child that cannot die (uninterruptible sleep) or that a tracer holds
 * as a zombie must not keep the PAM session open.
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
#include <time.h>
#include <unistd.h>

#include "reap.h"

#define REAP_DEADLINE_MS 5000
#define REAP_PAUSE_US 10000

int
reap_init(void)
{
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : -errno;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SIGKILL every pid listed in the kernel's children file of this
 * (single-threaded) process; returns how many were signalled, or -1 when
 * the file is not there. */
static int
kill_listed(void)
{
	char path[64], buf[8192], *p, *end;
	ssize_t n;
	int fd, killed = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; *p != '\0'; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
			killed++;
	}
	return killed;
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

/* The same by scanning /proc (kernels without the children file). */
static int
kill_scanned(void)
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

/* Reap every child that has exited; 1 when none is left at all. */
static int
reap_ready(void)
{
	for (;;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);
		if (p > 0)
			continue;
		if (p < 0 && errno == EINTR)
			continue;
		return p < 0 && errno == ECHILD;
	}
}

int
reap_orphans(void)
{
	long deadline = now_ms() + REAP_DEADLINE_MS;
	int killed = 0;

	while (!reap_ready() && now_ms() < deadline) {
		int k = kill_listed();
		if (k < 0)
			k = kill_scanned();
		killed += k;
		(void)usleep(REAP_PAUSE_US);
	}
	return killed;
}
