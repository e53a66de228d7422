#include "config.h"
/* Unit tests of capconf_load on real files in a temp dir: the same trust
 * rules as pipefork-as.conf.  Cases that need a root-owned file skip when
 * not run as root. */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capconf.h"
#include "tmpdir.h"

#define USER "pfa-alice"

static char err[CAPCONF_ERR_MAX];
static const struct capconf_user alice = { USER, NULL, 0 };

TestSuite(capconf_load, .init = tmp_make, .fini = tmp_remove);

/* path is refused with want and a message containing why; m is {0, 0}. */
static void
load_refused(const char *path, int want, const char *why)
{
	struct capconf_match m = { 99, 99 };

	cr_assert_eq(capconf_load(path, &alice, &m, err, sizeof(err)), want, "%s", err);
	cr_assert_not_null(strstr(err, why), "got \"%s\", want \"%s\"", err, why);
	cr_assert_eq(m.line, 0);
	cr_assert_eq(m.mask, 0);
}

Test(capconf_load, good_file)
{
	struct capconf_match m;

	need_root();
	cr_assert_eq(capconf_load(put_str("cap", "none bob\ncap_net_bind_service " USER "\n"),
				  &alice, &m, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_eq(m.line, 2);
	cr_assert_eq(m.mask, UINT64_C(1) << CAP_NET_BIND_SERVICE);
	cr_assert_eq(capconf_load(put("c400", "none *\n", 7, 0400), &alice, &m, err, sizeof(err)),
		     0);
	cr_assert_eq(m.line, 1);
	cr_assert_eq(m.mask, 0);
}

Test(capconf_load, missing_file_names_no_one)
{
	struct capconf_match m = { 99, 99 };

	cr_assert_eq(capconf_load(path_of("absent"), &alice, &m, err, sizeof(err)), 0);
	cr_assert_eq(m.line, 0);
	cr_assert_eq(m.mask, 0);
	cr_assert_str_eq(err, "");
	cr_assert_eq(capconf_load("/nonexistent/dir/capability.conf", &alice, &m, err, sizeof(err)),
		     0);
	cr_assert_eq(capconf_load(NULL, &alice, &m, err, sizeof(err)), -EINVAL);
	cr_assert_eq(capconf_load(path_of("absent"), NULL, &m, err, sizeof(err)), -EINVAL);
	cr_assert_eq(capconf_load(path_of("absent"), &alice, NULL, err, sizeof(err)), -EINVAL);
}

Test(capconf_load, symlink_refused)
{
	const char *real = put_str("real", "cap_chown " USER "\n");

	cr_assert_eq(symlinkat(real, AT_FDCWD, path_of("link")), 0);
	load_refused(path_of("link"), -EPERM, "is a symbolic link");
	cr_assert_eq(symlinkat("absent", AT_FDCWD, path_of("dangling")), 0);
	load_refused(path_of("dangling"), -EPERM, "is a symbolic link");
}

Test(capconf_load, writable_by_others_refused)
{
	static const char text[] = "cap_chown " USER "\n";

	need_root();
	load_refused(put("cap", text, sizeof(text) - 1, 0664), -EPERM,
		     "is writable by group or others");
	load_refused(put("cap", text, sizeof(text) - 1, 0646), -EPERM, "writable");
	load_refused(put("cap", text, sizeof(text) - 1, 0602), -EPERM, "writable");
}

Test(capconf_load, not_owned_by_root_refused)
{
	const char *path;

	need_root();
	path = put_str("cap", "cap_chown " USER "\n");
	cr_assert_eq(chown(path, 12345, 0), 0);
	load_refused(path, -EPERM, "is not owned by root");
}

Test(capconf_load, special_files_refused, .timeout = 10)
{
	cr_assert_eq(mkdir(path_of("dir"), 0755), 0);
	load_refused(path_of("dir"), -EPERM, "is not a regular file");
	cr_assert_eq(mkfifo(path_of("fifo"), 0644), 0);
	load_refused(path_of("fifo"), -EPERM, "is not a regular file");
	load_refused("/dev/null", -EPERM, "is not a regular file");
}

Test(capconf_load, oversize_refused)
{
	need_root();
	load_refused(put_newlines("big", CAPCONF_FILE_MAX + 1), -EPERM,
		     "is larger than 65536 bytes");
}

Test(capconf_load, bad_content_refused)
{
	need_root();
	load_refused(put_str("cap", "cap_chown " USER "\ncap_frobnicate bob\n"), -EINVAL,
		     "line 2: bad capability list: \"cap_frobnicate\"");
}
