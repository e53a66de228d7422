/*
 * sanitize_child.h — shared by the unit tests of sanitize.c and
 * inherited.c (one test program): each test changes the whole process, so
 * it runs in a forked child that reports "ok" or the check that failed.
 */
#ifndef PFA_TEST_SANITIZE_CHILD_H
#define PFA_TEST_SANITIZE_CHILD_H

#include <criterion/criterion.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sanitize.h"

#define STR_(x) #x
#define STR(x) STR_(x)
/* In a child: return a message naming the check that failed. */
#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond))                                                 \
			return "line " STR(__LINE__) ": " #cond;             \
	} while (0)

typedef const char *(*child_fn)(int report_fd);

/* Run fn in a forked child and assert that it reports "ok". */
static inline void
in_child(child_fn fn)
{
	char buf[512];
	size_t got = 0;
	ssize_t n;
	int p[2], st;
	pid_t pid;

	cr_assert_eq(pipe(p), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		const char *msg;
		(void)close(p[0]);
		msg = fn(p[1]);
		if (msg == NULL)
			msg = "ok";
		if (write(p[1], msg, strlen(msg)) < 0)
			_exit(1);
		_exit(0);
	}
	(void)close(p[1]);
	while (got < sizeof(buf) - 1 && (n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	(void)close(p[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert_str_eq(buf, "ok");
	cr_assert_eq(st, 0);
}

/* sanitize_process keeping the report pipe (and extra, when >= 0). */
static inline int
sanitize_keeping(int report_fd, int extra, struct saved_env *env, size_t nenv, const char **failed)
{
	int keep[2] = {report_fd, extra};
	struct sanitize_spec spec = {keep, extra >= 0 ? 2 : 1, env, nenv};

	return sanitize_process(&spec, failed);
}

/* CAP_SYS_RESOURCE effective: a hard limit may be raised, an
 * oom_score_adj set below 0. */
static inline int
has_sys_resource(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps != NULL) {
		(void)cap_get_flag(caps, CAP_SYS_RESOURCE, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	return v == CAP_SET;
}

#endif
