/*
 * cli.c — step 2: the command line (cli.h has the syntax and the bounds).
 *
 * MUST: every field is checked against its bound and charset; anything out
 * of bounds is an error, never truncated or guessed at (no abbreviations of
 * option names, no repeated options, no sign or leading zero in a number).
 * MUST: the amount of work is bounded before any argument is measured: at
 * most one pass over the options (each may appear once) and a count of the
 * operation's arguments before their lengths are read.
 * MUST: err gets one line that holds at most CLI_ECHO_MAX bytes of caller
 * input, each byte outside printable ASCII (and ' and \) written as \xHH.
 * MUST: no I/O, no allocation, no privileged work; pointers in struct cli
 * point into argv.  On failure *c is reset to its empty state.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CLI_ECHO_MAX 64
#define STR_(x) #x
#define STR(x) STR_(x)

enum opt_id {
	OPT_USER, OPT_SERVICE, OPT_TIMEOUT, OPT_NO_AUTH, OPT_APPEND, OPT_RAW, OPT_VERSION, OPT_HELP
};

static const struct {
	const char *name;
	int has_value;
} options[] = {
	[OPT_USER] = {"--user", 1},       [OPT_SERVICE] = {"--service", 1},
	[OPT_TIMEOUT] = {"--timeout", 1}, [OPT_NO_AUTH] = {"--no-auth", 0},
	[OPT_APPEND] = {"--append", 0},   [OPT_RAW] = {"--raw", 0},
	[OPT_VERSION] = {"--version", 0}, [OPT_HELP] = {"--help", 0},
};
#define NOPTIONS ((int)(sizeof(options) / sizeof(options[0])))

/* Append byte b to out, escaped; returns the bytes written (1 or 4). */
static size_t
escape_byte(char *out, unsigned char b)
{
	static const char hex[] = "0123456789abcdef";

	if (b >= 0x20 && b < 0x7f && b != '\\' && b != '\'') {
		out[0] = (char)b;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[b >> 4];
	out[3] = hex[b & 15];
	return 4;
}

/* Put "what 'input'" in err (input bounded and escaped; NULL: none). */
static int
fail(char *err, size_t errlen, const char *what, const char *input)
{
	char esc[CLI_ECHO_MAX * 4 + 1];
	size_t i = 0, n = 0;

	if (err == NULL || errlen == 0)
		return -EINVAL;
	if (input == NULL) {
		snprintf(err, errlen, "%s", what);
		return -EINVAL;
	}
	for (; i < CLI_ECHO_MAX && input[i] != '\0'; i++)
		n += escape_byte(esc + n, (unsigned char)input[i]);
	esc[n] = '\0';
	snprintf(err, errlen, "%s '%s'%s", what, esc, input[i] != '\0' ? "..." : "");
	return -EINVAL;
}

/* 1 when s is 1..max bytes, each accepted by ok(). */
static int
valid_token(const char *s, size_t max, int (*ok)(unsigned char))
{
	size_t i, n = strnlen(s, max + 1);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
is_alnum(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
}

static int
service_char(unsigned char b)
{
	return is_alnum(b) || b == '.' || b == '_' || b == '-';
}

static int
op_char(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' || b == '-';
}

static int
user_char(unsigned char b)
{
	return b >= 0x20 && b != 0x7f;
}

/* Plain decimal 1..CLI_TIMEOUT_MAX: digits only, no leading zero. */
static int
parse_timeout(const char *s, long *out)
{
	long v = 0;

	if (s[0] < '1' || s[0] > '9')
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > CLI_TIMEOUT_MAX) /* also stops before any overflow */
			return -EINVAL;
	}
	*out = v;
	return 0;
}

static int
set_value(int id, const char *v, struct cli *c, char *err, size_t errlen)
{
	switch (id) {
	case OPT_USER:
		if (!valid_token(v, CLI_USER_MAX, user_char))
			return fail(err, errlen, "invalid user name", v);
		c->user = v;
		return 0;
	case OPT_SERVICE:
		if (v[0] == '.' || !valid_token(v, CLI_SERVICE_MAX, service_char))
			return fail(err, errlen, "invalid service name", v);
		c->service = v;
		return 0;
	case OPT_TIMEOUT:
		if (parse_timeout(v, &c->timeout) < 0)
			return fail(err, errlen, "invalid timeout (seconds, 1 to " STR(CLI_TIMEOUT_MAX) ")", v);
		return 0;
	case OPT_NO_AUTH:
		c->no_auth = 1;
		return 0;
	case OPT_APPEND:
		c->append = 1;
		return 0;
	case OPT_RAW:
		c->raw = 1;
		return 0;
	default: /* --version, --help */
		return fail(err, errlen, "option must be used alone", options[id].name);
	}
}

