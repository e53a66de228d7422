/*
 * reap.c — see reap.h.  MUST: only this process's own children are
 * signalled (their pids cannot be reused until reaped), each is reaped at
 * most once, and the whole cleanup is bounded in time (REAP_DEADLINE_MS):
 * a child that cannot die (uninterruptible sleep) or that a tracer holds
 * as a zombie must not keep the PAM session open.
 * MUST: a descendant that is not our child is signalled only through a
 * pidfd whose ancestry was checked while it and its parent were alive
 * (kill_tree): a pid the target's code reaped and let be reused is never
 * signalled.
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
#include <sys/syscall.h>
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

/* Parent pid of pid from /proc/PID/stat, or -1. */
static pid_t
parent_of_pid(pid_t pid)
{
	char name[16];

	snprintf(name, sizeof(name), "%d", (int)pid);
	return parent_of(name);
}

/* A pid token: 1 to 10 digits, > 0.  The pid, or -1. */
static pid_t
pid_token(const char *p, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v > 0 && v <= 0x7fffffff ? (pid_t)v : -1;
}

/* The pids in one task's children file (path), appended to out[*got..max):
 * read to EOF and taken only whole (a number a read cut is completed by the
 * next read, never taken cut).  0, or -1 when the file is not there. */
static int
task_children(const char *path, pid_t *out, int max, int *got)
{
	char buf[4096];
	size_t have = 0, start, i;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the kernel ends every pid with a space */
		have += (size_t)n;
		for (start = 0, i = 0; i < have; i++) {
			if (buf[i] != ' ' && buf[i] != '\n')
				continue;
			pid_t c = pid_token(buf + start, i - start);
			if (c > 0 && *got < max)
				out[(*got)++] = c;
			start = i + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have > 10)
			break; /* not a pid list */
	}
	close(fd);
	return 0;
}

/* The children of process pid, up to max into out: every thread's children
 * file, since a child is listed only in the file of the thread that forked
 * it (a chain that forks from threads would otherwise hide below each
 * node).  The count, or -1 when there is no children file. */
static int
children_of(pid_t pid, pid_t *out, int max)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int got = 0, any = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL && got < max) {
		pid_t tid = pid_token(e->d_name, strlen(e->d_name));
		if (tid < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)tid);
		if (task_children(path, out, max, &got) == 0)
			any = 1;
	}
	closedir(d);
	return any ? got : -1;
}

static int
pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

static int
pidfd_kill(int pidfd, int sig)
{
#ifdef SYS_pidfd_send_signal
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
	(void)pidfd;
	(void)sig;
	errno = ENOSYS;
	return -1;
#endif
}

#define TREE_MAX 4096 /* processes killed per round, below the direct children */

/*
 * SIGKILL this process's children and, through pidfds, every descendant
 * below them, so that a chain of processes dies in one round, not one
 * level per round.  A descendant is signalled only through a pidfd taken
 * on it and only when, with that pidfd and its parent's still alive after
 * /proc/PID/stat was read, its parent is the node it was listed under: a
 * pid the target's code reaped and let be reused is never signalled.
 * Direct children need no check (only we reap them).  Returns how many
 * were signalled, or -1 when the children file is not there.
 */
static int
kill_tree(void)
{
	static pid_t pid[TREE_MAX];
	static int fd[TREE_MAX];
	pid_t kids[512];
	int n = 0, head, killed = 0, i, k;

	if ((k = children_of(getpid(), kids, (int)(sizeof(kids) / sizeof(kids[0])))) < 0)
		return -1;
	for (i = 0; i < k; i++) {
		if (kill(kids[i], SIGKILL) == 0)
			killed++;
		if (n < TREE_MAX && (fd[n] = pidfd_of(kids[i])) >= 0)
			pid[n++] = kids[i];
	}
	for (head = 0; head < n; head++) {
		k = children_of(pid[head], kids, (int)(sizeof(kids) / sizeof(kids[0])));
		for (i = 0; i < k && n < TREE_MAX; i++) {
			int c = pidfd_of(kids[i]);
			if (c < 0)
				continue;
			if (parent_of_pid(kids[i]) != pid[head] || pidfd_kill(c, 0) != 0 ||
			    pidfd_kill(fd[head], 0) != 0) {
				close(c);
				continue;
			}
			if (pidfd_kill(c, SIGKILL) == 0)
				killed++;
			fd[n] = c;
			pid[n++] = kids[i];
		}
	}
	for (i = 0; i < n; i++)
		close(fd[i]);
	return killed;
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
		int k = kill_tree();
		if (k < 0)
			k = kill_scanned();
		killed += k;
		(void)usleep(REAP_PAUSE_US);
	}
	return killed;
}
