#include "config.h"
/* Unit tests of capability.conf parsing and matching (capconf.c);
 * test_capconf_files.c loads real files.  Group entries use groups every
 * Debian has (root, adm, nogroup) and a made-up user with a given group
 * list: /etc is never changed. */

#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "capconf.h"

#define B(c) (UINT64_C(1) << (c))
#define USER "pfa-alice" /* no such user: only the name and gids given count */

static char err[CAPCONF_ERR_MAX];

static gid_t
gid_of(const char *group)
{
	struct group *g = getgrnam(group);

	cr_assert_not_null(g, "group %s is on every Debian", group);
	return g->gr_gid;
}

/* The first match of text for user with groups. */
static struct capconf_match
match_g(const char *text, const char *user, const gid_t *groups, size_t n)
{
	struct capconf_user u = { user, groups, n };
	struct capconf_match m = { 99, 99 };

	cr_assert_eq(capconf_match(text, strlen(text), &u, &m, err, sizeof(err)), 0,
		     "for %s: %s", text, err);
	cr_assert_str_eq(err, "");
	return m;
}

static struct capconf_match
match(const char *text, const char *user)
{
	return match_g(text, user, NULL, 0);
}

/* text grants user exactly want, on line `line`. */
static void
grants(const char *text, const char *user, unsigned line, uint64_t want)
{
	struct capconf_match m = match(text, user);

	cr_assert_eq(m.line, line, "%s: line %u, want %u", text, m.line, line);
	cr_assert_eq(m.mask, want, "%s: mask %#llx, want %#llx", text,
		     (unsigned long long)m.mask, (unsigned long long)want);
}

/* len bytes of text are refused with a message containing want, for any
 * user, and the match is {0, 0}. */
static void
refused_n(const char *text, size_t len, const char *want)
{
	struct capconf_user u = { USER, NULL, 0 };
	struct capconf_match m = { 99, 99 };
	uint64_t all = 99;
	size_t i;

	cr_assert_eq(capconf_match(text, len, &u, &m, err, sizeof(err)), -EINVAL,
		     "accepted: %s", text);
	cr_assert_not_null(strstr(err, want), "for %s: got \"%s\", want \"%s\"", text, err, want);
	cr_assert_eq(m.line, 0);
	cr_assert_eq(m.mask, 0);
	for (i = 0; err[i] != '\0'; i++)
		cr_assert(err[i] >= 0x20 && err[i] < 0x7f, "byte %zu of err", i);
	cr_assert_eq(capconf_check(text, len, &all, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, want), "check: got \"%s\"", err);
}

static void
refused(const char *text, const char *want)
{
	refused_n(text, strlen(text), want);
}

TestSuite(capconf_syntax);
TestSuite(capconf_match);
TestSuite(capconf_entry);

Test(capconf_syntax, plain_names_and_numbers)
{
	grants("cap_net_bind_service " USER "\n", USER, 1, B(CAP_NET_BIND_SERVICE));
	grants("cap_chown,cap_net_raw\t" USER, USER, 1, B(CAP_CHOWN) | B(CAP_NET_RAW));
	grants("CAP_Chown " USER, USER, 1, B(CAP_CHOWN)); /* libcap: any case */
	grants("0,13 " USER, USER, 1, B(0) | B(13));       /* libcap: numbers */
	grants("0x0d " USER, USER, 1, B(13));              /* libcap: strtoul base 0 */
	grants("cap_chown,cap_chown " USER, USER, 1, B(CAP_CHOWN));
	grants("  \t cap_chown  \t " USER " \t ", USER, 1, B(CAP_CHOWN));
}

Test(capconf_syntax, iab_prefixes)
{
	grants("%cap_chown " USER, USER, 1, B(CAP_CHOWN));  /* inheritable */
	grants("^cap_chown " USER, USER, 1, B(CAP_CHOWN));  /* and ambient */
	grants("^cap_chown,%cap_setuid " USER, USER, 1, B(CAP_CHOWN) | B(CAP_SETUID));
	grants("!cap_chown " USER, USER, 1, 0);            /* a bounding drop grants nothing */
	grants("^cap_chown,^cap_setgid,!cap_setuid " USER, USER, 1,
	       B(CAP_CHOWN) | B(CAP_SETGID));
	grants("!!cap_chown " USER, USER, 1, 0);
	grants("^%cap_chown " USER, USER, 1, B(CAP_CHOWN));
}

