#include "config.h"
/* Unit tests of src/helper/cli.c: the command line. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ERRLEN 512

/* cli_parse over a NULL-terminated list. */
static int
parse_list(struct cli *c, char *err, size_t errlen, const char **list)
{
	int argc = 0;

	while (list[argc] != NULL)
		argc++;
	return cli_parse(argc, (char *const *)list, c, err, errlen);
}
#define ARGV(...) ((const char *[]){"pipefork-as", __VA_ARGS__, NULL})
#define PARSE(c, err, ...) parse_list((c), (err), ERRLEN, ARGV(__VA_ARGS__))

/* A string of n copies of ch (caller frees). */
static char *
repeat(char ch, size_t n)
{
	char *s = malloc(n + 1);

	cr_assert_not_null(s);
	memset(s, ch, n);
	s[n] = '\0';
	return s;
}

/* Assert that the arguments fail with -EINVAL, an error and an empty *c. */
#define REJECT(...)                                                          \
	do {                                                                 \
		struct cli c_;                                               \
		char e_[ERRLEN];                                             \
		cr_assert_eq(PARSE(&c_, e_, __VA_ARGS__), -EINVAL);          \
		cr_assert_neq(e_[0], '\0');                                  \
		cr_assert_null(c_.op);                                       \
		cr_assert_null(c_.user);                                     \
		cr_assert_eq(c_.timeout, -1);                                \
	} while (0)

Test(cli, op_alone)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "id"), 0);
	cr_assert_eq(c.mode, CLI_RUN);
	cr_assert_str_eq(c.op, "id");
	cr_assert_eq(c.nargs, 0);
	cr_assert_null(c.user);
	cr_assert_null(c.service);
	cr_assert_eq(c.timeout, -1);
	cr_assert_eq(c.no_auth, 0);
	cr_assert_eq(c.append, 0);
	cr_assert_eq(c.raw, 0);
	cr_assert_str_eq(err, "");
}

Test(cli, every_option_with_separate_values)
{
	struct cli c;
	char err[ERRLEN];
	const char **argv = ARGV("--user", "alice", "--service", "pipefork-as", "--timeout", "30",
				 "--no-auth", "--append", "--raw", "file-write", "/tmp/x");

	cr_assert_eq(parse_list(&c, err, ERRLEN, argv), 0);
	cr_assert_str_eq(c.user, "alice");
	cr_assert_str_eq(c.service, "pipefork-as");
	cr_assert_eq(c.timeout, 30);
	cr_assert_eq(c.no_auth, 1);
	cr_assert_eq(c.append, 1);
	cr_assert_eq(c.raw, 1);
	cr_assert_str_eq(c.op, "file-write");
	cr_assert_eq(c.nargs, 1);
	cr_assert_str_eq(c.args[0], "/tmp/x");
}

Test(cli, every_option_with_equals)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "--user=a=b", "--service=svc.1_X-y", "--timeout=86400", "id"), 0);
	cr_assert_str_eq(c.user, "a=b");
	cr_assert_str_eq(c.service, "svc.1_X-y");
	cr_assert_eq(c.timeout, 86400);
	cr_assert_str_eq(c.op, "id");
}

Test(cli, separate_value_is_taken_as_is)
{
	struct cli c;
	char err[ERRLEN];

	/* GNU getopt_long: a required value is the next argument, whatever it is. */
	cr_assert_eq(PARSE(&c, err, "--user", "--no-auth", "id"), 0);
	cr_assert_str_eq(c.user, "--no-auth");
	cr_assert_eq(c.no_auth, 0);
}

Test(cli, op_args_keep_leading_dashes)
{
	struct cli c;
	char err[ERRLEN];
	const char **argv = ARGV("--no-auth", "exec", "--user", "x", "-", "--", "-v", "--help");

	cr_assert_eq(parse_list(&c, err, ERRLEN, argv), 0); /* c.args points into argv */
	cr_assert_null(c.user);
	cr_assert_str_eq(c.op, "exec");
	cr_assert_eq(c.nargs, 6);
	cr_assert_str_eq(c.args[0], "--user");
	cr_assert_str_eq(c.args[1], "x");
	cr_assert_str_eq(c.args[2], "-");
	cr_assert_str_eq(c.args[3], "--");
	cr_assert_str_eq(c.args[4], "-v");
	cr_assert_str_eq(c.args[5], "--help");
	cr_assert_null(c.args[6]);
}

