#include "config.h"
/* Unit tests of pipefork-as.conf parsing and of the policy's answers
 * (policy_parse.c, policy.c); test_policy_files.c loads real files. */

#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define NO_DEFS "/nonexistent/pfa-login.defs"

static char err[POLICY_ERR_MAX];

static void
defaults(struct policy *p)
{
	policy_defaults(p, NO_DEFS);
}

/* Parse len bytes of text over the defaults. */
static int
parse_n(const char *text, size_t len, struct policy *p)
{
	defaults(p);
	return policy_parse(text, len, p, err, sizeof(err));
}

static int
parse(const char *text, struct policy *p)
{
	return parse_n(text, strlen(text), p);
}

/* text is refused with a message containing want, and p is untouched. */
static void
refused_n(const char *text, size_t len, const char *want)
{
	struct policy p, before;

	defaults(&before);
	p = before;
	cr_assert_eq(policy_parse(text, len, &p, err, sizeof(err)), -EINVAL, "accepted: %s", text);
	cr_assert_not_null(strstr(err, want), "for %s: got \"%s\", want \"%s\"", text, err, want);
	cr_assert_eq(memcmp(&p, &before, sizeof(p)), 0, "p changed by a failed parse");
}

static void
refused(const char *text, const char *want)
{
	refused_n(text, strlen(text), want);
}

TestSuite(policy_parse);
TestSuite(policy_rules);

Test(policy_parse, defaults)
{
	struct policy p;

	defaults(&p);
	cr_assert_str_eq(p.caller_group, "pipefork");
	cr_assert_eq(p.min_uid, 1000);
	cr_assert_eq(p.allow_root, 0);
	cr_assert_eq(p.ops_all, 1);
	cr_assert_eq(p.nops, 0);
	cr_assert_eq(p.default_timeout, 30);
	cr_assert_eq(p.max_timeout, 300);
	cr_assert_eq(p.max_output, 1024 * 1024);
}

