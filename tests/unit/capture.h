/* Shared helpers of the answer module's tests: capture what a writer puts
 * on an fd, and ask jq(1) about it. */
#ifndef PFA_CAPTURE_H
#define PFA_CAPTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* An empty in-memory file; inheritable so that jq can read it. */
static inline int
capture_fd(void)
{
	int fd = memfd_create("capture", 0);

	cr_assert_geq(fd, 0);
	return fd;
}

/* Everything written to fd, NUL-terminated (caller frees); length in *lenp. */
static inline char *
capture_read(int fd, size_t *lenp)
{
	off_t end = lseek(fd, 0, SEEK_END);
	size_t got = 0;
	char *p;

	cr_assert_geq(end, 0);
	p = malloc((size_t)end + 1);
	cr_assert_not_null(p);
	while (got < (size_t)end) {
		ssize_t r = pread(fd, p + got, (size_t)end - got, (off_t)got);
		cr_assert_gt(r, 0);
		got += (size_t)r;
	}
	p[got] = '\0';
	if (lenp)
		*lenp = got;
	return p;
}

/* `jq -j FILTER` on what fd holds: its output (caller frees) and exit code. */
static inline char *
jq_fd(int fd, const char *filter, int *code)
{
	char cmd[512], *out = NULL;
	size_t len = 0, r;
	FILE *f;
	int st;

	cr_assert_null(strchr(filter, '\''));
	snprintf(cmd, sizeof(cmd), "jq -j '%s' < /proc/self/fd/%d", filter, fd);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	for (;;) {
		out = realloc(out, len + 4096 + 1);
		cr_assert_not_null(out);
		r = fread(out + len, 1, 4096, f);
		len += r;
		if (r == 0)
			break;
	}
	out[len] = '\0';
	st = pclose(f);
	cr_assert(WIFEXITED(st), "jq did not exit");
	*code = WEXITSTATUS(st);
	return out;
}

/* jq FILTER on fd must succeed and print want. */
static inline void
jq_expect(int fd, const char *filter, const char *want)
{
	int code;
	char *got = jq_fd(fd, filter, &code);

	cr_assert_eq(code, 0, "jq '%s' failed", filter);
	cr_assert_str_eq(got, want, "jq '%s'", filter);
	free(got);
}

#endif
