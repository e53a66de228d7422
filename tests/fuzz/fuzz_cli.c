/*
 * fuzz_cli — libFuzzer harness for cli_parse (src/helper/cli.c).
 * The input is split on NUL into argv[1..] (argv[0] is fixed).  Checks, on
 * top of ASan/UBSan: a result within the bounds of cli.h, and an error
 * message that is one printable line echoing at most 64 bytes of input.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I$BUILD -Isrc -Isrc/helper \
 *       tests/fuzz/fuzz_cli.c src/helper/cli.c -o fuzz_cli
 *   ./fuzz_cli -max_total_time=20 NEW_DIR tests/fuzz/corpus/cli
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define FUZZ_ARGS_MAX 8192 /* more than CLI_ARGS_MAX, to reach that check */

static void
check_ok(const struct cli *c, int argc, char *const argv[])
{
	int i;

	if (c->mode != CLI_RUN) {
		if (argc != 2 || c->op != NULL)
			abort();
		return;
	}
	if (c->op == NULL || strlen(c->op) > CLI_OP_MAX || c->nargs < 0 || c->nargs > CLI_ARGS_MAX)
		abort();
	if (c->args + c->nargs != argv + argc)
		abort();
	if (c->user != NULL && (strlen(c->user) == 0 || strlen(c->user) > CLI_USER_MAX))
		abort();
	if (c->service != NULL && (strlen(c->service) == 0 || strlen(c->service) > CLI_SERVICE_MAX))
		abort();
	if (c->timeout != -1 && (c->timeout < 1 || c->timeout > CLI_TIMEOUT_MAX))
		abort();
	for (i = 0; c->op[i]; i++)
		if (!((c->op[i] >= 'a' && c->op[i] <= 'z') || (c->op[i] >= '0' && c->op[i] <= '9') ||
		      c->op[i] == '_' || c->op[i] == '-'))
			abort();
}

static void
check_err(const char *err, size_t errlen)
{
	size_t i, n = strnlen(err, errlen);

	/* Fixed text (< 64) + 64 bytes escaped 4 to 1 + quotes and "...". */
	if (n == errlen || n == 0 || n > 64 + 64 * 4 + 8)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)err[i] < 0x20 || (unsigned char)err[i] >= 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char **argv = NULL, *buf = malloc(size + 1), err[512];
	struct cli c;
	size_t i;
	int argc = 1, r;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if ((argv = calloc(FUZZ_ARGS_MAX + 2, sizeof(*argv))) == NULL)
		goto out;
	argv[0] = (char *)"pipefork-as";
	argv[argc++] = buf;
	for (i = 0; i < size && argc <= FUZZ_ARGS_MAX; i++)
		if (buf[i] == '\0')
			argv[argc++] = buf + i + 1;
	if (size == 0)
		argc = 1;
	r = cli_parse(argc, argv, &c, err, sizeof(err));
	if (r == 0)
		check_ok(&c, argc, argv);
	else if (r == -EINVAL)
		check_err(err, sizeof(err));
	else
		abort();
out:
	free(argv);
	free(buf);
	return 0;
}
