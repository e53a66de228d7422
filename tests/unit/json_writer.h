/*
 * json_writer.h — shared by the unit tests of src/helper/json.c: one
 * writer, jw, over a memfd, and what it wrote.
 */
#ifndef PFA_TEST_JSON_WRITER_H
#define PFA_TEST_JSON_WRITER_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "answer.h"
#include "capture.h"

static struct json jw; /* 16 KiB: kept off the stack */

/* jw, writing to a fresh memfd (returned). */
static inline int
open_writer(void)
{
	int fd = capture_fd();

	json_init(&jw, fd);
	return fd;
}

/* Flush jw, which must succeed: what fd holds (caller frees). */
static inline char *
written(int fd, size_t *len)
{
	cr_assert_eq(json_flush(&jw), 0);
	return capture_read(fd, len);
}

/* What jw wrote to fd must be want; fd is closed. */
static inline void
expect_written(int fd, const char *want)
{
	char *got = written(fd, NULL);

	cr_assert_str_eq(got, want);
	free(got);
	close(fd);
}

/* A small PRNG for test data: the next value of the state *s. */
static inline uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
