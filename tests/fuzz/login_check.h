/* login_check.h — what the harnesses of the compat front ends' inputs
 * (fuzz_checkpassword.c, fuzz_pwauth.c) share. */
#ifndef PFA_FUZZ_LOGIN_CHECK_H
#define PFA_FUZZ_LOGIN_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compat/login.h"

/* 1 when every byte of *in is zero. */
static inline int
login_wiped(const struct compat_login *in)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i;

	for (i = 0; i < sizeof(*in); i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Abort unless the code under test returned what the model wants (r ==
 * want) and left *in as it should: wiped on failure; on success the login
 * d[0..ulen) and the password d[poff..poff+plen), each NUL-terminated. */
static inline void
login_check(int r, int want, const struct compat_login *in, const uint8_t *d, size_t ulen,
	    size_t poff, size_t plen)
{
	if (r != want)
		abort();
	if (r < 0) {
		if (!login_wiped(in))
			abort();
		return;
	}
	if (strlen(in->user) != ulen || memcmp(in->user, d, ulen) != 0)
		abort();
	if (in->password.len != plen || in->password.buf[plen] != '\0' ||
	    memcmp(in->password.buf, d + poff, plen) != 0)
		abort();
}

/* A memfd holding data[0..size), positioned at its start (aborts on
 * failure: the harness, not the code under test, broke). */
static inline int
memfd_with(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_compat", MFD_CLOEXEC);

	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

#endif
