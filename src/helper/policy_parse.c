/*
 * policy_parse.c — the text of pipefork-as.conf, and UID_MIN in login.defs.
 *
 * MUST: never read past len and never write past a buffer: the text is at
 * most POLICY_FILE_MAX bytes, a line at most POLICY_LINE_MAX bytes (its "\n"
 * or "\r\n" not counted), and a value that does not fit its field is an
 * error, never truncated.  MUST: a NUL byte, an unknown or duplicate key, an
 * empty value, trailing garbage, a number with a sign, a leading zero, out
 * of range or overflowing is an error: nothing is guessed.  MUST: the
 * caller's struct policy is written only when the whole text is valid.
 * MUST: a message quotes at most CONF_QUOTE_MAX bytes of the text, escaped, so it
 * stays one short printable line whatever the file holds.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "conffile.h"
#include "policy.h"
#include "policy_int.h"

#define TIMEOUT_LAST 86400
#define OUTPUT_LAST (1024UL * 1024 * 1024)
#define OP_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_-"
#define GROUP_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
#define STR_(x) #x
#define STR(x) STR_(x) /* a limit spelled out in a message */

enum key {
	K_CALLER_GROUP,
	K_MIN_UID,
	K_ALLOW_ROOT,
	K_OPS,
	K_DEFAULT_TIMEOUT,
	K_MAX_TIMEOUT,
	K_MAX_OUTPUT,
	K_CAPS_ALLOWED,
	K_CAPABILITY_CONF,
	K_GRANT, /* the one key that may repeat */
	K_COUNT
};

/* A setter stores a valid value in p, or returns -EINVAL with *why set. */
typedef int (*setter)(struct policy *p, const char *v, const char **why);

struct parse {
	struct policy p;        /* the result; copied out only on success */
	unsigned seen[K_COUNT]; /* the line that set each key, 0 when none */
	unsigned lineno;
	char *err;
	size_t errlen;
};

/* "line N: what" or "line N: what "quoted"" (q NULL for no quote); -EINVAL. */
static int
line_err(const struct parse *ps, const char *what, const char *q, size_t qn)
{
	char qbuf[CONF_QUOTE_BUF];

	if (q == NULL) {
		conf_err(ps->err, ps->errlen, "line %u: %s", ps->lineno, what);
		return -EINVAL;
	}
	conf_quote(qbuf, q, qn);
	conf_err(ps->err, ps->errlen, "line %u: %s \"%s\"", ps->lineno, what, qbuf);
	return -EINVAL;
}

/* s[0..n) as a plain decimal (digits only: no sign, space or leading zero);
 * 0, -EINVAL when it is not one, -ERANGE when it is above max. */
static int
decimal(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* A NUL-terminated decimal in lo..hi. */
static int
number(const char *v, uint64_t lo, uint64_t hi, uint64_t *out, const char **why)
{
	int r = decimal(v, strlen(v), hi, out);

	if (r == 0 && *out < lo)
		r = -ERANGE;
	if (r == -ERANGE)
		*why = "out of range:";
	else if (r < 0)
		*why = "not a plain decimal number:";
	return r < 0 ? -EINVAL : 0;
}

int
policy_op_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > POLICY_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(OP_CHARS, s[i]) == NULL)
			return 0;
	return 1;
}

static int
set_caller_group(struct policy *p, const char *v, const char **why)
{
	size_t n = strlen(v);

	if (n > POLICY_NAME_MAX)
		*why = "group name longer than " STR(POLICY_NAME_MAX) " bytes:";
	else if (v[0] == '-')
		*why = "group name starts with '-':";
	else if (strspn(v, GROUP_CHARS) != n)
		*why = "bad character in group name:";
	else {
		memcpy(p->caller_group, v, n + 1);
		return 0;
	}
	return -EINVAL;
}

static int
set_min_uid(struct policy *p, const char *v, const char **why)
{
	uint64_t x;
	int r = number(v, 1, POLICY_UID_LAST, &x, why);

	if (r == 0)
		p->min_uid = (uid_t)x;
	return r;
}

static int
set_allow_root(struct policy *p, const char *v, const char **why)
{
	if (strcmp(v, "yes") == 0)
		p->allow_root = 1;
	else if (strcmp(v, "no") == 0)
		p->allow_root = 0;
	else {
		*why = "not yes or no:";
		return -EINVAL;
	}
	return 0;
}

