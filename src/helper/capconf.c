/*
 * capconf.c — capability.conf (pam_cap's format): check it, and find the
 * first entry that names a user.
 *
 * MUST: never read past len and never write past a buffer: the text is at
 * most CAPCONF_FILE_MAX bytes, a line at most CAPCONF_LINE_MAX; what does
 * not fit is refused, never cut.  MUST: the capability list is read by
 * libcap (cap_iab_from_text, cap_iab_get_vector) and nothing else, so names
 * and syntax are exactly libcap's; what our model cannot represent (see
 * capconf.h) is refused, never approximated.  MUST: the whole text is
 * checked even after the first match, so a file's verdict does not depend
 * on who asks.  MUST: a failed group lookup is an error, never "no match":
 * skipping a "none @group" line could reach a later grant.  MUST: on any
 * error the match is {0, 0}.  MUST: no printing, no exit, no syslog.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "capconf.h"
#include "conffile.h"

#define STR_(x) #x
#define STR(x) STR_(x) /* a limit spelled out in a message */
#define MASK_BITS 64

/* One line, parsed: an entry's grants and its words after the list. */
struct entry {
	uint64_t grant;
	const char *who, *end; /* the user and group words: [who, end) */
	const char *why;       /* when refused: a static reason */
	const char *bad;       /* and the part of the line at fault, or NULL */
	size_t badlen;
};

static int
refuse(struct entry *e, const char *why, const char *bad, size_t badlen)
{
	e->why = why;
	e->bad = bad;
	e->badlen = badlen;
	return -EINVAL;
}

/* The next word of [*p, end), words separated by spaces and tabs as in
 * pam_cap: 1 with *w, *wn and *p moved past it, or 0. */
static int
word(const char **p, const char *end, const char **w, size_t *wn)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*w = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*wn = (size_t)(s - *w);
	*p = s;
	return *wn > 0;
}

/* libcap's reading of the NUL-terminated IAB text t: what it grants (I or
 * A) and what it drops from the bounding set, below the kernel's count. */
static int
iab_bits(const char *t, uint64_t *grant, uint64_t *drop)
{
	cap_value_t c, max = cap_max_bits();
	cap_iab_t iab;

	errno = 0;
	if ((iab = cap_iab_from_text(t)) == NULL)
		return errno == ENOMEM ? -ENOMEM : -EINVAL;
	*grant = *drop = 0;
	for (c = 0; c < max && c < MASK_BITS; c++) {
		if (cap_iab_get_vector(iab, CAP_IAB_INH, c) == CAP_SET ||
		    cap_iab_get_vector(iab, CAP_IAB_AMB, c) == CAP_SET)
			*grant |= UINT64_C(1) << c;
		if (cap_iab_get_vector(iab, CAP_IAB_BOUND, c) == CAP_SET)
			*drop |= UINT64_C(1) << c;
	}
	(void)cap_free(iab);
	return 0;
}

/* libcap takes a name or number the kernel lacks and shows no bit for it,
 * and takes an element with no name at all ("cap_chown,", "!"): each
 * element of list (a writable copy of w[0..n)) must show one bit. */
static int
all_known(char *list, const char *w, size_t n, struct entry *e)
{
	char *el = list, *next;
	uint64_t g, d;
	int r, last;

	do {
		next = el + strcspn(el, ",");
		last = *next == '\0';
		*next = '\0';
		if (el[strspn(el, "!^%")] == '\0')
			return refuse(e, "no capability name in list element:", w, n);
		if ((r = iab_bits(el, &g, &d)) < 0)
			return r == -EINVAL ? refuse(e, "bad capability list:", w, n) : r;
		if ((g | d) == 0)
			return refuse(e, "capability not known to the running kernel:",
				      w + (el - list), strlen(el));
		el = next + 1;
	} while (!last);
	return 0;
}

/* The capability list w[0..n): "none", "all" or IAB text; e->grant. */
static int
cap_list(const char *w, size_t n, struct entry *e)
{
	char list[CAPCONF_LINE_MAX + 1];
	uint64_t drop;
	int r;

	e->grant = 0;
	memcpy(list, w, n);
	list[n] = '\0';
	if (strcmp(list, "none") == 0 || strcmp(list, "all") == 0)
		return 0;
	if ((r = iab_bits(list, &e->grant, &drop)) < 0)
		return r == -EINVAL ? refuse(e, "bad capability list:", w, n) : r;
	if ((e->grant & drop) != 0)
		return refuse(e, "capability both granted and dropped ('!'):", w, n);
	return all_known(list, w, n, e);
}

