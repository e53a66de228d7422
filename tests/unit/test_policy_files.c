#include "config.h"
/* Unit tests of policy.c on real files in a temp dir: UID_MIN from
 * login.defs, and policy_load's trust rules.  Cases that need a root-owned
 * file skip when not run as root. */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "tmpdir.h"

#define NO_DEFS "/nonexistent/pfa-login.defs"

static char err[POLICY_ERR_MAX];

TestSuite(policy_defs, .init = tmp_make, .fini = tmp_remove);
TestSuite(policy_load, .init = tmp_make, .fini = tmp_remove);

/* login.defs: UID_MIN read the way shadow reads it, but only plain decimal. */
Test(policy_defs, uid_min_variants)
{
	static const struct {
		const char *text, *why;
		uid_t want;
	} t[] = {
		{ "", "empty", 1000 },
		{ "UID_MIN 5000\n", "plain", 5000 },
		{ "UID_MIN\t\t5000\n", "tab-separated", 5000 },
		{ "  \tUID_MIN   5000 \t\r\n", "spaces and CRLF", 5000 },
		{ "UID_MAX 60000\nUID_MIN 2000", "no final newline", 2000 },
		{ "#UID_MIN 5000\n", "commented", 1000 },
		{ "# UID_MIN 5000\n", "commented", 1000 },
		{ "UID_MIN 50x0\n", "garbage", 1000 },
		{ "UID_MIN 5000 6000\n", "garbage", 1000 },
		{ "UID_MIN \"5000\"\n", "quoted", 1000 },
		{ "UID_MIN 0x1388\n", "hex", 1000 },
		{ "UID_MIN 010\n", "octal", 1000 },
		{ "UID_MIN -5\n", "negative", 1000 },
		{ "UID_MIN 0\n", "zero", 1000 },
		{ "UID_MIN 4294967294\n", "largest", 4294967294u },
		{ "UID_MIN 4294967295\n", "(uid_t)-1", 1000 },
		{ "UID_MIN 99999999999999999999999999\n", "huge", 1000 },
		{ "UID_MIN\n", "no value", 1000 },
		{ "UID_MIN=5000\n", "not a separator", 1000 },
		{ "UID_MINIMUM 5000\nSYS_UID_MIN 100\nuid_min 7\n", "other names", 1000 },
		{ "UID_MIN 2000\nUID_MIN 3000\n", "the last one wins", 3000 },
		{ "UID_MIN 2000\nUID_MIN 3x\n", "the last one is bad", 1000 },
		{ "UID_MIN 2000\nUID_MIN\n", "a line with no value is ignored", 2000 },
	};
	size_t i;

	cr_assert_eq(policy_uid_min(NO_DEFS), 1000, "missing");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_assert_eq(policy_uid_min(put_str("login.defs", t[i].text)), t[i].want, "%s",
			     t[i].why);
}

Test(policy_defs, binary_and_special_files)
{
	static const char bin[] = "UID_MIN 5000\n\0\xff\x01\nUID_MIN 6000\0\n";

	cr_assert_eq(policy_uid_min(put("bin", bin, sizeof(bin) - 1, 0644)), 1000);
	cr_assert_eq(policy_uid_min(put("bin", bin, 14, 0644)), 5000);
	cr_assert_eq(policy_uid_min(tmp), 1000, "a directory");
	cr_assert_eq(mkfifo(path_of("fifo"), 0644), 0);
	cr_assert_eq(policy_uid_min(path_of("fifo")), 1000, "a FIFO, without blocking");
}

Test(policy_defs, defaults_use_login_defs)
{
	struct policy p;

	policy_defaults(&p, put_str("login.defs", "UID_MIN 60001\n"));
	cr_assert_eq(p.min_uid, 60001);
}

static void
load_refused(const char *path, int want, const char *why)
{
	struct policy p, d;

	policy_defaults(&d, NO_DEFS);
	memset(&p, 0x5a, sizeof(p));
	cr_assert_eq(policy_load(path, NO_DEFS, &p, err, sizeof(err)), want, "%s", err);
	cr_assert_not_null(strstr(err, why), "got \"%s\", want \"%s\"", err, why);
	cr_assert_eq(memcmp(&p, &d, sizeof(p)), 0, "p is the defaults after an error");
}

