/*
 * answer.c — step 8: the one JSON document the helper writes on stdout
 * (docs/protocol.md).
 *
 * MUST: the keys in the documented order — "version", "op", "user", "uid",
 * "result", then "status", "error", "pam", "messages": the result can be
 * streamed before the outcome is known —, "version" first, every key always
 * present; the status name from the one table (status.c), never a second
 * copy; "user" and "uid" only from struct answer (the parent's own record,
 * never the child's frames); a malformed struct answer is refused before a
 * byte is written; one line ending in "\n", flushed before returning.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "answer.h"

/* 0 when a can be written as documented, else -EINVAL. */
static int
answer_check(const struct answer *a)
{
	size_t i, k;

	if (a == NULL || (a->nstages > 0 && a->stages == NULL) ||
	    (a->nmessages > 0 && a->messages == NULL))
		return -EINVAL;
	for (i = 0; i < a->nstages; i++) {
		if (a->stages[i].stage == NULL)
			return -EINVAL;
		/* A duplicate key would let two parsers read two codes. */
		for (k = 0; k < i; k++)
			if (strcmp(a->stages[k].stage, a->stages[i].stage) == 0)
				return -EINVAL;
	}
	return 0;
}

static void
write_pam(struct json *j, const struct answer *a)
{
	size_t i;

	json_key(j, "pam");
	json_begin_object(j);
	for (i = 0; i < a->nstages; i++) {
		json_key(j, a->stages[i].stage);
		json_begin_object(j);
		json_key(j, "code");
		json_int(j, a->stages[i].code);
		json_key(j, "name");
		json_cstring(j, a->stages[i].code_name);
		json_end_object(j);
	}
	json_end_object(j);
}

static void
write_messages(struct json *j, const struct answer *a)
{
	size_t i;

	json_key(j, "messages");
	json_begin_array(j);
	for (i = 0; i < a->nmessages; i++) {
		json_begin_object(j);
		json_key(j, "style");
		json_cstring(j, a->messages[i].style);
		json_key(j, "text");
		json_cstring(j, a->messages[i].text);
		json_end_object(j);
	}
	json_end_array(j);
}

/* The callback must write exactly one complete value. */
static void
write_result(struct json *j, const struct answer *a)
{
	int depth;

	if (a->result == NULL) {
		json_begin_object(j);
		json_end_object(j);
		return;
	}
	depth = j->depth;
	a->result(j, a->result_ctx);
	if (j->error == 0 && (j->depth != depth || j->after_key || j->in_string))
		j->error = -EINVAL;
}

int
answer_begin(struct json *j, const struct answer *a)
{
	int r;

	if ((r = answer_check(a)) < 0)
		return r;
	json_begin_object(j);
	json_key(j, "version");
	json_int(j, 1);
	json_key(j, "op");
	json_cstring(j, a->op);
	json_key(j, "user");
	json_cstring(j, a->user);
	json_key(j, "uid");
	if (a->uid < 0)
		json_null(j);
	else
		json_int(j, a->uid);
	json_key(j, "result");
	return j->error;
}

int
answer_end(struct json *j, const struct answer *a)
{
	int r;

	if ((r = answer_check(a)) < 0)
		return r;
	json_key(j, "status");
	json_cstring(j, status_name(a->status));
	json_key(j, "error");
	json_cstring(j, a->error);
	write_pam(j, a);
	write_messages(j, a);
	json_end_object(j);
	return json_flush(j);
}

int
answer_write(int fd, const struct answer *a, long deadline)
{
	/* Static, not on the stack: a 64 KiB frame is probed page by page
	 * (-fstack-clash-protection), 16 page faults for an answer that
	 * fills one or two pages.  One answer at a time (not reentrant). */
	static struct json j;
	int r;

	if ((r = answer_check(a)) < 0)
		return r;
	json_init(&j, fd);
	j.deadline = deadline;
	(void)answer_begin(&j, a);
	write_result(&j, a);
	return answer_end(&j, a);
}
