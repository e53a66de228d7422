/*
 * fuzz_checkpassword — libFuzzer harness for the checkpassword input on
 * fd 3 (src/helper/compat/cpw_input.c): cpw_input_parse on the bytes, and
 * cpw_input_read on a memfd holding them.  Checks, on top of ASan/UBSan,
 * against a model written here from the interface: success exactly for
 * at most 512 bytes holding three NULs with a login of 1..CLI_USER_MAX
 * bytes; the login and password are exactly the first two strings;
 * -EMSGSIZE exactly for more than 512 bytes; a wiped struct on failure;
 * the reader and the parser always agree.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I$BUILD -Isrc -Isrc/helper \
 *       tests/fuzz/fuzz_checkpassword.c src/helper/compat/cpw_input.c \
 *       src/helper/compat/login.c -o fuzz_checkpassword
 *   ./fuzz_checkpassword -max_total_time=20 NEW_DIR tests/fuzz/corpus/checkpassword
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/cpw_input.h"
#include "login_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model: the expected return, and the strings' offsets and lengths. */
static int
model(const uint8_t *d, size_t size, size_t *ulen, size_t *poff, size_t *plen)
{
	size_t nul[3], n = 0, i;

	if (size > CPW_INPUT_MAX)
		return -EMSGSIZE;
	for (i = 0; i < size && n < 3; i++)
		if (d[i] == 0)
			nul[n++] = i;
	if (n < 3 || nul[0] == 0 || nul[0] > CLI_USER_MAX)
		return -EINVAL;
	*ulen = nul[0];
	*poff = nul[0] + 1;
	*plen = nul[1] - nul[0] - 1;
	return 0;
}

static void
check(const uint8_t *d, size_t size, int r, const struct compat_login *in)
{
	size_t ulen = 0, poff = 0, plen = 0;
	int want = model(d, size, &ulen, &poff, &plen);

	login_check(r, want, in, d, ulen, poff, plen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compat_login in;
	int fd, r;

	memset(&in, 0x5a, sizeof(in));
	check(data, size, cpw_input_parse(data, size, &in), &in);
	fd = memfd_with(data, size);
	memset(&in, 0x5a, sizeof(in));
	r = cpw_input_read(fd, 1000, -1, &in);
	check(data, size, r, &in);
	close(fd);
	return 0;
}
