/*
 * op_remove.c — "remove PATH": in the child, as the user, relative to the
 * home directory: a file, symlink (never its target), fifo or socket is
 * unlinked; a directory is removed only when empty (rmdir(2): ENOTEMPTY
 * otherwise).  Never recursive.  Result: {}.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "ops.h"

static int
remove_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	const char *path = c->args[0];

	op_enter(c);
	if (unlink(path) == 0)
		return 0;
	/* Linux says EISDIR for a directory (POSIX allows EPERM). */
	if (errno != EISDIR)
		return op_errno(out, errno, "unlink", path);
	if (rmdir(path) != 0)
		return op_errno(out, errno, "rmdir", path);
	return 0;
}

const struct op op_remove = { "remove", 1, 0, 0, 1, 1, remove_child, NULL };