Test(cli, double_dash_ends_options)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "--user", "u", "--", "id", "--timeout", "5"), 0);
	cr_assert_str_eq(c.user, "u");
	cr_assert_eq(c.timeout, -1);
	cr_assert_str_eq(c.op, "id");
	cr_assert_eq(c.nargs, 2);
	cr_assert_eq(PARSE(&c, err, "--", "id"), 0);
	cr_assert_str_eq(c.op, "id");
	REJECT("--");
	REJECT("--user", "u", "--");
	REJECT("--", "--user", "u", "id"); /* "--user" is then the op */
	REJECT("--", "-x");
}

Test(cli, version_and_help_alone)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "--version"), 0);
	cr_assert_eq(c.mode, CLI_VERSION);
	cr_assert_null(c.op);
	cr_assert_eq(PARSE(&c, err, "--help"), 0);
	cr_assert_eq(c.mode, CLI_HELP);
	cr_assert_null(c.op);
	cr_assert_eq(PARSE(&c, err, "id", "--version"), 0); /* the op's argument */
	cr_assert_eq(c.mode, CLI_RUN);
	REJECT("--version", "id");
	REJECT("--help", "id");
	REJECT("--user", "u", "--version");
	REJECT("--help", "--help");
	REJECT("--version", "--help");
	REJECT("--version=1");
	REJECT("--", "--version");
}

Test(cli, unknown_options_and_forms)
{
	REJECT("--frobnicate", "id");
	REJECT("-u", "alice", "id");
	REJECT("-", "id");
	REJECT("--us", "alice", "id"); /* no abbreviations */
	REJECT("--USER", "alice", "id");
	REJECT("--user-", "alice", "id");
	REJECT("--no-auth=1", "id");
	REJECT("--append=", "id");
	REJECT("--=x", "id");
	REJECT("---user", "alice", "id");
}

Test(cli, missing_values)
{
	REJECT("--user");
	REJECT("--service");
	REJECT("--timeout");
	REJECT("--user=", "id");
	REJECT("--service=", "id");
	REJECT("--timeout=", "id");
}

Test(cli, repeated_options)
{
	REJECT("--user", "a", "--user", "b", "id");
	REJECT("--user=a", "--user=a", "id");
	REJECT("--service", "a", "--service=b", "id");
	REJECT("--timeout", "5", "--timeout=6", "id");
	REJECT("--no-auth", "--no-auth", "id");
	REJECT("--append", "--append", "id");
	REJECT("--raw", "--raw", "id");
	REJECT("--raw=1", "id");
}

Test(cli, timeout_accepted)
{
	static const char *ok[] = {"1", "9", "10", "300", "86399", "86400"};
	static const long want[] = {1, 9, 10, 300, 86399, 86400};
	struct cli c;
	char err[ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert_eq(PARSE(&c, err, "--timeout", ok[i], "id"), 0, "%s: %s", ok[i], err);
		cr_assert_eq(c.timeout, want[i]);
	}
}

Test(cli, timeout_rejected)
{
	static const char *bad[] = {"",     "0",   "-1",  "+5",     "1e3", " 5",
				    "5 ",   "05",  "00",  "0x10",   "5s",  "86401",
				    "1.5",  "-0",  "\t5", "100000", "99999999999999999999",
				    "184467440737095516160"};
	char joined[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		REJECT("--timeout", bad[i], "id");
		snprintf(joined, sizeof(joined), "--timeout=%s", bad[i]);
		REJECT(joined, "id");
	}
}

/* Each of ok[] is accepted as the value of opt (as the op when opt is
 * NULL) and kept as it is; each of bad[] is rejected. */
static void
check_values(const char *opt, const char *const ok[], const char *const bad[])
{
	struct cli c;
	char err[ERRLEN];
	const char *got;

	for (; *ok != NULL; ok++) {
		cr_assert_eq(opt ? PARSE(&c, err, opt, *ok, "id") : PARSE(&c, err, *ok), 0, "%s", err);
		got = opt == NULL ? c.op : strcmp(opt, "--user") == 0 ? c.user : c.service;
		cr_assert_str_eq(got, *ok);
	}
	for (; *bad != NULL; bad++) {
		if (opt != NULL)
			REJECT(opt, *bad, "id");
		else
			REJECT(*bad);
	}
}