/* The option named by the first len bytes of arg, or -1. */
static int
find_option(const char *arg, size_t len)
{
	int id;

	for (id = 0; id < NOPTIONS; id++)
		if (strlen(options[id].name) == len && memcmp(options[id].name, arg, len) == 0)
			return id;
	return -1;
}

/* argv[*i] starts with '-': parse it (and its value, advancing *i). */
static int
parse_option(int argc, char *const argv[], int *i, struct cli *c, unsigned *seen, char *err,
	     size_t errlen)
{
	const char *arg = argv[*i], *eq = strchr(arg, '='), *value;
	int id = find_option(arg, eq != NULL ? (size_t)(eq - arg) : strlen(arg));

	if (id < 0)
		return fail(err, errlen, "unknown option", arg);
	if (*seen & (1u << id))
		return fail(err, errlen, "repeated option", options[id].name);
	*seen |= 1u << id;
	if (!options[id].has_value) {
		if (eq != NULL)
			return fail(err, errlen, "option takes no value", options[id].name);
		return set_value(id, NULL, c, err, errlen);
	}
	if (eq != NULL)
		value = eq + 1;
	else if (*i + 1 < argc && argv[*i + 1] != NULL)
		value = argv[++*i];
	else
		return fail(err, errlen, "option needs a value", options[id].name);
	return set_value(id, value, c, err, errlen);
}

/* The operation's arguments: count first, then each length and the sum. */
static int
check_args(char *const args[], int n, char *err, size_t errlen)
{
	size_t len, total = 0;
	int k;

	if (n > CLI_ARGS_MAX)
		return fail(err, errlen, "too many operation arguments (max " STR(CLI_ARGS_MAX) ")", NULL);
	for (k = 0; k < n; k++) {
		if (args[k] == NULL)
			return fail(err, errlen, "missing operation argument", NULL);
		len = strnlen(args[k], CLI_ARG_LEN_MAX + 1);
		if (len > CLI_ARG_LEN_MAX)
			return fail(err, errlen, "operation argument too long", NULL);
		total += len;
		if (total > CLI_ARGS_TOTAL_MAX)
			return fail(err, errlen, "operation arguments too long in total", NULL);
	}
	return 0;
}

static void
cli_init(struct cli *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = CLI_RUN;
	c->timeout = -1;
}

/* "--version" or "--help" as the only argument. */
static int
alone_mode(int argc, char *const argv[])
{
	if (argc != 2 || argv[1] == NULL)
		return -1;
	if (strcmp(argv[1], options[OPT_VERSION].name) == 0)
		return CLI_VERSION;
	if (strcmp(argv[1], options[OPT_HELP].name) == 0)
		return CLI_HELP;
	return -1;
}

/* Is a bare --raw among the options (walked as the parser does, a value
 * skipped where one is taken), whatever else is wrong with them? */
static int
raw_asked(int argc, char *const argv[])
{
	const char *eq;
	int i, id;

	for (i = 1; i < argc && argv[i] != NULL && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		eq = strchr(argv[i], '=');
		id = find_option(argv[i], eq != NULL ? (size_t)(eq - argv[i]) : strlen(argv[i]));
		if (id == OPT_RAW && eq == NULL)
			return 1;
		if (id >= 0 && options[id].has_value && eq == NULL)
			i++;
	}
	return 0;
}

int
cli_parse(int argc, char *const argv[], struct cli *c, char *err, size_t errlen)
{
	unsigned seen = 0;
	int i, mode, r;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (c == NULL)
		return -EINVAL;
	cli_init(c);
	if (argc < 1 || argv == NULL)
		return fail(err, errlen, "no arguments", NULL);
	if ((mode = alone_mode(argc, argv)) >= 0) {
		c->mode = (enum cli_mode)mode;
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (argv[i] == NULL || argv[i][0] != '-')
			break;
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if ((r = parse_option(argc, argv, &i, c, &seen, err, errlen)) < 0)
			goto out;
	}
	if (i >= argc || argv[i] == NULL) {
		r = fail(err, errlen, "missing operation", NULL);
		goto out;
	}
	if (argv[i][0] == '-' || !valid_token(argv[i], CLI_OP_MAX, op_char)) {
		r = fail(err, errlen, "invalid operation name", argv[i]);
		goto out;
	}
	if ((r = check_args(argv + i + 1, argc - i - 1, err, errlen)) < 0)
		goto out;
	c->op = argv[i];
	c->args = argv + i + 1;
	c->nargs = argc - i - 1;
out:
	if (r < 0) {
		cli_init(c);
		c->raw = raw_asked(argc, argv);
	}
	return r;
}