Test(capconf_syntax, none_and_all_grant_nothing)
{
	grants("none " USER "\ncap_chown " USER, USER, 1, 0);
	grants("all " USER "\ncap_chown " USER, USER, 1, 0);
	refused("NONE " USER, "bad capability list: \"NONE\"");
	refused("all,cap_chown " USER, "bad capability list");
}

Test(capconf_syntax, comments_and_blank_lines)
{
	const char *text = "# capability.conf\n"
			   "\n"
			   " \t \n"
			   "#cap_chown " USER "\n"
			   "   # cap_setuid " USER "\n"
			   "#\n"
			   "cap_net_raw " USER; /* no final newline */

	grants(text, USER, 7, B(CAP_NET_RAW));
	grants("", USER, 0, 0);
	grants("# only\n\n", USER, 0, 0);
}

Test(capconf_syntax, bad_capability_lists)
{
	refused("cap_foo " USER, "line 1: bad capability list: \"cap_foo\"");
	refused("\ncap_chown,,cap_net_raw " USER, "line 2: bad capability list");
	refused(",cap_chown " USER, "bad capability list");
	refused("cap_chown+ep " USER, "bad capability list");
	refused("cap_chown=i " USER, "bad capability list");
	refused("= " USER, "bad capability list");
	refused("cap_chown1 " USER, "bad capability list");
	refused("-1 " USER, "bad capability list");
	refused("64 " USER, "bad capability list");
	refused("99999999999999999999999 " USER, "bad capability list");
	/* libcap takes these as naming nothing; an edit cut short, most likely */
	refused("cap_chown, " USER, "no capability name in list element: \"cap_chown,\"");
	refused("! " USER, "no capability name");
	refused("^ " USER, "no capability name");
	refused("cap_chown,%!^ " USER, "no capability name");
}

Test(capconf_syntax, unknown_to_the_kernel)
{
	cr_assert_lt(cap_max_bits(), 63, "this kernel knows every capability number");
	refused("63 " USER, "capability not known to the running kernel: \"63\"");
	refused("cap_chown,^63 " USER, "not known to the running kernel: \"^63\"");
	refused("!63 " USER, "not known to the running kernel");
}

Test(capconf_syntax, granted_and_dropped)
{
	refused("!^cap_chown " USER, "both granted and dropped");
	refused("!%cap_chown " USER, "both granted and dropped");
	refused("cap_chown,!cap_chown " USER, "both granted and dropped");
	refused("!cap_chown,^cap_chown " USER, "both granted and dropped");
}

Test(capconf_syntax, who)
{
	refused("cap_chown\n", "line 1: no user or group after the capability list");
	refused("cap_chown \t \n", "no user or group");
	refused("none", "no user or group");
	refused("cap_chown " USER " # the admin\n", "a comment needs a line of its own: \"#\"");
	refused("cap_chown " USER " #x\n", "comment");
	refused("cap_chown " USER " @\n", "'@' without a group name");
}

Test(capconf_syntax, control_characters_and_nul)
{
	static const char nul[] = "cap_chown " USER "\0 bob\n";

	refused("cap_chown " USER "\r\n", "line 1: control character");
	refused("cap_chown\v" USER "\n", "control character");
	refused("cap_chown\f" USER "\n", "control character");
	refused("cap_chown " USER "\x1b[0m\n", "control character");
	refused("cap_chown " USER "\x7f\n", "control character");
	refused("# a comment\r\n", "control character"); /* even in a comment */
	refused_n(nul, sizeof(nul) - 1, "line 1: NUL byte");
	refused_n("\0", 1, "NUL byte");
	grants("cap_chown " USER "\xc3\xa9\n", USER "\xc3\xa9", 1, B(CAP_CHOWN));
}