/* The words after the list: at least one; no comment, no bare '@'. */
static int
who_check(struct entry *e, const char *s, size_t n)
{
	const char *p = e->who, *w;
	size_t wn;
	int any = 0;

	while (word(&p, e->end, &w, &wn)) {
		any = 1;
		if (w[0] == '#')
			return refuse(e, "a comment needs a line of its own:", w, wn);
		if (wn == 1 && w[0] == '@')
			return refuse(e, "'@' without a group name:", s, n);
	}
	if (!any)
		return refuse(e, "no user or group after the capability list:", s, n);
	return 0;
}

/* A line s[0..n): 0 (an entry, in e), 1 (blank or comment) or -errno. */
static int
parse_entry(const char *s, size_t n, struct entry *e)
{
	const char *p = s, *w;
	size_t i, wn;
	int r;

	memset(e, 0, sizeof(*e));
	if (n > CAPCONF_LINE_MAX)
		return refuse(e, "longer than " STR(CAPCONF_LINE_MAX) " bytes", NULL, 0);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return refuse(e, "NUL byte:", s, n);
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return refuse(e, "control character:", s, n);
	}
	if (!word(&p, s + n, &w, &wn) || w[0] == '#')
		return 1;
	if ((r = cap_list(w, wn, e)) < 0)
		return r;
	e->who = p;
	e->end = s + n;
	return who_check(e, s, n);
}

int
capconf_entry(const char *s, size_t n, uint64_t *mask, const char **why)
{
	struct entry e;
	int r;

	if ((s == NULL && n > 0) || mask == NULL || why == NULL)
		return -EINVAL;
	*why = "";
	if ((r = parse_entry(s, n, &e)) < 0) {
		if (r == -EINVAL)
			*why = e.why;
		return r;
	}
	*mask = r == 0 ? e.grant : 0;
	return r;
}

/* s[0..n) is "0" or digits without a leading zero (libcap would read
 * 010 as octal 8 and 0x15 as 21). */
