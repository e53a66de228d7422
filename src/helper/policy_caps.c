/*
 * policy_caps.c — the capability keys of pipefork-as.conf (caps_allowed,
 * capability_conf, grant) and the capabilities a user's child gets.
 *
 * MUST: what a child gets lies within caps_allowed, whatever any file
 * says; its default is none, and with none no file is read at all.  MUST:
 * grant lines use capability.conf's syntax and matching (capconf.c) and
 * come before the capability_conf file in one first-match list.  MUST: a
 * grant in pipefork-as.conf outside caps_allowed is a config error (the
 * file contradicts itself); one in capability.conf, which pam_cap shares,
 * is left out and reported in `dropped`.  MUST: every error fails closed:
 * the answer is all zero.  MUST: no printing, no exit, no syslog.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/capability.h>

#include "capconf.h"
#include "conffile.h"
#include "policy.h"
#include "policy_int.h"

#define STR_(x) #x
#define STR(x) STR_(x) /* a limit spelled out in a message */
#define PATH_CHARS_FIRST 0x21 /* printable ASCII but space */
#define PATH_CHARS_LAST 0x7e

_Static_assert(sizeof(CAPCONF_PATH) <= POLICY_PATH_MAX + 1, "default path fits");

/* "all", "none", or capabilities separated by one comma and/or spaces
 * and tabs, as ops are. */
int
policy_set_caps_allowed(struct policy *p, const char *v, const char **why)
{
	uint64_t mask = 0;
	size_t n;
	int c;

	*why = "";
	if (strcmp(v, "all") == 0 || strcmp(v, "none") == 0) {
		p->caps_allowed = v[0] == 'a' ? POLICY_CAPS_ALL : 0;
		return 0;
	}
	for (;;) {
		n = strcspn(v, " \t,");
		if (n == 0)
			*why = "empty capability name in list:";
		else if ((n == 3 && memcmp(v, "all", 3) == 0) || (n == 4 && memcmp(v, "none", 4) == 0))
			*why = "\"all\" and \"none\" must stand alone:";
		else if (capconf_cap(v, n, &c, why) == 0 && (mask & (UINT64_C(1) << c)) != 0)
			*why = "capability listed twice:";
		if (**why != '\0')
			return -EINVAL;
		mask |= UINT64_C(1) << c;
		if ((v = policy_list_next(v + n)) == NULL)
			break;
	}
	p->caps_allowed = mask;
	return 0;
}

/* An absolute path of printable ASCII without spaces, or "none". */
int
policy_set_capability_conf(struct policy *p, const char *v, const char **why)
{
	size_t i, n = strlen(v);

	if (strcmp(v, "none") == 0) {
		p->capability_conf[0] = '\0';
		return 0;
	}
	if (v[0] != '/')
		*why = "not an absolute path or \"none\":";
	else if (n > POLICY_PATH_MAX)
		*why = "path longer than " STR(POLICY_PATH_MAX) " bytes:";
	else {
		for (i = 0; i < n; i++)
			if (v[i] < PATH_CHARS_FIRST || v[i] > PATH_CHARS_LAST) {
				*why = "bad character in path:";
				return -EINVAL;
			}
		memcpy(p->capability_conf, v, n + 1);
		return 0;
	}
	return -EINVAL;
}

/* One capability.conf entry, appended to p->grants. */
int
policy_set_grant(struct policy *p, const char *v, const char **why)
{
	size_t n = strlen(v);
	uint64_t mask;
	int r;

	if (p->ngrants == POLICY_GRANTS_MAX) {
		*why = "more than " STR(POLICY_GRANTS_MAX) " grant lines:";
		return -EINVAL;
	}
	if ((r = capconf_entry(v, n, &mask, why)) != 0) {
		if (r == 1)
			*why = "a comment is not a grant:";
		else if (r == -ENOMEM)
			*why = "out of memory:";
		return -EINVAL;
	}
	if (n + 1 > POLICY_GRANT_TEXT_MAX - p->grants_len) {
		*why = "grant values longer than " STR(POLICY_GRANT_TEXT_MAX) " bytes in all:";
		return -EINVAL;
	}
	memcpy(p->grants + p->grants_len, v, n);
	p->grants[p->grants_len + n] = '\n';
	p->grants_len += n + 1;
	p->ngrants++;
	return 0;
}

int
policy_caps_check(const struct policy *p, char *err, size_t errlen)
{
	const char *line, *why;
	size_t off = 0, n, i;
	uint64_t mask, out;
	char *name;
	int c;

	for (i = 0; conf_next_line(p->grants, p->grants_len, &off, &line, &n); i++) {
		if (capconf_entry(line, n, &mask, &why) != 0 || i >= p->ngrants) {
			conf_err(err, errlen, "grant %zu: not a valid entry", i + 1);
			return -EINVAL; /* cannot happen: each was checked when set */
		}
		if ((out = mask & ~p->caps_allowed) == 0)
			continue;
		for (c = 0; (out & 1) == 0; out >>= 1)
			c++;
		name = cap_to_name((cap_value_t)c);
		conf_err(err, errlen, "line %u: grant: %s is not in caps_allowed", p->grant_line[i],
			 name != NULL ? name : "a capability");
		(void)cap_free(name);
		return -EINVAL;
	}
	return 0;
}

/* The first grant line that names u: 0 with *m (line: pipefork-as.conf's)
 * or -errno with "line N: grant: why" in err. */
static int
grants_match(const struct policy *p, const struct capconf_user *u, struct capconf_match *m,
	     char *err, size_t errlen)
{
	char why[CAPCONF_ERR_MAX];
	const char *line;
	size_t off = 0, n, i;
	uint64_t mask;
	int r, yes;

	for (i = 0; i < p->ngrants && conf_next_line(p->grants, p->grants_len, &off, &line, &n);
	     i++) {
		r = capconf_entry_match(line, n, u, &yes, &mask, why, sizeof(why));
		if (r < 0) {
			conf_err(err, errlen, "line %u: grant: %s", p->grant_line[i], why);
			return r;
		}
		if (yes) {
			m->line = p->grant_line[i];
			m->mask = mask;
			return 0;
		}
	}
	return 0;
}

int
policy_caps_for(const struct policy *p, const char *user, const gid_t *groups, size_t n,
		struct policy_caps *out, char *err, size_t errlen)
{
	struct capconf_user u = { user, groups, n };
	struct capconf_match m = { 0, 0 };
	char why[CAPCONF_ERR_MAX];
	int r;

	conf_err(err, errlen, "%s", "");
	if (out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (p == NULL || user == NULL || user[0] == '\0' || (groups == NULL && n > 0))
		return -EINVAL;
	if (p->caps_allowed == 0)
		return 0;
	if ((r = grants_match(p, &u, &m, err, errlen)) < 0)
		return r;
	if (m.line != 0) {
		out->from = POLICY_CAPS_FROM_GRANT;
	} else if (p->capability_conf[0] != '\0') {
		r = capconf_load(p->capability_conf, &u, &m, why, sizeof(why));
		if (r < 0) {
			conf_err(err, errlen, "%s: %s", p->capability_conf, why);
			return r;
		}
		out->from = m.line != 0 ? POLICY_CAPS_FROM_CAPCONF : POLICY_CAPS_FROM_NONE;
	}
	out->line = m.line;
	out->mask = m.mask & p->caps_allowed;
	out->dropped = m.mask & ~p->caps_allowed;
	return 0;
}