/* Append op v[0..n) to p's list; -EINVAL with *why when it cannot be. */
static int
add_op(struct policy *p, const char *v, size_t n, const char **why)
{
	size_t i;

	if (n == 0)
		*why = "empty op name in list:";
	else if (!policy_op_name(v, n))
		*why = n > POLICY_NAME_MAX ? "op name longer than " STR(POLICY_NAME_MAX) " bytes:"
					   : "bad character in op list:";
	else if (n == 3 && memcmp(v, "all", 3) == 0)
		*why = "\"all\" must stand alone:";
	else if (p->nops == POLICY_OPS_MAX)
		*why = "more than " STR(POLICY_OPS_MAX) " ops:";
	else {
		for (i = 0; i < p->nops; i++)
			if (strlen(p->ops[i]) == n && memcmp(p->ops[i], v, n) == 0) {
				*why = "op listed twice:";
				return -EINVAL;
			}
		memcpy(p->ops[p->nops], v, n);
		p->ops[p->nops++][n] = '\0';
		return 0;
	}
	return -EINVAL;
}

const char *
policy_list_next(const char *v)
{
	v += strspn(v, " \t");
	if (*v == '\0')
		return NULL;
	if (*v == ',')
		v += 1 + strspn(v + 1, " \t");
	return v;
}

/* "all", or names separated by one comma and/or spaces and tabs. */
static int
set_ops(struct policy *p, const char *v, const char **why)
{
	int r;

	p->nops = 0;
	p->ops_all = strcmp(v, "all") == 0;
	while (!p->ops_all) {
		size_t n = strspn(v, OP_CHARS);

		if (n == 0 && *v != '\0' && *v != ',')
			n = strcspn(v, " \t,"); /* reported as a bad character */
		if ((r = add_op(p, v, n, why)) < 0)
			return r;
		if ((v = policy_list_next(v + n)) == NULL)
			break;
	}
	return 0;
}

static int
set_timeout(long *field, const char *v, const char **why)
{
	uint64_t x;
	int r = number(v, 1, TIMEOUT_LAST, &x, why);

	if (r == 0)
		*field = (long)x;
	return r;
}

static int
set_default_timeout(struct policy *p, const char *v, const char **why)
{
	return set_timeout(&p->default_timeout, v, why);
}

static int
set_max_timeout(struct policy *p, const char *v, const char **why)
{
	return set_timeout(&p->max_timeout, v, why);
}

/* Bytes, 1..1 GiB, with an optional K, M or G (1024-based). */
static int
set_max_output(struct policy *p, const char *v, const char **why)
{
	size_t n = strlen(v);
	uint64_t x, unit = 1;
	int r;

	if (n == 0) {
		*why = "empty size:";
		return -EINVAL;
	}
	switch (v[n - 1]) {
	case 'K': unit = 1UL << 10; break;
	case 'M': unit = 1UL << 20; break;
	case 'G': unit = 1UL << 30; break;
	default: break;
	}
	if (unit > 1)
		n--;
	r = decimal(v, n, OUTPUT_LAST, &x);
	if (r == 0 && (x < 1 || x > OUTPUT_LAST / unit))
		r = -ERANGE;
	if (r < 0) {
		*why = r == -ERANGE ? "out of range:" : "not a size (bytes, or with K, M or G):";
		return -EINVAL;
	}
	p->max_output = (size_t)(x * unit);
	return 0;
}

static const struct {
	const char *name;
	setter set;
} keys[K_COUNT] = {
	[K_CALLER_GROUP] = { "caller_group", set_caller_group },
	[K_MIN_UID] = { "min_uid", set_min_uid },
	[K_ALLOW_ROOT] = { "allow_root", set_allow_root },
	[K_OPS] = { "ops", set_ops },
	[K_DEFAULT_TIMEOUT] = { "default_timeout", set_default_timeout },
	[K_MAX_TIMEOUT] = { "max_timeout", set_max_timeout },
	[K_MAX_OUTPUT] = { "max_output", set_max_output },
	[K_CAPS_ALLOWED] = { "caps_allowed", policy_set_caps_allowed },
	[K_CAPABILITY_CONF] = { "capability_conf", policy_set_capability_conf },
	[K_GRANT] = { "grant", policy_set_grant },
};

/* Strip spaces and tabs on both sides, in place. */
static char *
trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	return s;
}