static int
plain_decimal(const char *s, size_t n)
{
	size_t i;

	if (n > 1 && s[0] == '0')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
capconf_cap(const char *s, size_t n, int *cap, const char **why)
{
	char name[CAPCONF_LINE_MAX + 1];
	uint64_t grant, drop;
	int r;

	if (s == NULL || cap == NULL || why == NULL)
		return -EINVAL;
	*why = "";
	if (n == 0 || n > CAPCONF_LINE_MAX || memchr(s, '\0', n) != NULL ||
	    strchr("!^%", s[0]) != NULL || memchr(s, ',', n) != NULL) {
		*why = "not one capability name or number:";
		return -EINVAL;
	}
	if (s[0] >= '0' && s[0] <= '9' && !plain_decimal(s, n)) {
		*why = "a number must be plain decimal (no leading 0, no 0x):";
		return -EINVAL;
	}
	memcpy(name, s, n);
	name[n] = '\0';
	if ((r = iab_bits(name, &grant, &drop)) < 0) {
		*why = r == -ENOMEM ? "out of memory:" : "unknown capability:";
		return r;
	}
	if (grant == 0) {
		*why = "capability not known to the running kernel:";
		return -EINVAL;
	}
	for (*cap = 0; (grant & 1) == 0; grant >>= 1)
		++*cap;
	return 0;
}

/* Is gid of group g[0..n) one of u's groups?  0 and *yes; -errno. */
static int
in_group(const char *g, size_t n, const struct capconf_user *u, int *yes)
{
	char name[CAPCONF_LINE_MAX + 1];
	gid_t gid;
	size_t i;
	int r;

	if (u->ngroups == 0)
		return 0; /* nothing to match: no need to ask NSS */
	memcpy(name, g, n);
	name[n] = '\0';
	if ((r = conf_group_gid(name, &gid)) == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	for (i = 0; i < u->ngroups; i++)
		if (u->groups[i] == gid)
			*yes = 1;
	return 0;
}

/* Does entry e name u, as pam_cap reads it ("*", the user's name, then
 * "@group")?  0 and *yes; -errno with e->bad the group that failed. */
static int
names_user(struct entry *e, const struct capconf_user *u, int *yes)
{
	const char *p = e->who, *w;
	size_t wn, un = strlen(u->name);
	int r;

	*yes = 0;
	while (!*yes && word(&p, e->end, &w, &wn)) {
		if ((wn == 1 && w[0] == '*') || (wn == un && memcmp(w, u->name, un) == 0))
			*yes = 1;
		else if (w[0] == '@' && (r = in_group(w + 1, wn - 1, u, yes)) < 0) {
			e->bad = w;
			e->badlen = wn;
			return r;
		}
	}
	return 0;
}

/* Why e was refused, or its group lookup failed, in err (no line number);
 * returns r, with a failed lookup as -EIO. */
static int
reason(char *err, size_t errlen, const struct entry *e, int r)
{
	char q[CONF_QUOTE_BUF];

	if (r == -ENOMEM) {
		conf_err(err, errlen, "out of memory");
		return r;
	}
	if (r != -EINVAL) {
		conf_quote(q, e->bad, e->badlen);
		conf_err(err, errlen, "cannot look up group \"%s\": %s", q, strerror(-r));
		return -EIO;
	}
	if (e->bad == NULL) {
		conf_err(err, errlen, "%s", e->why);
		return r;
	}
	conf_quote(q, e->bad, e->badlen);
	conf_err(err, errlen, "%s \"%s\"", e->why, q);
	return r;
}

/* "line N: " and the reason, in err; returns r as reason does. */
static int
line_err(char *err, size_t errlen, unsigned lineno, const struct entry *e, int r)
{
	char why[CAPCONF_ERR_MAX];

	r = reason(why, sizeof(why), e, r);
	conf_err(err, errlen, "line %u: %s", lineno, why);
	return r;
}

static int
user_ok(const struct capconf_user *u)
{
	return u->name != NULL && u->name[0] != '\0' && (u->groups != NULL || u->ngroups == 0);
}

/* Check every line of text; the first entry for u (when u != NULL) in
 * *m, the union of all grants in *all (when all != NULL). */
static int
scan(const char *text, size_t len, const struct capconf_user *u, struct capconf_match *m,
     uint64_t *all, char *err, size_t errlen)
{
	struct capconf_match found = { 0, 0 };
	struct entry e;
	const char *line;
	size_t off = 0, n;
	unsigned lineno = 0;
	uint64_t any = 0;
	int r, yes;

	conf_err(err, errlen, "%s", "");
	if (len > CAPCONF_FILE_MAX) {
		conf_err(err, errlen, "larger than %d bytes", CAPCONF_FILE_MAX);
		return -EINVAL;
	}
	while (conf_next_line(text, len, &off, &line, &n)) {
		lineno++;
		if ((r = parse_entry(line, n, &e)) == 1)
			continue;
		if (r < 0)
			return line_err(err, errlen, lineno, &e, r);
		any |= e.grant;
		if (u == NULL || found.line != 0)
			continue;
		if ((r = names_user(&e, u, &yes)) < 0)
			return line_err(err, errlen, lineno, &e, r);
		if (yes) {
			found.line = lineno;
			found.mask = e.grant;
		}
	}
	*m = found;
	if (all != NULL)
		*all = any;
	return 0;
}

int
capconf_check(const char *text, size_t len, uint64_t *all, char *err, size_t errlen)
{
	struct capconf_match m;

	if ((text == NULL && len > 0) || all == NULL)
		return -EINVAL;
	*all = 0;
	return scan(text, len, NULL, &m, all, err, errlen);
}

int
capconf_match(const char *text, size_t len, const struct capconf_user *u,
	      struct capconf_match *m, char *err, size_t errlen)
{
	if (m == NULL)
		return -EINVAL;
	m->line = 0;
	m->mask = 0;
	if ((text == NULL && len > 0) || u == NULL || !user_ok(u)) {
		conf_err(err, errlen, "bad arguments");
		return -EINVAL;
	}
	return scan(text, len, u, m, NULL, err, errlen);
}

int
capconf_entry_match(const char *s, size_t n, const struct capconf_user *u, int *yes,
		    uint64_t *mask, char *err, size_t errlen)
{
	struct entry e;
	int r;

	conf_err(err, errlen, "%s", "");
	if ((s == NULL && n > 0) || u == NULL || !user_ok(u) || yes == NULL || mask == NULL)
		return -EINVAL;
	*yes = 0;
	*mask = 0;
	if ((r = parse_entry(s, n, &e)) == 0)
		r = names_user(&e, u, yes);
	if (r < 0) {
		*yes = 0;
		return reason(err, errlen, &e, r);
	}
	if (*yes)
		*mask = e.grant;
	return r;
}

int
capconf_load(const char *path, const struct capconf_user *u, struct capconf_match *m,
	     char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	if ((r = capconf_match(NULL, 0, u, m, err, errlen)) < 0)
		return r;
	r = conf_read_trusted(path, CAPCONF_FILE_MAX, &buf, &len, err, errlen);
	if (r == -ENOENT)
		r = 0;
	else if (r == 0)
		r = capconf_match(buf, len, u, m, err, errlen);
	free(buf);
	return r;
}
