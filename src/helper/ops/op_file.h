/*
 * op_file.h — what the file operations (op_write, op_list, op_stat,
 * op_mkdir, op_rename, op_remove) share.  Child side: a file's type as a
 * small code, computed from an lstat.  Parent side: the code and the mode
 * bits rendered as the documented strings.  The parent never trusts a
 * code or a mode from the child beyond mapping it through these tables.
 */
#ifndef PFA_HELPER_OP_FILE_H
#define PFA_HELPER_OP_FILE_H

#include <stdint.h>
#include <sys/stat.h>

#include "ops.h"

/* File types as the child reports them; the parent maps each to a name. */
enum op_ftype {
	OP_FT_OTHER = 0,
	OP_FT_FILE,
	OP_FT_DIR,
	OP_FT_SYMLINK,
	OP_FT_FIFO,
	OP_FT_SOCKET,
	OP_FT_CHAR,
	OP_FT_BLOCK,
};

/* Child side: the type of an st_mode. */
enum op_ftype op_ftype_of(mode_t mode);

/* Parent side: "type": "file" | "dir" | "symlink" | "fifo" | "socket" |
 * "char" | "block" | "other" (any code it does not know is "other"). */
void op_render_ftype(struct json *j, int64_t code);

/* Parent side: "mode": the permission bits (mode & 07777) as a string of
 * four octal digits, "0644". */
void op_render_mode(struct json *j, int64_t mode);

/* Parent side: op_render_ftype/op_render_mode from the int fields "type"
 * and "mode" of res, null when absent. */
void op_render_type_mode(struct json *j, const pfa_result *res);

#endif
