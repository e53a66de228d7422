/*
 * op_stat.c — "stat PATH": the child, as the user, lstats PATH (relative to
 * the home directory; a symlink is reported as the symlink, never its
 * target).  Result: "type", "size", "mode" (op_file.h), "mtime" (seconds
 * since the epoch), "uid", "gid", "nlink".
 * MUST: the path is looked at only in the child; the parent renders
 * numbers and its own strings (op_file.h), nothing else.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "op_file.h"

static int
stat_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	const char *path = c->args[0];
	struct stat st;

	op_enter(c);
	if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return op_errno(out, errno, "lstat", path);
	if (pfa_out_int(out, "type", op_ftype_of(st.st_mode)) != 0 ||
	    pfa_out_int(out, "size", (int64_t)st.st_size) != 0 ||
	    pfa_out_int(out, "mode", (int64_t)(st.st_mode & 07777)) != 0 ||
	    pfa_out_int(out, "mtime", (int64_t)st.st_mtim.tv_sec) != 0 ||
	    pfa_out_int(out, "uid", (int64_t)st.st_uid) != 0 ||
	    pfa_out_int(out, "gid", (int64_t)st.st_gid) != 0 ||
	    pfa_out_int(out, "nlink", (int64_t)st.st_nlink) != 0)
		return 1;
	return 0;
}

static void
render_stat(struct json *j, const pfa_result *res)
{
	op_render_type_mode(j, res);
	op_render_int(j, res, "size");
	op_render_int(j, res, "mtime");
	op_render_int(j, res, "uid");
	op_render_int(j, res, "gid");
	op_render_int(j, res, "nlink");
}

const struct op op_stat = { "stat", 1, 0, 0, 1, 1, stat_child, render_stat };
