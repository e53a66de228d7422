/*
 * op_mkdir.c — "mkdir PATH": the child, as the user, creates one directory
 * (never its parents) with mode 0700, relative to the home directory.  An
 * existing PATH fails with EEXIST, a missing parent with ENOENT.
 * Result: {}.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "ops.h"

static int
mkdir_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;

	op_enter(c);
	if (mkdir(c->args[0], 0700) != 0)
		return op_errno(out, errno, "mkdir", c->args[0]);
	return 0;
}

const struct op op_mkdir = { "mkdir", 1, 0, 0, 1, 1, mkdir_child, NULL };