Test(capconf_syntax, line_and_file_limits)
{
	char *buf = malloc(CAPCONF_FILE_MAX + 2);
	size_t head = strlen("cap_chown ");

	cr_assert_not_null(buf);
	memcpy(buf, "cap_chown ", head);
	memset(buf + head, 'u', CAPCONF_LINE_MAX - head);
	buf[CAPCONF_LINE_MAX] = '\0';
	grants(buf, buf + head, 1, B(CAP_CHOWN)); /* 4095 bytes: pam_cap's limit */
	buf[CAPCONF_LINE_MAX] = 'u';
	buf[CAPCONF_LINE_MAX + 1] = '\0';
	refused(buf, "line 1: longer than 4095 bytes");
	memset(buf, '\n', CAPCONF_FILE_MAX + 1);
	buf[CAPCONF_FILE_MAX + 1] = '\0';
	refused(buf, "larger than 65536 bytes");
	buf[CAPCONF_FILE_MAX] = '\0';
	grants(buf, USER, 0, 0);
	free(buf);
}

Test(capconf_syntax, messages_quote_at_most_32_bytes)
{
	char list[200];

	memset(list, 'x', sizeof(list));
	memcpy(list + sizeof(list) - 7, " alice", 7);
	refused(list, "bad capability list: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"");
	refused("\"cap\\ " USER, "bad capability list: \"\\x22cap\\x5c\"");
}

Test(capconf_syntax, the_whole_text_is_checked_after_a_match)
{
	refused("cap_chown " USER "\ncap_foo bob\n", "line 2: bad capability list");
	refused("none *\n\x01\n", "line 2: control character");
}

Test(capconf_syntax, check_unions_every_grant)
{
	uint64_t all = 99;

	const char *text = "cap_chown a\n!cap_setuid b\n^cap_net_raw @c\nnone *\n";

	cr_assert_eq(capconf_check(text, strlen(text), &all, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(all, B(CAP_CHOWN) | B(CAP_NET_RAW));
	cr_assert_eq(capconf_check(NULL, 0, &all, err, sizeof(err)), 0);
	cr_assert_eq(all, 0);
	cr_assert_eq(capconf_check("x", 1, NULL, err, sizeof(err)), -EINVAL);
	cr_assert_eq(capconf_check(NULL, 1, &all, err, sizeof(err)), -EINVAL);
}

Test(capconf_match, first_match_wins)
{
	grants("cap_chown " USER "\ncap_net_raw " USER "\n", USER, 1, B(CAP_CHOWN));
	grants("cap_chown bob\ncap_net_raw " USER "\n", USER, 2, B(CAP_NET_RAW));
	grants("cap_chown bob\n", USER, 0, 0);
	grants("cap_chown bob carol " USER " dave\n", USER, 1, B(CAP_CHOWN));
}

Test(capconf_match, names_are_exact)
{
	grants("cap_chown pfa-alic\n", USER, 0, 0);
	grants("cap_chown pfa-alicex\n", USER, 0, 0);
	grants("cap_chown PFA-ALICE\n", USER, 0, 0);
	grants("cap_chown *" USER "\n", USER, 0, 0);
	grants("cap_chown **\n", USER, 0, 0);
}

Test(capconf_match, star_is_everyone_and_order_matters)
{
	/* Debian's default file ends with "none *": an entry after it is dead. */
	grants("none *\ncap_chown " USER "\n", USER, 1, 0);
	grants("cap_chown " USER "\nnone *\n", USER, 1, B(CAP_CHOWN));
	grants("cap_chown " USER "\nnone *\n", "bob", 2, 0);
	grants("cap_net_raw bob *\n", USER, 1, B(CAP_NET_RAW));
	grants("cap_net_raw * bob\n", "bob", 1, B(CAP_NET_RAW));
}

Test(capconf_match, groups_by_gid)
{
	gid_t adm = gid_of("adm"), root = gid_of("root"), nog = gid_of("nogroup");
	gid_t mine[] = { nog, adm };
	struct capconf_match m;

	m = match_g("cap_chown @adm\n", USER, mine, 2);
	cr_assert_eq(m.line, 1);
	cr_assert_eq(m.mask, B(CAP_CHOWN));
	m = match_g("cap_chown @root\ncap_setuid @nogroup\n", USER, mine, 2);
	cr_assert_eq(m.line, 2, "the first group entry that applies");
	cr_assert_eq(m.mask, B(CAP_SETUID));
	m = match_g("cap_chown @root\n", USER, &root, 1);
	cr_assert_eq(m.mask, B(CAP_CHOWN));
	/* The group list is the caller's, not the group file's members. */
	m = match_g("cap_chown @adm\n", "root", &root, 1);
	cr_assert_eq(m.line, 0);
	m = match_g("cap_chown @adm\n", USER, NULL, 0);
	cr_assert_eq(m.line, 0);
}

Test(capconf_match, group_words_need_the_at)
{
	gid_t adm = gid_of("adm");
	struct capconf_match m;

	/* pam_cap 2.66 compared "xadm" as group "adm"; only "@adm" is a group. */
	m = match_g("cap_chown xadm\ncap_setuid adm\n", USER, &adm, 1);
	cr_assert_eq(m.line, 0);
	m = match_g("cap_chown @ADM\n", USER, &adm, 1);
	cr_assert_eq(m.line, 0, "group names are exact");
}

Test(capconf_match, unknown_group_matches_no_one)
{
	gid_t adm = gid_of("adm");
	struct capconf_match m;

	cr_assert_null(getgrnam("pfa-no-such-group"));
	m = match_g("cap_chown @pfa-no-such-group\ncap_setuid @adm\n", USER, &adm, 1);
	cr_assert_eq(m.line, 2);
	cr_assert_eq(m.mask, B(CAP_SETUID));
}

Test(capconf_match, group_entries_after_a_match_are_not_looked_up)
{
	struct capconf_match m;

	m = match_g("cap_chown " USER "\ncap_setuid @pfa-no-such-group\n", USER, NULL, 0);
	cr_assert_eq(m.line, 1);
}

Test(capconf_match, bad_arguments)
{
	struct capconf_user u = { USER, NULL, 0 };
	struct capconf_match m = { 99, 99 };
	gid_t g = 0;

	cr_assert_eq(capconf_match("x", 1, &u, NULL, err, sizeof(err)), -EINVAL);
	cr_assert_eq(capconf_match("x", 1, NULL, &m, err, sizeof(err)), -EINVAL);
	cr_assert_eq(m.line, 0);
	cr_assert_eq(m.mask, 0);
	u.name = NULL;
	cr_assert_eq(capconf_match("", 0, &u, &m, err, sizeof(err)), -EINVAL);
	u.name = "";
	cr_assert_eq(capconf_match("", 0, &u, &m, err, sizeof(err)), -EINVAL);
	u.name = USER;
	u.ngroups = 1;
	cr_assert_eq(capconf_match("", 0, &u, &m, err, sizeof(err)), -EINVAL);
	u.groups = &g;
	cr_assert_eq(capconf_match(NULL, 1, &u, &m, err, sizeof(err)), -EINVAL);
	cr_assert_eq(capconf_match(NULL, 0, &u, &m, NULL, 0), 0, "err may be NULL");
}

Test(capconf_entry, one_entry)
{
	const char *why = NULL;
	uint64_t mask = 99;

	cr_assert_eq(capconf_entry("^cap_chown,cap_net_raw alice @adm", 33, &mask, &why), 0);
	cr_assert_eq(mask, B(CAP_CHOWN) | B(CAP_NET_RAW));
	cr_assert_str_eq(why, "");
	cr_assert_eq(capconf_entry("cap_chown alice", 9, &mask, &why), -EINVAL, "cut short");
	cr_assert_str_eq(why, "no user or group after the capability list:");
	cr_assert_eq(capconf_entry("cap_foo alice", 13, &mask, &why), -EINVAL);
	cr_assert_str_eq(why, "bad capability list:");
	cr_assert_eq(capconf_entry("# note", 6, &mask, &why), 1);
	cr_assert_eq(mask, 0);
	cr_assert_eq(capconf_entry("  ", 2, &mask, &why), 1);
	cr_assert_eq(capconf_entry(NULL, 0, &mask, &why), 1);
	cr_assert_eq(capconf_entry(NULL, 1, &mask, &why), -EINVAL);
	cr_assert_eq(capconf_entry("x", 1, NULL, &why), -EINVAL);
	cr_assert_eq(capconf_entry("x", 1, &mask, NULL), -EINVAL);
}

Test(capconf_entry, entry_match)
{
	gid_t adm = gid_of("adm");
	struct capconf_user u = { USER, &adm, 1 };
	uint64_t mask = 99;
	int yes = 99;

	cr_assert_eq(capconf_entry_match("cap_chown bob " USER, 23, &u, &yes, &mask, err,
					 sizeof(err)),
		     0);
	cr_assert_eq(yes, 1);
	cr_assert_eq(mask, B(CAP_CHOWN));
	cr_assert_eq(capconf_entry_match("cap_chown @adm", 14, &u, &yes, &mask, err, sizeof(err)),
		     0);
	cr_assert_eq(yes, 1);
	cr_assert_eq(capconf_entry_match("cap_chown bob", 13, &u, &yes, &mask, err, sizeof(err)),
		     0);
	cr_assert_eq(yes, 0);
	cr_assert_eq(mask, 0);
	cr_assert_eq(capconf_entry_match(" # x", 4, &u, &yes, &mask, err, sizeof(err)), 1);
	cr_assert_eq(yes, 0);
	cr_assert_eq(capconf_entry_match("cap_frob *", 10, &u, &yes, &mask, err, sizeof(err)),
		     -EINVAL);
	cr_assert_str_eq(err, "bad capability list: \"cap_frob\"", "no line number");
	cr_assert_eq(yes, 0);
	cr_assert_eq(capconf_entry_match("x", 1, NULL, &yes, &mask, err, sizeof(err)), -EINVAL);
}

Test(capconf_entry, one_capability)
{
	const char *why = NULL;
	int cap = -1;

	cr_assert_eq(capconf_cap("cap_net_raw", 11, &cap, &why), 0);
	cr_assert_eq(cap, CAP_NET_RAW);
	cr_assert_str_eq(why, "");
	cr_assert_eq(capconf_cap("CAP_NET_RAW", 11, &cap, &why), 0);
	cr_assert_eq(cap, CAP_NET_RAW);
	cr_assert_eq(capconf_cap("13xyz", 2, &cap, &why), 0, "only n bytes count");
	cr_assert_eq(cap, 13);
	cr_assert_eq(capconf_cap("0x0d", 4, &cap, &why), -EINVAL, "libcap's hex is not taken");
	cr_assert_eq(capconf_cap("010", 3, &cap, &why), -EINVAL, "nor its octal");
	cr_assert_eq(capconf_cap("0", 1, &cap, &why), 0);
	cr_assert_eq(cap, 0);
	cr_assert_eq(capconf_cap("", 0, &cap, &why), -EINVAL);
	cr_assert_eq(capconf_cap("!cap_chown", 10, &cap, &why), -EINVAL);
	cr_assert_str_eq(why, "not one capability name or number:");
	cr_assert_eq(capconf_cap("cap_chown,cap_setuid", 20, &cap, &why), -EINVAL);
	cr_assert_eq(capconf_cap("cap_frob", 8, &cap, &why), -EINVAL);
	cr_assert_str_eq(why, "unknown capability:");
	cr_assert_eq(capconf_cap("63", 2, &cap, &why), -EINVAL);
	cr_assert_str_eq(why, "capability not known to the running kernel:");
	cr_assert_eq(capconf_cap("64", 2, &cap, &why), -EINVAL);
	cr_assert_eq(capconf_cap("cap\0chown", 9, &cap, &why), -EINVAL);
}