/* One line, NUL-terminated and writable: blank, a comment or "key = value". */
static int
parse_line(struct parse *ps, char *s)
{
	char *eq, *key, *val, what[96];
	const char *why = "";
	size_t k;

	s = trim(s);
	if (*s == '\0' || *s == '#')
		return 0;
	if ((eq = strchr(s, '=')) == NULL)
		return line_err(ps, "expected \"key = value\", got", s, strlen(s));
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (*key == '\0')
		return line_err(ps, "missing key before '='", NULL, 0);
	for (k = 0; k < K_COUNT && strcmp(key, keys[k].name) != 0; k++)
		continue;
	if (k == K_COUNT)
		return line_err(ps, "unknown key", key, strlen(key));
	if (ps->seen[k] != 0 && k != K_GRANT) {
		(void)snprintf(what, sizeof(what), "duplicate key %s (first on line %u)",
			       keys[k].name, ps->seen[k]);
		return line_err(ps, what, NULL, 0);
	}
	if (*val == '\0') {
		(void)snprintf(what, sizeof(what), "empty value for %s", keys[k].name);
		return line_err(ps, what, NULL, 0);
	}
	if (keys[k].set(&ps->p, val, &why) < 0) {
		(void)snprintf(what, sizeof(what), "%s: %s", keys[k].name, why);
		return line_err(ps, what, val, strlen(val));
	}
	if (k == K_GRANT)
		ps->p.grant_line[ps->p.ngrants - 1] = ps->lineno;
	ps->seen[k] = ps->lineno;
	return 0;
}

/* After the whole text: what one key alone cannot check. */
static int
check_whole(struct parse *ps)
{
	unsigned at = ps->seen[K_DEFAULT_TIMEOUT];

	if (ps->p.default_timeout <= ps->p.max_timeout)
		return policy_caps_check(&ps->p, ps->err, ps->errlen);
	if (ps->seen[K_MAX_TIMEOUT] > at)
		at = ps->seen[K_MAX_TIMEOUT];
	if (at != 0)
		ps->lineno = at;
	conf_err(ps->err, ps->errlen, "line %u: default_timeout %ld is above max_timeout %ld",
		 ps->lineno, ps->p.default_timeout, ps->p.max_timeout);
	return -EINVAL;
}

int
policy_parse(const char *text, size_t len, struct policy *p, char *err, size_t errlen)
{
	struct parse ps;
	char buf[POLICY_LINE_MAX + 1];
	const char *line;
	size_t off = 0, n;
	int r;

	conf_err(err, errlen, "%s", "");
	if (p == NULL || (text == NULL && len > 0))
		return -EINVAL;
	if (len > POLICY_FILE_MAX) {
		conf_err(err, errlen, "larger than %d bytes", POLICY_FILE_MAX);
		return -EINVAL;
	}
	memset(&ps, 0, sizeof(ps));
	ps.p = *p;
	ps.err = err;
	ps.errlen = errlen;
	while (conf_next_line(text, len, &off, &line, &n)) {
		ps.lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > POLICY_LINE_MAX)
			return line_err(&ps, "longer than " STR(POLICY_LINE_MAX) " bytes", NULL, 0);
		if (memchr(line, '\0', n) != NULL)
			return line_err(&ps, "NUL byte", NULL, 0);
		memcpy(buf, line, n);
		buf[n] = '\0';
		if ((r = parse_line(&ps, buf)) < 0)
			return r;
	}
	if ((r = check_whole(&ps)) < 0)
		return r;
	*p = ps.p;
	return 0;
}

int
policy_defs_uid_min(const char *text, size_t len, uid_t *out)
{
	const char *line, *val = NULL, *e;
	size_t off = 0, n, vn = 0;
	uint64_t x;
	int r;

	while (conf_next_line(text, len, &off, &line, &n)) {
		e = line + n;
		while (line < e && (*line == ' ' || *line == '\t'))
			line++;
		while (e > line && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (e - line < 8 || memcmp(line, "UID_MIN", 7) != 0 ||
		    (line[7] != ' ' && line[7] != '\t'))
			continue;
		for (val = line + 8; *val == ' ' || *val == '\t'; val++)
			continue;
		vn = (size_t)(e - val);
	}
	if (val == NULL)
		return -ENOENT;
	if ((r = decimal(val, vn, POLICY_UID_LAST, &x)) < 0)
		return r;
	if (x < 1)
		return -ERANGE;
	*out = (uid_t)x;
	return 0;
}