Test(cli, service_names)
{
	char *max = repeat('s', CLI_SERVICE_MAX), *over = repeat('s', CLI_SERVICE_MAX + 1);
	const char *ok[] = {"a", "A.b_c-9", "-x", max, NULL};
	const char *bad[] = {over, "", ".hidden", ".", "..", "a/b", "../../etc/shadow", "a b",
			     "caf\xc3\xa9", "a\n", NULL};

	check_values("--service", ok, bad);
	free(max);
	free(over);
}

Test(cli, user_names)
{
	char *max = repeat('u', CLI_USER_MAX), *over = repeat('u', CLI_USER_MAX + 1);
	/* "#-1" passes here: the library refuses it. */
	const char *ok[] = {"alice", "jos\xc3\xa9", "#-1", max, NULL};
	const char *bad[] = {over, "", "a\nb", "a\tb", "a\x1b[0m", "\x7f", "a\rroot", NULL};

	check_values("--user", ok, bad);
	free(max);
	free(over);
}

Test(cli, op_names)
{
	char *max = repeat('o', CLI_OP_MAX), *over = repeat('o', CLI_OP_MAX + 1);
	const char *ok[] = {"file_read-2", "0", "a-", max, NULL};
	const char *bad[] = {over, "", "ID", "a.b", "a b", "a/b", "caf\xc3\xa9", NULL};

	check_values(NULL, ok, bad);
	REJECT("--", "-op");
	free(max);
	free(over);
}

Test(cli, no_arguments)
{
	struct cli c;
	char err[ERRLEN];
	char *argv[] = {NULL};

	cr_assert_eq(cli_parse(0, argv, &c, err, sizeof(err)), -EINVAL);
	cr_assert_neq(err[0], '\0');
	cr_assert_eq(cli_parse(-1, argv, &c, err, sizeof(err)), -EINVAL);
	cr_assert_eq(cli_parse(1, NULL, &c, err, sizeof(err)), -EINVAL);
	cr_assert_eq(parse_list(&c, NULL, 0, ARGV(NULL)), -EINVAL);
	REJECT(NULL); /* argv[0] only: no operation */
}

Test(cli, failure_resets_the_result)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "--user", "alice", "--no-auth", "--timeout", "0", "id"), -EINVAL);
	cr_assert_null(c.user);
	cr_assert_eq(c.no_auth, 0);
	cr_assert_null(c.op);
	cr_assert_eq(c.nargs, 0);
}

/* --raw promised stdout to the file's bytes: a failed parse keeps only
 * that, wherever --raw stands among the options, so the answer goes to
 * stderr; a "--raw" that is a value, an operation's argument or after
 * "--" is not the option. */
Test(cli, failure_keeps_only_raw)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "--raw", "--user", "alice", "--timeout", "0", "read", "x"), -EINVAL);
	cr_assert_eq(c.raw, 1);
	cr_assert_null(c.user);
	cr_assert_null(c.op);
	cr_assert_eq(PARSE(&c, err, "--timeout", "0", "--user", "alice", "--raw", "read", "x"), -EINVAL);
	cr_assert_eq(c.raw, 1, "after the failing option too");
	cr_assert_eq(PARSE(&c, err, "--timeout=0", "--raw", "read", "x"), -EINVAL);
	cr_assert_eq(c.raw, 1);
	cr_assert_eq(PARSE(&c, err, "--raw", "--raw", "read", "x"), -EINVAL);
	cr_assert_eq(c.raw, 1, "repeated");
	cr_assert_eq(PARSE(&c, err, "--service", "--raw", "--timeout", "0", "id"), -EINVAL);
	cr_assert_eq(c.raw, 0, "a value, not the option");
	cr_assert_eq(PARSE(&c, err, "--raw=1", "read", "x"), -EINVAL);
	cr_assert_eq(c.raw, 0, "not a bare --raw");
	cr_assert_eq(PARSE(&c, err, "--timeout", "0", "--", "--raw"), -EINVAL);
	cr_assert_eq(c.raw, 0, "after --");
	cr_assert_eq(PARSE(&c, err, "--bogus", "exec", "--raw"), -EINVAL);
	cr_assert_eq(c.raw, 0, "an operation's argument");
}

