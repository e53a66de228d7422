/*
 * fuzz_pwauth — libFuzzer harness for the pwauth input on stdin
 * (src/helper/compat/pwauth_input.c): pwauth_input_read on a memfd holding
 * the bytes, and pwauth_input_parse on them.  Checks, on top of
 * ASan/UBSan, against a model written here from the interface: the reader
 * consumes exactly up to the second '\n' (or everything, at most
 * PWAUTH_INPUT_MAX bytes); success exactly for a login line of
 * 1..CLI_USER_MAX bytes and a password line of at most SECRET_MAX bytes,
 * neither holding a NUL; a too long line is -EMSGSIZE, never a shorter
 * login and a password; a wiped struct on failure.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I$BUILD -Isrc -Isrc/helper \
 *       tests/fuzz/fuzz_pwauth.c src/helper/compat/pwauth_input.c \
 *       src/helper/compat/login.c -o fuzz_pwauth
 *   ./fuzz_pwauth -max_total_time=20 NEW_DIR tests/fuzz/corpus/pwauth
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/pwauth_input.h"
#include "login_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* How many bytes the reader takes: through the second '\n', at most
 * PWAUTH_INPUT_MAX. */
static size_t
taken(const uint8_t *d, size_t size)
{
	size_t i, lines = 0;

	for (i = 0; i < size && i < PWAUTH_INPUT_MAX && lines < 2; i++)
		lines += d[i] == '\n';
	return i;
}

/* The model of a parse of d[0..n): the expected return and the fields. */
static int
model(const uint8_t *d, size_t n, size_t *ulen, size_t *plen)
{
	size_t i, nl1 = n, nl2 = n;

	for (i = 0; i < n; i++)
		if (d[i] == '\n') {
			if (nl1 == n)
				nl1 = i;
			else if (nl2 == n)
				nl2 = i;
		}
	if (n > PWAUTH_INPUT_MAX || (nl1 == n && n > CLI_USER_MAX) || (nl1 < n && nl1 > CLI_USER_MAX))
		return -EMSGSIZE;
	if (nl1 == n)
		return -EINVAL;
	if (nl2 < n && nl2 + 1 != n)
		return -EINVAL;
	*ulen = nl1;
	*plen = nl2 - nl1 - 1;
	if (*plen > SECRET_MAX)
		return -EMSGSIZE;
	if (nl2 == n && *plen == 0)
		return -EINVAL;
	if (*ulen == 0 || memchr(d, 0, *ulen) != NULL || memchr(d + nl1 + 1, 0, *plen) != NULL)
		return -EINVAL;
	return 0;
}

static void
check(const uint8_t *d, size_t n, int r, const struct compat_login *in)
{
	size_t ulen = 0, plen = 0;
	int want = model(d, n, &ulen, &plen);

	login_check(r, want, in, d, ulen, ulen + 1, plen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compat_login in;
	int fd, r;

	memset(&in, 0x5a, sizeof(in));
	check(data, size, pwauth_input_parse(data, size, &in), &in);
	fd = memfd_with(data, size);
	memset(&in, 0x5a, sizeof(in));
	r = pwauth_input_read(fd, 1000, -1, &in);
	if (lseek(fd, 0, SEEK_CUR) != (off_t)taken(data, size))
		abort();
	check(data, taken(data, size), r, &in);
	close(fd);
	return 0;
}
