#include "config.h"
/* tmpdir.c — see tmpdir.h. */

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"

char tmp[64];

void
tmp_make(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/pfa-test-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

void
tmp_remove(void)
{
	DIR *d = opendir(tmp);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			(void)unlinkat(dirfd(d), e->d_name,
				       e->d_type == DT_DIR ? AT_REMOVEDIR : 0);
	closedir(d);
	(void)rmdir(tmp);
}

/* A skipped test does not run .fini: clean up first. */
void
need_root(void)
{
	if (geteuid() != 0) {
		tmp_remove();
		cr_skip_test("needs root (a root-owned file)");
	}
}

const char *
put(const char *name, const char *s, size_t len, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, s, len), (ssize_t)len);
	cr_assert_eq(fchmod(fd, mode), 0);
	cr_assert_eq(close(fd), 0);
	return path;
}

const char *
put_str(const char *name, const char *s)
{
	return put(name, s, strlen(s), 0644);
}

const char *
put_newlines(const char *name, size_t n)
{
	char *buf = malloc(n);
	const char *path;

	cr_assert_not_null(buf);
	memset(buf, '\n', n);
	path = put(name, buf, n, 0644);
	free(buf);
	return path;
}

const char *
path_of(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	return path;
}