/* ---- bounds on the operation's arguments ------------------------------ */

/* argv = {"pipefork-as", "id", arg x n}; arg is shared. */
static int
parse_n_args(int n, const char *arg, struct cli *c, char *err)
{
	const char **argv = calloc((size_t)n + 3, sizeof(*argv));
	int i, r;

	cr_assert_not_null(argv);
	argv[0] = "pipefork-as";
	argv[1] = "id";
	for (i = 0; i < n; i++)
		argv[i + 2] = arg;
	r = cli_parse(n + 2, (char *const *)argv, c, err, ERRLEN);
	free(argv);
	return r;
}

Test(cli, argument_count_bounded)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(parse_n_args(CLI_ARGS_MAX, "a", &c, err), 0);
	cr_assert_eq(c.nargs, CLI_ARGS_MAX);
	cr_assert_eq(parse_n_args(CLI_ARGS_MAX + 1, "a", &c, err), -EINVAL);
	cr_assert_eq(parse_n_args(20000, "a", &c, err), -EINVAL);
	cr_assert_not_null(strstr(err, "too many"));
	cr_assert_null(c.op);
}

Test(cli, argument_length_bounded)
{
	struct cli c;
	char err[ERRLEN];
	char *max = repeat('a', CLI_ARG_LEN_MAX), *over = repeat('a', CLI_ARG_LEN_MAX + 1);

	cr_assert_eq(parse_n_args(1, max, &c, err), 0);
	cr_assert_eq(parse_n_args(1, over, &c, err), -EINVAL);
	cr_assert_not_null(strstr(err, "too long"));
	/* 8 x 128 KiB is exactly the 1 MiB total; one byte more is not. */
	cr_assert_eq(CLI_ARGS_TOTAL_MAX, 8 * CLI_ARG_LEN_MAX);
	cr_assert_eq(parse_n_args(8, max, &c, err), 0);
	cr_assert_eq(parse_n_args(9, max, &c, err), -EINVAL);
	cr_assert_not_null(strstr(err, "in total"));
	free(max);
	free(over);
}

/* ---- the error message ------------------------------------------------ */

Test(cli, error_echo_bounded_and_escaped)
{
	struct cli c;
	char err[ERRLEN], want[ERRLEN];
	char *user = repeat('A', 5000);
	size_t i;

	memcpy(user, "\n\x1b[31m", 6); /* then 4994 'A': 58 of them fit in 64 bytes */
	user[100] = '\n';
	cr_assert_eq(PARSE(&c, err, "--user", user, "id"), -EINVAL);
	snprintf(want, sizeof(want), "invalid user name '\\x0a\\x1b[31m%.58s'...", user + 6);
	cr_assert_str_eq(err, want);
	for (i = 0; err[i] != '\0'; i++)
		cr_assert(err[i] >= 0x20 && err[i] < 0x7f, "byte %zu is 0x%02x", i, err[i]);
	free(user);
}

Test(cli, error_escapes_quote_backslash_and_high_bytes)
{
	struct cli c;
	char err[ERRLEN];

	cr_assert_eq(PARSE(&c, err, "--a'b\\c\xff", "id"), -EINVAL);
	cr_assert_str_eq(err, "unknown option '--a\\x27b\\x5cc\\xff'");
	cr_assert_eq(PARSE(&c, err, "--timeout", "1e3", "id"), -EINVAL);
	cr_assert_str_eq(err, "invalid timeout (seconds, 1 to 86400) '1e3'");
}

Test(cli, error_fits_a_small_buffer)
{
	struct cli c;
	char err[8];
	char *user = repeat('A', 300);

	memset(err, 'X', sizeof(err));
	cr_assert_eq(parse_list(&c, err, sizeof(err), ARGV("--user", user, "id")), -EINVAL);
	cr_assert_eq(strnlen(err, sizeof(err)), sizeof(err) - 1);
	cr_assert_eq(parse_list(&c, err, 1, ARGV("--user", user, "id")), -EINVAL);
	cr_assert_eq(err[0], '\0');
	free(user);
}
