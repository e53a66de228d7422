#include "config.h"
/* Unit tests of the capability keys of pipefork-as.conf (caps_allowed,
 * capability_conf, grant) and of policy_caps_for (policy_caps.c), with
 * capability.conf files in a temp dir.  Cases that need a root-owned file
 * skip when not run as root. */

#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "capconf.h"
#include "policy.h"
#include "tmpdir.h"

#define NO_DEFS "/nonexistent/pfa-login.defs"
#define B(c) (UINT64_C(1) << (c))
#define USER "pfa-alice"

static char err[POLICY_ERR_MAX];

static int
parse(const char *text, struct policy *p)
{
	policy_defaults(p, NO_DEFS);
	return policy_parse(text, strlen(text), p, err, sizeof(err));
}

static void
parsed(const char *text, struct policy *p)
{
	cr_assert_eq(parse(text, p), 0, "%s: %s", text, err);
}

static void
refused(const char *text, const char *want)
{
	struct policy p, before;

	policy_defaults(&before, NO_DEFS);
	p = before;
	cr_assert_eq(policy_parse(text, strlen(text), &p, err, sizeof(err)), -EINVAL,
		     "accepted: %s", text);
	cr_assert_not_null(strstr(err, want), "for %s: got \"%s\", want \"%s\"", text, err, want);
	cr_assert_eq(memcmp(&p, &before, sizeof(p)), 0, "p changed by a failed parse");
}

