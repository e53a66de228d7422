/* ops.c — the table of operations and what they share. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ops.h"

extern const struct op op_auth, op_id, op_exec, op_read, op_write, op_list, op_stat, op_mkdir,
	op_rename, op_remove;

static const struct op *const table[] = {
	&op_auth, &op_id, &op_exec, &op_read, &op_write,
	&op_list, &op_stat, &op_mkdir, &op_rename, &op_remove,
};

const struct op op_auth = { "auth", 0, 0, 0, 0, 0, NULL, NULL };

const struct op *
op_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

void
op_enter(const struct op_ctx *c)
{
	extern char **environ;

	if (c->home == NULL || c->home[0] != '/' || chdir(c->home) != 0)
		(void)!chdir("/");
	environ = c->env;
}

int
op_errno(pfa_out *out, int err, const char *what, const char *path)
{
	char msg[512];
	const char *name = strerrorname_np(err);

	snprintf(msg, sizeof(msg), "%s: %s (%s %.300s)", name != NULL ? name : "EUNKNOWN",
		 strerror(err), what, path != NULL ? path : "");
	(void)pfa_out_message(out, msg);
	return 2;
}

void
op_render_int(struct json *j, const pfa_result *res, const char *key)
{
	int64_t v;

	json_key(j, key);
	if (pfa_result_get_int(res, key, &v) == 0)
		json_int(j, (long long)v);
	else
		json_null(j);
}

void
op_render_bytes(struct json *j, const char *key, const void *data, size_t len)
{
	char enc[80];

	json_key(j, key);
	if (utf8_valid(data, len)) {
		json_string(j, data, len);
		return;
	}
	json_base64(j, data, len);
	snprintf(enc, sizeof(enc), "%s_encoding", key);
	json_key(j, enc);
	json_cstring(j, "base64");
}
