/*
 * fuzz_secret — libFuzzer harness for secret_read (src/helper/secret.c).
 * The input goes into a memfd; checks, on top of ASan/UBSan: a secret that
 * holds no terminator and fits SECRET_MAX, exactly the secret and its
 * terminator consumed (the rest is the op's input), a wiped struct on
 * failure, and -EMSGSIZE exactly when the line is too long.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I$BUILD -Isrc -Isrc/helper \
 *       tests/fuzz/fuzz_secret.c src/helper/secret.c -o fuzz_secret
 *   ./fuzz_secret -max_total_time=20 NEW_DIR tests/fuzz/corpus/secret
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the line: bytes before the first '\n' or '\0'. */
static size_t
line_len(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (data[i] == '\n' || data[i] == '\0')
			break;
	return i;
}

static void
check(const uint8_t *data, size_t size, int r, const struct secret *s, off_t consumed)
{
	size_t n = line_len(data, size), i;

	if (size == 0) {
		if (r != -ENODATA)
			abort();
	} else if (n > SECRET_MAX) {
		if (r != -EMSGSIZE || consumed != SECRET_MAX + 1)
			abort();
	} else {
		if (r != 0 || s->len != n || s->buf[n] != '\0' || memcmp(s->buf, data, n) != 0)
			abort();
		if (consumed != (off_t)(n < size ? n + 1 : n))
			abort();
	}
	if (r < 0)
		for (i = 0; i < sizeof(*s); i++)
			if (((const unsigned char *)s)[i] != 0)
				abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secret s;
	off_t consumed;
	int fd, r;

	if ((fd = memfd_create("fuzz_secret", MFD_CLOEXEC)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	memset(&s, 0x5a, sizeof(s));
	r = secret_read(fd, &s);
	consumed = lseek(fd, 0, SEEK_CUR);
	check(data, size, r, &s, consumed);
	close(fd);
	return 0;
}
