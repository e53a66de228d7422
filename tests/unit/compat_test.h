/* Shared helpers of the compat front ends' unit tests. */
#ifndef PFA_COMPAT_TEST_H
#define PFA_COMPAT_TEST_H

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

/* 1 when p[0..n) is all zero bytes (a wipe shows). */
static inline int
all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n-- > 0)
		if (*c++ != 0)
			return 0;
	return 1;
}

/* The read end of a pipe holding data; its write end in *wfd (still open),
 * or closed when wfd is NULL. */
static inline int
pipe_with(const void *data, size_t len, int *wfd)
{
	int p[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	if (len > 0)
		cr_assert_eq(write(p[1], data, len), (ssize_t)len);
	if (wfd != NULL)
		*wfd = p[1];
	else
		close(p[1]);
	return p[0];
}

#endif
