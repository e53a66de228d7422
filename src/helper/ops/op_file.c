/*
 * op_file.c — see op_file.h.
 * MUST: only fixed strings and digits the parent formats itself reach the
 * answer from here: a code or mode from the child selects or fills them,
 * it is never copied.
 */
#include "config.h"

#include <stdio.h>

#include "op_file.h"

static const char *const type_names[] = {
	[OP_FT_OTHER] = "other", [OP_FT_FILE] = "file",     [OP_FT_DIR] = "dir",
	[OP_FT_SYMLINK] = "symlink", [OP_FT_FIFO] = "fifo", [OP_FT_SOCKET] = "socket",
	[OP_FT_CHAR] = "char",   [OP_FT_BLOCK] = "block",
};

enum op_ftype
op_ftype_of(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return OP_FT_FILE;
	case S_IFDIR:
		return OP_FT_DIR;
	case S_IFLNK:
		return OP_FT_SYMLINK;
	case S_IFIFO:
		return OP_FT_FIFO;
	case S_IFSOCK:
		return OP_FT_SOCKET;
	case S_IFCHR:
		return OP_FT_CHAR;
	case S_IFBLK:
		return OP_FT_BLOCK;
	default:
		return OP_FT_OTHER;
	}
}

void
op_render_ftype(struct json *j, int64_t code)
{
	size_t n = sizeof(type_names) / sizeof(type_names[0]);

	json_key(j, "type");
	json_cstring(j, code >= 0 && (uint64_t)code < n ? type_names[code] : "other");
}

void
op_render_mode(struct json *j, int64_t mode)
{
	char s[8];

	snprintf(s, sizeof(s), "%04o", (unsigned)(mode & 07777));
	json_key(j, "mode");
	json_cstring(j, s);
}

void
op_render_type_mode(struct json *j, const pfa_result *res)
{
	int64_t v;

	if (pfa_result_get_int(res, "type", &v) == 0)
		op_render_ftype(j, v);
	else {
		json_key(j, "type");
		json_null(j);
	}
	if (pfa_result_get_int(res, "mode", &v) == 0)
		op_render_mode(j, v);
	else {
		json_key(j, "mode");
		json_null(j);
	}
}
