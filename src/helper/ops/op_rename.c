/*
 * op_rename.c — "rename FROM TO": rename(2), in the child, as the user,
 * both paths relative to the home directory.  Exactly what rename(2) does:
 * TO is replaced atomically when it exists and may be (a file over a file,
 * an empty directory over a directory); otherwise its error (EISDIR,
 * ENOTDIR, ENOTEMPTY, EXDEV, EACCES, ...) fails the operation.  A symlink
 * is renamed, never followed.  Result: {}.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "ops.h"

static int
rename_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	char both[300];
	int e;

	op_enter(c);
	if (rename(c->args[0], c->args[1]) == 0)
		return 0;
	e = errno;
	snprintf(both, sizeof(both), "%.140s -> %.140s", c->args[0], c->args[1]);
	return op_errno(out, e, "rename", both);
}

const struct op op_rename = { "rename", 1, 0, 0, 2, 2, rename_child, NULL };
