/*
 * ops.h — the operations the helper can run, one file each.
 *
 * An operation's child function runs in the child of pfa_run, as the target
 * user, after the drop; it reports through pfa_out (fields and channels).
 * Its render function runs in the root parent and turns the child's result
 * into the "result" object of the answer: everything it reads came from a
 * process of the target user and is treated as untrusted data (bounded,
 * escaped), never as a verdict on identity.  Result shapes are documented
 * in docs/protocol.md and pipefork-as(8).
 */
#ifndef PFA_HELPER_OPS_H
#define PFA_HELPER_OPS_H

#include <stddef.h>

#include "answer.h"
#include "pipeforkas.h"
#include "sanitize.h"

/* Data channels the operations use.  A streaming operation sends its data
 * on OP_CH_TEXT (valid UTF-8 without NUL: a JSON string) or OP_CH_BINARY
 * (base64 in JSON), never both; the parent streams it to the caller. */
enum {
	OP_CH_STDOUT = 1,
	OP_CH_STDERR = 2,
	OP_CH_GROUPS = 3,
	OP_CH_ENV = 4,
	OP_CH_TEXT = 5,
	OP_CH_BINARY = 6,
	OP_CH_ENTRIES = 7,
};

/* What a child operation gets: built by the parent before fork, read-only. */
struct op_ctx {
	char *const *args;
	int nargs;
	const char *home;
	char **env;        /* the operation's environment (env.h) */
	size_t max_output; /* per output stream, from policy */
	int append;        /* --append */
	int raw;           /* --raw: the data's encoding does not matter */
	struct user_rlimit lim[SANITIZE_RLIMITS_MAX]; /* the caller's limits, for
							 exec's command (sanitize.h) */
	size_t nlim;
};

struct op {
	const char *name;
	int forks;      /* 0: nothing runs as the user (auth) */
	int streams;    /* 1: data on OP_CH_TEXT/OP_CH_BINARY is streamed as "data" */
	int input;      /* 1: reads the caller's input (what follows the password) */
	int min_args;
	int max_args;
	pfa_fn child;   /* arg is a const struct op_ctx * */
	/* Writes the members of "result" (inside the object) from the child's
	 * result; for a streaming op, the members other than "data". */
	void (*render)(struct json *j, const pfa_result *res);
};

/* The operation called name, or NULL. */
const struct op *op_find(const char *name);

/* Child side, first thing in every child function: chdir to the home
 * directory ("/" when that fails), then the environment becomes c->env. */
void op_enter(const struct op_ctx *c);

/* Child side: report errno err for what (e.g. "open Maildir/x") as the
 * operation's error message "ENOENT: No such file or directory (open
 * Maildir/x)"; returns the callback's failure code (2). */
int op_errno(pfa_out *out, int err, const char *what, const char *path);

/* Render helpers shared by operations. */
void op_render_int(struct json *j, const pfa_result *res, const char *key);
/* Channel data as a string member "key", or base64 with a sibling
 * "key_encoding":"base64" when it is not valid UTF-8. */
void op_render_bytes(struct json *j, const char *key, const void *data, size_t len);

#endif