Test(policy_load, good_file)
{
	struct policy p;

	need_root();
	cr_assert_eq(policy_load(put_str("conf", "min_uid = 2000\nops = id\n"), NO_DEFS, &p, err,
				 sizeof(err)),
		     0, "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_eq(p.min_uid, 2000);
	cr_assert_eq(p.nops, 1);
	cr_assert_eq(policy_load(put("c600", "allow_root = yes\n", 17, 0600), NO_DEFS, &p, err,
				 sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(p.allow_root, 1);
	cr_assert_eq(policy_load(put("c400", "", 0, 0400), NO_DEFS, &p, err, sizeof(err)), 0);
}

Test(policy_load, missing_file_means_defaults)
{
	struct policy p, d;

	policy_defaults(&d, NO_DEFS);
	memset(&p, 0x5a, sizeof(p));
	cr_assert_eq(policy_load(path_of("absent.conf"), NO_DEFS, &p, err, sizeof(err)), 0);
	cr_assert_eq(memcmp(&p, &d, sizeof(p)), 0);
	cr_assert_eq(policy_load("/nonexistent/dir/pfa.conf", NO_DEFS, &p, err, sizeof(err)), 0);
	/* The login.defs given is the one the defaults use. */
	cr_assert_eq(policy_load(path_of("absent.conf"), put_str("defs", "UID_MIN 3000\n"), &p,
				 err, sizeof(err)),
		     0);
	cr_assert_eq(p.min_uid, 3000);
	cr_assert_eq(policy_load(NULL, NO_DEFS, &p, err, sizeof(err)), -EINVAL);
	cr_assert_eq(policy_load(path_of("absent.conf"), NO_DEFS, NULL, err, sizeof(err)), -EINVAL);
}

Test(policy_load, symlink_refused)
{
	const char *real = put_str("real", "min_uid = 2000\n");

	cr_assert_eq(symlinkat(real, AT_FDCWD, path_of("link")), 0);
	load_refused(path_of("link"), -EPERM, "is a symbolic link");
	cr_assert_eq(symlinkat("absent", AT_FDCWD, path_of("dangling")), 0);
	load_refused(path_of("dangling"), -EPERM, "is a symbolic link");
}

Test(policy_load, group_writable_refused)
{
	need_root();
	load_refused(put("conf", "min_uid = 2000\n", 15, 0664), -EPERM,
		     "is writable by group or others");
	load_refused(put("conf", "min_uid = 2000\n", 15, 0620), -EPERM, "writable");
}

Test(policy_load, world_writable_refused)
{
	need_root();
	load_refused(put("conf", "min_uid = 2000\n", 15, 0646), -EPERM,
		     "is writable by group or others");
	load_refused(put("conf", "min_uid = 2000\n", 15, 01602), -EPERM, "writable");
}

Test(policy_load, not_owned_by_root_refused)
{
	const char *path;

	need_root();
	path = put("conf", "min_uid = 2000\n", 15, 0644);
	cr_assert_eq(chown(path, 12345, 0), 0);
	load_refused(path, -EPERM, "is not owned by root");
}

Test(policy_load, directory_refused)
{
	cr_assert_eq(mkdir(path_of("conf.d"), 0755), 0);
	load_refused(path_of("conf.d"), -EPERM, "is not a regular file");
}

Test(policy_load, fifo_refused_without_blocking, .timeout = 10)
{
	cr_assert_eq(mkfifo(path_of("fifo"), 0644), 0);
	load_refused(path_of("fifo"), -EPERM, "is not a regular file");
}

Test(policy_load, device_refused)
{
	load_refused("/dev/null", -EPERM, "is not a regular file");
}

Test(policy_load, oversize_refused)
{
	need_root();
	load_refused(put_newlines("big", POLICY_FILE_MAX + 1), -EPERM,
		     "is larger than 65536 bytes");
}

Test(policy_load, bad_content)
{
	need_root();
	load_refused(put_str("conf", "min_uid = 2000\nallow_root = maybe\n"), -EINVAL,
		     "line 2: allow_root: not yes or no");
}