/* policy_caps_for(p, USER, groups) succeeds with out. */
static struct policy_caps
caps_g(const struct policy *p, const gid_t *groups, size_t n)
{
	struct policy_caps out;

	cr_assert_eq(policy_caps_for(p, USER, groups, n, &out, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(err, "");
	return out;
}

static struct policy_caps
caps(const struct policy *p)
{
	return caps_g(p, NULL, 0);
}

static void
caps_refused(const struct policy *p, int want, const char *why)
{
	struct policy_caps out;

	memset(&out, 0x5a, sizeof(out));
	cr_assert_eq(policy_caps_for(p, USER, NULL, 0, &out, err, sizeof(err)), want, "%s", err);
	cr_assert_not_null(strstr(err, why), "got \"%s\", want \"%s\"", err, why);
	cr_assert_eq(out.mask, 0);
	cr_assert_eq(out.dropped, 0);
	cr_assert_eq(out.from, POLICY_CAPS_FROM_NONE);
	cr_assert_eq(out.line, 0);
}

/* What policy_caps_for says for USER with no groups; returns `dropped`. */
static uint64_t
is(const struct policy *p, uint64_t mask, enum policy_caps_from from, unsigned line)
{
	struct policy_caps out = caps(p);

	cr_assert_eq(out.mask, mask, "mask %#llx, want %#llx", (unsigned long long)out.mask,
		     (unsigned long long)mask);
	cr_assert_eq(out.from, from);
	cr_assert_eq(out.line, line);
	return out.dropped;
}

/* A policy whose capability_conf is a temp file holding text. */
static void
with_capconf(struct policy *p, const char *policy_text, const char *capconf_text)
{
	char text[1024];

	snprintf(text, sizeof(text), "%scapability_conf = %s\n", policy_text,
		 capconf_text != NULL ? put_str("capability.conf", capconf_text)
				      : path_of("absent"));
	parsed(text, p);
}

TestSuite(policy_caps_keys);
TestSuite(policy_caps_for, .init = tmp_make, .fini = tmp_remove);

Test(policy_caps_keys, defaults)
{
	struct policy p;

	policy_defaults(&p, NO_DEFS);
	cr_assert_eq(p.caps_allowed, 0, "none: nothing is granted until root opts in");
	cr_assert_str_eq(p.capability_conf, "/etc/security/capability.conf");
	cr_assert_eq(p.ngrants, 0);
	cr_assert_eq(p.grants_len, 0);
}

Test(policy_caps_keys, caps_allowed)
{
	struct policy p;

	parsed("caps_allowed = all\n", &p);
	cr_assert_eq(p.caps_allowed, POLICY_CAPS_ALL);
	parsed("caps_allowed = none\n", &p);
	cr_assert_eq(p.caps_allowed, 0);
	parsed("caps_allowed = cap_net_bind_service\n", &p);
	cr_assert_eq(p.caps_allowed, B(CAP_NET_BIND_SERVICE));
	parsed("caps_allowed = cap_chown, cap_net_raw\tCAP_SETUID ,10\n", &p);
	cr_assert_eq(p.caps_allowed,
		     B(CAP_CHOWN) | B(CAP_NET_RAW) | B(CAP_SETUID) | B(CAP_NET_BIND_SERVICE));
	parsed("caps_allowed = 0\n", &p);
	cr_assert_eq(p.caps_allowed, B(CAP_CHOWN));
	/* libcap reads 010 as octal (8, CAP_SETPCAP) and 0x15 as 21
	 * (CAP_SYS_ADMIN): a padded number must not name another cap */
	refused("caps_allowed = 010\n", "a number must be plain decimal");
	refused("caps_allowed = 0x15\n", "a number must be plain decimal");
	refused("caps_allowed = cap_chown,0x0a\n", "a number must be plain decimal");
	refused("caps_allowed = 1e1\n", "a number must be plain decimal");
	refused("caps_allowed = cap_frob\n", "line 1: caps_allowed: unknown capability: \"cap_frob\"");
	refused("caps_allowed = cap_chown1\n", "unknown capability");
	refused("caps_allowed = all, cap_chown\n", "\"all\" and \"none\" must stand alone");
	refused("caps_allowed = cap_chown none\n", "must stand alone");
	refused("caps_allowed = cap_chown cap_chown\n", "capability listed twice");
	refused("caps_allowed = cap_chown,0\n", "capability listed twice");
	refused("caps_allowed = !cap_chown\n", "not one capability name or number");
	refused("caps_allowed = ^cap_chown\n", "not one capability name or number");
	refused("caps_allowed = 63\n", "capability not known to the running kernel: \"63\"");
	refused("caps_allowed = 64\n", "unknown capability");
	refused("caps_allowed = ,\n", "caps_allowed: empty capability name in list");
	refused("caps_allowed = cap_chown,,cap_setuid\n", "empty capability name");
	refused("caps_allowed = cap_chown,\n", "empty capability name");
	refused("caps_allowed = none\ncaps_allowed = all\n", "line 2: duplicate key caps_allowed");
}

Test(policy_caps_keys, capability_conf)
{
	struct policy p;
	char text[400];

	parsed("capability_conf = none\n", &p);
	cr_assert_str_eq(p.capability_conf, "");
	parsed("capability_conf = /etc/pfa/cap-ability.conf\n", &p);
	cr_assert_str_eq(p.capability_conf, "/etc/pfa/cap-ability.conf");
	snprintf(text, sizeof(text), "capability_conf = /%0*d\n", POLICY_PATH_MAX - 1, 0);
	parsed(text, &p);
	cr_assert_eq(strlen(p.capability_conf), POLICY_PATH_MAX);
	snprintf(text, sizeof(text), "capability_conf = /%0*d\n", POLICY_PATH_MAX, 0);
	refused(text, "capability_conf: path longer than 255 bytes");
	refused("capability_conf = etc/capability.conf\n", "not an absolute path or \"none\"");
	refused("capability_conf = None\n", "not an absolute path");
	refused("capability_conf = /etc/my caps\n", "bad character in path");
	refused("capability_conf = /etc/\x1b\n", "bad character in path");
	refused("capability_conf = /etc/\xc3\xa9\n", "bad character in path");
	refused("capability_conf = none\ncapability_conf = none\n", "duplicate key");
}

Test(policy_caps_keys, grants)
{
	struct policy p;

	parsed("caps_allowed = all\n"
	       "grant = cap_net_bind_service alice @mailadm\n"
	       "# between\n"
	       "grant=none   *\n",
	       &p);
	cr_assert_eq(p.ngrants, 2);
	cr_assert_eq(p.grant_line[0], 2);
	cr_assert_eq(p.grant_line[1], 4);
	cr_assert_eq(p.grants_len, strlen("cap_net_bind_service alice @mailadm\nnone   *\n"));
	cr_assert_eq(memcmp(p.grants, "cap_net_bind_service alice @mailadm\nnone   *\n",
			    p.grants_len),
		     0);
	/* The ceiling may come after the grants. */
	parsed("grant = ^cap_chown bob\ncaps_allowed = cap_chown\n", &p);
	cr_assert_eq(p.ngrants, 1);
}

Test(policy_caps_keys, bad_grants)
{
	refused("caps_allowed = all\ngrant = cap_frob alice\n",
		"line 2: grant: bad capability list: \"cap_frob alice\"");
	refused("caps_allowed = all\ngrant = cap_chown\n",
		"grant: no user or group after the capability list");
	refused("grant = # cap_chown alice\n", "grant: a comment is not a grant");
	refused("caps_allowed = all\ngrant = cap_chown alice # note\n", "a comment needs a line");
	refused("caps_allowed = all\ngrant = !^cap_chown alice\n", "both granted and dropped");
	refused("caps_allowed = all\ngrant = 63 alice\n", "not known to the running kernel");
	refused("caps_allowed = all\ngrant = cap_chown alice\x1b\n", "control character");
}

Test(policy_caps_keys, grants_must_lie_within_caps_allowed)
{
	struct policy p;

	refused("grant = cap_chown alice\n", "line 1: grant: cap_chown is not in caps_allowed");
	refused("caps_allowed = cap_chown\n\ngrant = cap_chown,cap_net_raw alice\n",
		"line 3: grant: cap_net_raw is not in caps_allowed");
	refused("caps_allowed = cap_chown\ngrant = cap_chown a\ngrant = ^cap_setuid b\n",
		"line 3: grant: cap_setuid is not in caps_allowed");
	/* What grants nothing needs no ceiling. */
	parsed("grant = none *\ngrant = all bob\ngrant = !cap_chown carol\n", &p);
	cr_assert_eq(p.ngrants, 3);
}

Test(policy_caps_keys, grant_limits)
{
	struct policy p;
	char text[POLICY_FILE_MAX], *t;
	size_t i;

	t = text + sprintf(text, "caps_allowed = all\n");
	for (i = 0; i < POLICY_GRANTS_MAX; i++)
		t += sprintf(t, "grant = cap_chown user%zu\n", i);
	parsed(text, &p);
	cr_assert_eq(p.ngrants, POLICY_GRANTS_MAX);
	cr_assert_eq(p.grant_line[POLICY_GRANTS_MAX - 1], POLICY_GRANTS_MAX + 1);
	sprintf(t, "grant = cap_chown late\n");
	refused(text, "line 34: grant: more than 32 grant lines");
	/* Lines of 1000 bytes: the fifth value passes 4096 bytes in all. */
	t = text + sprintf(text, "caps_allowed = all\n");
	for (i = 0; i < 5; i++) {
		t += sprintf(t, "grant = cap_chown ");
		memset(t, 'a' + (char)i, 982);
		t += 982;
		*t++ = '\n';
	}
	*t = '\0';
	refused(text, "line 6: grant: grant values longer than 4096 bytes in all");
}

Test(policy_caps_for, nothing_without_a_ceiling)
{
	struct policy p;

	/* caps_allowed none (the default): capability_conf is not even read. */
	need_root();
	with_capconf(&p, "", "cap_chown " USER "\nthis is not valid\n");
	cr_assert_eq(is(&p, 0, POLICY_CAPS_FROM_NONE, 0), 0);
	parsed("grant = none *\n", &p);
	is(&p, 0, POLICY_CAPS_FROM_NONE, 0);
}

Test(policy_caps_for, from_capability_conf)
{
	struct policy p;

	need_root();
	with_capconf(&p, "caps_allowed = all\n", "none bob\n^cap_net_bind_service " USER "\n");
	cr_assert_eq(is(&p, B(CAP_NET_BIND_SERVICE), POLICY_CAPS_FROM_CAPCONF, 2), 0);
}

Test(policy_caps_for, the_ceiling_leaves_out_the_rest)
{
	struct policy p;

	need_root();
	with_capconf(&p, "caps_allowed = cap_net_raw, cap_setuid\n",
		     "cap_chown,cap_net_raw,cap_sys_admin " USER "\n");
	cr_assert_eq(is(&p, B(CAP_NET_RAW), POLICY_CAPS_FROM_CAPCONF, 1),
		     B(CAP_CHOWN) | B(CAP_SYS_ADMIN));
}

Test(policy_caps_for, grants_come_first)
{
	struct policy p;

	need_root();
	with_capconf(&p,
		     "caps_allowed = all\n"
		     "grant = cap_chown bob\n"
		     "grant = cap_net_raw " USER "\n",
		     "cap_setuid " USER "\n");
	is(&p, B(CAP_NET_RAW), POLICY_CAPS_FROM_GRANT, 3); /* pipefork-as.conf's line */
	/* "none" in a grant line keeps capability.conf's entry away. */
	with_capconf(&p, "caps_allowed = all\ngrant = none " USER "\n", "cap_setuid " USER "\n");
	is(&p, 0, POLICY_CAPS_FROM_GRANT, 2);
	/* A grant for someone else: on to capability.conf. */
	with_capconf(&p, "caps_allowed = all\ngrant = cap_chown bob\n", "cap_setuid " USER "\n");
	is(&p, B(CAP_SETUID), POLICY_CAPS_FROM_CAPCONF, 1);
}

Test(policy_caps_for, grants_by_group)
{
	struct policy p;
	struct group *g = getgrnam("adm");
	gid_t adm;

	cr_assert_not_null(g);
	adm = g->gr_gid;
	parsed("caps_allowed = all\ncapability_conf = none\ngrant = cap_chown @adm\n", &p);
	cr_assert_eq(caps_g(&p, &adm, 1).mask, B(CAP_CHOWN));
	is(&p, 0, POLICY_CAPS_FROM_NONE, 0);
}

Test(policy_caps_for, missing_or_no_capability_conf)
{
	struct policy p;

	with_capconf(&p, "caps_allowed = all\n", NULL);
	is(&p, 0, POLICY_CAPS_FROM_NONE, 0);
	parsed("caps_allowed = all\ncapability_conf = none\n", &p);
	is(&p, 0, POLICY_CAPS_FROM_NONE, 0);
}

Test(policy_caps_for, bad_capability_conf_fails_closed)
{
	struct policy p;
	char want[POLICY_PATH_MAX + 64];

	need_root();
	with_capconf(&p, "caps_allowed = all\n", "cap_chown " USER "\ncap_frob bob\n");
	snprintf(want, sizeof(want), "%s: line 2: bad capability list: \"cap_frob\"",
		 p.capability_conf);
	caps_refused(&p, -EINVAL, want);
	with_capconf(&p, "caps_allowed = all\n", "cap_chown " USER "\n");
	cr_assert_eq(chmod(p.capability_conf, 0664), 0);
	caps_refused(&p, -EPERM, "is writable by group or others");
	cr_assert_eq(symlinkat("capability.conf", AT_FDCWD, path_of("link")), 0);
	strcpy(p.capability_conf, path_of("link"));
	caps_refused(&p, -EPERM, "link: is a symbolic link");
}

Test(policy_caps_for, bad_arguments)
{
	struct policy p;
	struct policy_caps out;
	gid_t g = 0;

	parsed("caps_allowed = all\ncapability_conf = none\n", &p);
	cr_assert_eq(policy_caps_for(&p, USER, NULL, 0, NULL, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_caps_for(NULL, USER, NULL, 0, &out, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_caps_for(&p, NULL, NULL, 0, &out, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_caps_for(&p, "", NULL, 0, &out, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_caps_for(&p, USER, NULL, 1, &out, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_caps_for(&p, USER, &g, 1, &out, NULL, 0), 0, "err may be NULL");
}