Test(policy_parse, empty_text_keeps_defaults)
{
	struct policy p, d;

	defaults(&d);
	cr_assert_eq(parse_n(NULL, 0, &p), 0);
	cr_assert_eq(memcmp(&p, &d, sizeof(p)), 0);
	cr_assert_eq(parse("\n\n# only a comment\n   \t\n", &p), 0);
	cr_assert_eq(memcmp(&p, &d, sizeof(p)), 0);
	cr_assert_str_eq(err, "");
	cr_assert_eq(policy_parse("x", 1, NULL, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_parse(NULL, 1, &p, err, sizeof(err)), -EINVAL);
}

Test(policy_parse, every_key)
{
	struct policy p;
	const char *text =
		"# pipefork-as.conf\n"
		"caller_group = Mail.users-2_x\n"
		"\t min_uid=2000 \t\n"
		"\n"
		"allow_root = yes\n"
		"ops = id, exec  file_read,file-write\n"
		"default_timeout = 60\n"
		"max_timeout = 600\n"
		"max_output = 16M"; /* no final newline */

	cr_assert_eq(parse(text, &p), 0, "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_str_eq(p.caller_group, "Mail.users-2_x");
	cr_assert_eq(p.min_uid, 2000);
	cr_assert_eq(p.allow_root, 1);
	cr_assert_eq(p.ops_all, 0);
	cr_assert_eq(p.nops, 4);
	cr_assert_str_eq(p.ops[0], "id");
	cr_assert_str_eq(p.ops[1], "exec");
	cr_assert_str_eq(p.ops[2], "file_read");
	cr_assert_str_eq(p.ops[3], "file-write");
	cr_assert_eq(p.default_timeout, 60);
	cr_assert_eq(p.max_timeout, 600);
	cr_assert_eq(p.max_output, 16 * 1024 * 1024);
	cr_assert_eq(parse("allow_root = no\nops = all\n", &p), 0);
	cr_assert_eq(p.allow_root, 0);
	cr_assert_eq(p.ops_all, 1);
	cr_assert_eq(p.nops, 0);
	cr_assert_eq(policy_parse("min_uid = 5", 11, &p, NULL, 0), 0, "err may be NULL");
}

Test(policy_parse, syntax_errors)
{
	refused("min_uid 2000\n", "line 1: expected \"key = value\", got \"min_uid 2000\"");
	refused("\n\n= 5\n", "line 3: missing key");
	refused("min_uid =\n", "line 1: empty value for min_uid");
	refused("min_uid = \t \n", "line 1: empty value for min_uid");
	refused("color = blue\n", "line 1: unknown key \"color\"");
	refused("Min_uid = 5\n", "unknown key \"Min_uid\"");
	refused("min_uid = 2000 # comment\n", "line 1: min_uid: not a plain decimal");
	refused("allow_root = yes # comment\n", "allow_root: not yes or no");
	refused("#ok\nmin_uid = 2000\nmin_uid = 3000\n",
		"line 3: duplicate key min_uid (first on line 2)");
	refused("ops = all\nops = id\n", "line 2: duplicate key ops");
}

Test(policy_parse, messages_quote_at_most_32_bytes_escaped)
{
	char key[200];
	size_t i, as = 0;

	memset(key, 'A', sizeof(key));
	memcpy(key + sizeof(key) - 5, " = 1", 5);
	refused(key, "unknown key \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...\"");
	for (i = 0; err[i] != '\0'; i++)
		as += err[i] == 'A';
	cr_assert_eq(as, 32);
	refused("\x1b[31m\"\\ = 1\n", "unknown key \"\\x1b[31m\\x22\\x5c\"");
	refused("caller_group = \xff\xfe\n", "bad character in group name: \"\\xff\\xfe\"");
	refused("min_uid\x7f = 1\n", "unknown key \"min_uid\\x7f\"");
	for (i = 0; err[i] != '\0'; i++)
		cr_assert(err[i] >= 0x20 && err[i] < 0x7f, "byte %zu of err", i);
}

Test(policy_parse, caller_group)
{
	struct policy p;
	char name[POLICY_NAME_MAX + 20];

	snprintf(name, sizeof(name), "caller_group = %0*d", POLICY_NAME_MAX, 0);
	cr_assert_eq(parse(name, &p), 0, "%s", err);
	cr_assert_eq(strlen(p.caller_group), POLICY_NAME_MAX);
	snprintf(name, sizeof(name), "caller_group = %0*d", POLICY_NAME_MAX + 1, 0);
	refused(name, "group name longer than 32 bytes");
	refused("caller_group = -wheel\n", "starts with '-'");
	refused("caller_group = a b\n", "bad character in group name: \"a b\"");
	refused("caller_group = a/b\n", "bad character");
	refused("caller_group = a:b\n", "bad character");
	refused("caller_group = a=b\n", "bad character");
	refused("caller_group = \"wheel\"\n", "bad character");
	cr_assert_eq(parse("caller_group = _x.1-\n", &p), 0);
	cr_assert_str_eq(p.caller_group, "_x.1-");
}

Test(policy_parse, min_uid)
{
	struct policy p;

	cr_assert_eq(parse("min_uid = 1\n", &p), 0);
	cr_assert_eq(p.min_uid, 1);
	cr_assert_eq(parse("min_uid = 4294967294\n", &p), 0);
	cr_assert_eq(p.min_uid, 4294967294u);
	refused("min_uid = 0\n", "min_uid: out of range: \"0\"");
	refused("min_uid = 4294967295\n", "out of range");
	refused("min_uid = 18446744073709551616\n", "out of range");
	refused("min_uid = 99999999999999999999999999999999\n", "out of range");
	refused("min_uid = -1\n", "not a plain decimal");
	refused("min_uid = +5\n", "not a plain decimal");
	refused("min_uid = 010\n", "not a plain decimal");
	refused("min_uid = 0x10\n", "not a plain decimal");
	refused("min_uid = 5x\n", "not a plain decimal");
	refused("min_uid = 5 5\n", "not a plain decimal");
	refused("min_uid = 1e3\n", "not a plain decimal");
	refused("min_uid = 99999999999999999999999x\n", "not a plain decimal");
}

Test(policy_parse, allow_root)
{
	refused("allow_root = Yes\n", "allow_root: not yes or no: \"Yes\"");
	refused("allow_root = 1\n", "not yes or no");
	refused("allow_root = true\n", "not yes or no");
	refused("allow_root = yes no\n", "not yes or no");
	refused("allow_root = yess\n", "not yes or no");
}

Test(policy_parse, ops)
{
	struct policy p;
	char line[POLICY_LINE_MAX + 1];
	size_t i;
	int o;

	cr_assert_eq(parse("ops = id\n", &p), 0);
	cr_assert_eq(p.ops_all, 0);
	cr_assert_eq(p.nops, 1);
	cr_assert_eq(parse("ops = a , b\tc,d\n", &p), 0, "%s", err);
	cr_assert_eq(p.nops, 4);
	refused("ops = a,,b\n", "ops: empty op name in list");
	refused("ops = a, ,b\n", "empty op name");
	refused("ops = a,\n", "empty op name");
	refused("ops = ,a\n", "empty op name");
	refused("ops = all, id\n", "\"all\" must stand alone");
	refused("ops = id all\n", "\"all\" must stand alone");
	refused("ops = ALL\n", "bad character in op list");
	refused("ops = Id\n", "bad character in op list");
	refused("ops = a!b\n", "bad character in op list");
	refused("ops = a;b\n", "bad character in op list");
	refused("ops = a.b\n", "bad character in op list");
	refused("ops = id id\n", "op listed twice");
	refused("ops = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "op name longer than 32 bytes");
	cr_assert_eq(parse("ops = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", &p), 0);
	o = snprintf(line, sizeof(line), "ops =");
	for (i = 0; i < POLICY_OPS_MAX; i++)
		o += snprintf(line + o, sizeof(line) - (size_t)o, " op%zu", i);
	cr_assert_eq(parse(line, &p), 0, "%s", err);
	cr_assert_eq(p.nops, POLICY_OPS_MAX);
	cr_assert_str_eq(p.ops[POLICY_OPS_MAX - 1], "op31");
	snprintf(line + o, sizeof(line) - (size_t)o, ",op%d", POLICY_OPS_MAX);
	refused(line, "more than 32 ops");
}

Test(policy_parse, timeouts)
{
	struct policy p;

	cr_assert_eq(parse("default_timeout = 1\nmax_timeout = 1\n", &p), 0);
	cr_assert_eq(p.default_timeout, 1);
	cr_assert_eq(p.max_timeout, 1);
	cr_assert_eq(parse("max_timeout = 86400\ndefault_timeout = 86400\n", &p), 0);
	cr_assert_eq(p.default_timeout, 86400);
	cr_assert_eq(p.max_timeout, 86400);
	cr_assert_eq(parse("default_timeout = 300\n", &p), 0, "equal to the default max");
	refused("default_timeout = 0\n", "default_timeout: out of range");
	refused("default_timeout = 86401\n", "out of range");
	refused("max_timeout = 0\n", "max_timeout: out of range");
	refused("max_timeout = 86401\n", "out of range");
	refused("max_timeout = -5\n", "not a plain decimal");
	refused("default_timeout = 1.5\n", "not a plain decimal");
	/* Checked after the whole file, against the values in force. */
	refused("default_timeout = 60\n#\nmax_timeout = 30\n",
		"line 3: default_timeout 60 is above max_timeout 30");
	refused("max_timeout = 30\n#\ndefault_timeout = 60\n", "line 3: default_timeout 60");
	refused("max_timeout = 10\n", "line 1: default_timeout 30 is above max_timeout 10");
	refused("default_timeout = 301\n", "line 1: default_timeout 301 is above max_timeout 300");
}

Test(policy_parse, max_output)
{
	static const struct {
		const char *v;
		size_t want;
	} ok[] = {
		{ "1", 1 },
		{ "1K", 1024 },
		{ "512M", 512u << 20 },
		{ "1G", 1u << 30 },
		{ "1048576K", 1u << 30 },
		{ "1024M", 1u << 30 },
		{ "1073741824", 1u << 30 },
	};
	static const char *range[] = { "0", "0K", "0G", "1073741825", "2G", "1025M",
				       "1048577K", "18446744073709551617", "99999999999999999999G" };
	static const char *bad[] = { "K", "1k", "1KB", "1 K", "1KK", "-1", "+1", "01K", "1T",
				     "1.5G", "G1" };
	struct policy p;
	char line[128];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(line, sizeof(line), "max_output = %s\n", ok[i].v);
		cr_assert_eq(parse(line, &p), 0, "%s: %s", ok[i].v, err);
		cr_assert_eq(p.max_output, ok[i].want, "%s", ok[i].v);
	}
	for (i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		snprintf(line, sizeof(line), "max_output = %s\n", range[i]);
		refused(line, "max_output: out of range");
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "max_output = %s\n", bad[i]);
		refused(line, "max_output: not a size");
	}
}

Test(policy_parse, crlf_lines)
{
	struct policy p;

	cr_assert_eq(parse("# c\r\nmin_uid = 2000\r\nallow_root = yes\r\n\r\nops = id\r\n", &p), 0,
		     "%s", err);
	cr_assert_eq(p.min_uid, 2000);
	cr_assert_eq(p.allow_root, 1);
	cr_assert_str_eq(p.ops[0], "id");
	cr_assert_eq(parse("min_uid = 2000\r", &p), 0, "%s", err);
	/* Only one CR, and only at the end of a line, is part of the line end. */
	refused("allow_root = yes\r\r\n", "line 1: allow_root: not yes or no: \"yes\\x0d\"");
	refused("min_uid = 20\r00\n", "not a plain decimal");
	refused("min_uid = 1\rmax_timeout = 5\n", "not a plain decimal");
}

Test(policy_parse, line_length)
{
	struct policy p;
	char buf[POLICY_LINE_MAX + 8], big[POLICY_LINE_MAX + 64];

	memset(buf, ' ', sizeof(buf));
	buf[0] = '#';
	buf[POLICY_LINE_MAX] = '\n';
	cr_assert_eq(parse_n(buf, POLICY_LINE_MAX + 1, &p), 0, "1024 bytes: %s", err);
	buf[POLICY_LINE_MAX] = '\r';
	buf[POLICY_LINE_MAX + 1] = '\n';
	cr_assert_eq(parse_n(buf, POLICY_LINE_MAX + 2, &p), 0, "1024 bytes + CRLF: %s", err);
	cr_assert_eq(parse_n(buf, POLICY_LINE_MAX, &p), 0, "1024 bytes, no newline");
	buf[POLICY_LINE_MAX] = ' ';
	buf[POLICY_LINE_MAX + 1] = '\n';
	refused_n(buf, POLICY_LINE_MAX + 2, "line 1: longer than 1024 bytes");
	refused_n(buf, POLICY_LINE_MAX + 1, "line 1: longer than 1024 bytes");
	memcpy(big, "min_uid = 5\n", 12);
	memset(big + 12, '#', POLICY_LINE_MAX + 1);
	big[12 + POLICY_LINE_MAX + 1] = '\n';
	refused_n(big, 12 + POLICY_LINE_MAX + 2, "line 2: longer than 1024 bytes");
}

Test(policy_parse, file_size)
{
	struct policy p;
	size_t size = 65 * 1024, i;
	char *buf = malloc(size);

	cr_assert_not_null(buf);
	for (i = 0; i < size; i++)
		buf[i] = i % 64 == 63 ? '\n' : '#';
	cr_assert_eq(parse_n(buf, POLICY_FILE_MAX, &p), 0, "64 KiB: %s", err);
	refused_n(buf, POLICY_FILE_MAX + 1, "larger than 65536 bytes");
	refused_n(buf, size, "larger than 65536 bytes");
	free(buf);
}

Test(policy_parse, nul_bytes)
{
	refused_n("min_uid = 2000\0\n", 16, "line 1: NUL byte");
	refused_n("min_uid = 2000\n# a \0 comment\n", 29, "line 2: NUL byte");
	refused_n("\0", 1, "line 1: NUL byte");
	refused_n("min_uid = 20\0" "00\n", 16, "line 1: NUL byte");
}

Test(policy_parse, failed_parse_leaves_p_alone)
{
	struct policy p, before;
	const char *text = "min_uid = 2000\nallow_root = yes\nops = id\nbogus = 1\n";

	defaults(&p);
	p.min_uid = 4242;
	before = p;
	cr_assert_eq(policy_parse(text, strlen(text), &p, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "line 4: unknown key \"bogus\"");
	cr_assert_eq(memcmp(&p, &before, sizeof(p)), 0);
}

Test(policy_rules, caller)
{
	const gid_t supp[] = { 4, 24, 4242, 100 };
	const gid_t other[] = { 4, 24, 100 };
	const gid_t minus[] = { (gid_t)-1 };

	cr_assert_eq(policy_caller_allowed(0, 0, NULL, 0, (gid_t)-1), 1, "root always");
	cr_assert_eq(policy_caller_allowed(0, 7, other, 3, 4242), 1, "root always");
	cr_assert_eq(policy_caller_allowed(1000, 4242, NULL, 0, 4242), 1, "rgid");
	cr_assert_eq(policy_caller_allowed(1000, 1000, supp, 4, 4242), 1, "supplementary");
	cr_assert_eq(policy_caller_allowed(1000, 1000, other, 3, 4242), 0, "none");
	cr_assert_eq(policy_caller_allowed(1000, 1000, NULL, 4, 4242), 0, "NULL groups");
	cr_assert_eq(policy_caller_allowed(1000, 1000, supp, 2, 4242), 0, "only n counted");
	/* A missing caller group is (gid_t)-1, which matches no one. */
	cr_assert_eq(policy_caller_allowed(1000, (gid_t)-1, minus, 1, (gid_t)-1), 0);
	cr_assert_eq(policy_caller_allowed(1000, 1000, NULL, 0, (gid_t)-1), 0);
}

Test(policy_rules, caller_gid)
{
	struct policy p;
	struct group *g;

	defaults(&p);
	memcpy(p.caller_group, "no_such_group_pfa", sizeof("no_such_group_pfa"));
	cr_assert_eq(policy_caller_gid(&p), (gid_t)-1);
	memcpy(p.caller_group, "root", sizeof("root"));
	cr_assert_eq(policy_caller_gid(&p), 0);
	if ((g = getgrnam("nogroup")) != NULL) {
		memcpy(p.caller_group, "nogroup", sizeof("nogroup"));
		cr_assert_eq(policy_caller_gid(&p), g->gr_gid);
	}
	p.caller_group[0] = '\0';
	cr_assert_eq(policy_caller_gid(&p), (gid_t)-1);
	memset(p.caller_group, 'a', sizeof(p.caller_group));
	cr_assert_eq(policy_caller_gid(&p), (gid_t)-1, "unterminated name");
	cr_assert_eq(policy_caller_gid(NULL), (gid_t)-1);
}

Test(policy_rules, targets)
{
	struct policy p;

	defaults(&p);
	cr_assert_eq(policy_target_allowed(&p, 0), 0, "root needs allow_root");
	cr_assert_eq(policy_target_allowed(&p, 1), 0);
	cr_assert_eq(policy_target_allowed(&p, 999), 0, "below min_uid");
	cr_assert_eq(policy_target_allowed(&p, 1000), 1);
	cr_assert_eq(policy_target_allowed(&p, 65534), 1);
	cr_assert_eq(policy_target_allowed(&p, (uid_t)-2), 1);
	cr_assert_eq(policy_target_allowed(&p, (uid_t)-1), 0, "(uid_t)-1");
	p.allow_root = 1;
	cr_assert_eq(policy_target_allowed(&p, 0), 1);
	cr_assert_eq(policy_target_allowed(&p, 999), 0, "allow_root allows only 0");
	cr_assert_eq(policy_target_allowed(&p, (uid_t)-1), 0, "(uid_t)-1 even with allow_root");
	p.min_uid = 5000;
	cr_assert_eq(policy_target_allowed(&p, 4999), 0);
	cr_assert_eq(policy_target_allowed(&p, 5000), 1);
	cr_assert_eq(policy_target_allowed(NULL, 5000), 0);
}

Test(policy_rules, ops)
{
	struct policy p;

	defaults(&p);
	cr_assert_eq(policy_op_allowed(&p, "id"), 1, "all by default");
	cr_assert_eq(policy_op_allowed(&p, "file-read_2"), 1);
	cr_assert_eq(policy_op_allowed(&p, "ID"), 0, "malformed name");
	cr_assert_eq(policy_op_allowed(&p, ""), 0);
	cr_assert_eq(policy_op_allowed(&p, "a b"), 0);
	cr_assert_eq(policy_op_allowed(&p, "../id"), 0);
	cr_assert_eq(policy_op_allowed(&p, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 0, "33 bytes");
	cr_assert_eq(policy_op_allowed(&p, NULL), 0);
	cr_assert_eq(policy_op_allowed(NULL, "id"), 0);
	cr_assert_eq(parse("ops = id, exec\n", &p), 0);
	cr_assert_eq(policy_op_allowed(&p, "id"), 1);
	cr_assert_eq(policy_op_allowed(&p, "exec"), 1);
	cr_assert_eq(policy_op_allowed(&p, "exe"), 0);
	cr_assert_eq(policy_op_allowed(&p, "execs"), 0);
	cr_assert_eq(policy_op_allowed(&p, "file_read"), 0);
	cr_assert_eq(policy_op_allowed(&p, "all"), 0);
}

Test(policy_rules, timeouts)
{
	struct policy p;
	long t = 12345;

	defaults(&p);
	cr_assert_eq(policy_timeout(&p, -1, &t), 0);
	cr_assert_eq(t, 30, "-1 is the default");
	cr_assert_eq(policy_timeout(&p, 1, &t), 0);
	cr_assert_eq(t, 1);
	cr_assert_eq(policy_timeout(&p, 300, &t), 0);
	cr_assert_eq(t, 300);
	t = 12345;
	cr_assert_eq(policy_timeout(&p, 0, &t), -EINVAL);
	cr_assert_eq(policy_timeout(&p, 301, &t), -EINVAL, "over max");
	cr_assert_eq(policy_timeout(&p, -2, &t), -EINVAL);
	cr_assert_eq(policy_timeout(&p, LONG_MIN, &t), -EINVAL);
	cr_assert_eq(policy_timeout(&p, LONG_MAX, &t), -EINVAL);
	cr_assert_eq(t, 12345, "untouched on error");
	cr_assert_eq(policy_timeout(&p, 5, NULL), -EINVAL);
	cr_assert_eq(policy_timeout(NULL, 5, &t), -EINVAL);
	cr_assert_eq(parse("default_timeout = 7\nmax_timeout = 9\n", &p), 0);
	cr_assert_eq(policy_timeout(&p, -1, &t), 0);
	cr_assert_eq(t, 7);
	cr_assert_eq(policy_timeout(&p, 10, &t), -EINVAL);
}

/* policy_equal: what the helper compares when it reads the file again as
 * root during a request.  Same settings: equal, wherever the lines are. */
Test(policy_rules, equal_when_every_setting_is)
{
	static struct policy a, b;
	const char *text = "ops = id, auth\nmax_output = 2M\ngrant = cap_net_raw alice\n"
			   "caps_allowed = cap_net_raw\n";

	cr_assert_eq(parse(text, &a), 0, "%s", err);
	cr_assert_eq(parse(text, &b), 0, "%s", err);
	cr_assert(policy_equal(&a, &b), "the same text twice");
	cr_assert_eq(parse("# a new comment\n\nops = id, auth\nmax_output = 2M\n"
			   "grant = cap_net_raw alice\ncaps_allowed = cap_net_raw\n", &b), 0, "%s", err);
	cr_assert_neq(a.grant_line[0], b.grant_line[0]);
	cr_assert(policy_equal(&a, &b), "a comment moves the grant's line, nothing else");
	cr_assert_eq(parse("ops = id\nmax_output = 2M\ngrant = cap_net_raw alice\n"
			   "caps_allowed = cap_net_raw\n", &b), 0, "%s", err);
	cr_assert_not(policy_equal(&a, &b), "an op taken away");
	cr_assert_eq(parse("ops = id, auth\nmax_output = 2M\ncaps_allowed = cap_net_raw\n", &b), 0,
		     "%s", err);
	cr_assert_not(policy_equal(&a, &b), "a grant taken away");
	cr_assert_eq(parse("ops = id, auth\nmax_output = 2M\ngrant = cap_net_raw bob\n"
			   "caps_allowed = cap_net_raw\n", &b), 0, "%s", err);
	cr_assert_not(policy_equal(&a, &b), "a grant to someone else");
	cr_assert_eq(parse("ops = id, auth\nmax_output = 3M\ngrant = cap_net_raw alice\n"
			   "caps_allowed = cap_net_raw\n", &b), 0, "%s", err);
	cr_assert_not(policy_equal(&a, &b), "another max_output");
	cr_assert_eq(parse("ops = id, auth\nmax_output = 2M\ngrant = cap_net_raw alice\n"
			   "caps_allowed = all\n", &b), 0, "%s", err);
	cr_assert_not(policy_equal(&a, &b), "another ceiling");
	cr_assert_eq(parse("ops = id, auth\nmax_output = 2M\ngrant = cap_net_raw alice\n"
			   "caps_allowed = cap_net_raw\nallow_root = yes\n", &b), 0, "%s", err);
	cr_assert_not(policy_equal(&a, &b), "root allowed");
}
