/*
 * op_id.c — "id": the child reports what it is: every uid and gid, its
 * groups, its five capability sets (hex, as in /proc/self/status),
 * no_new_privs, dumpable, its working directory and its environment.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ops.h"

static const struct {
	const char *status; /* key in /proc/self/status */
	const char *field;  /* key in the result */
} caps[] = {
	{ "CapInh", "cap_inheritable" }, { "CapPrm", "cap_permitted" },
	{ "CapEff", "cap_effective" },   { "CapBnd", "cap_bounding" },
	{ "CapAmb", "cap_ambient" },
};
#define NCAPS (sizeof(caps) / sizeof(caps[0]))

static void
send_caps(pfa_out *out)
{
	char buf[8192];
	ssize_t n = 0;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	size_t i;

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	for (i = 0; i < NCAPS; i++) {
		char key[16];
		const char *p;
		size_t kl = (size_t)snprintf(key, sizeof(key), "\n%s:\t", caps[i].status);
		if ((p = strstr(buf, key)) != NULL)
			pfa_out_str(out, caps[i].field, p + kl, strcspn(p + kl, "\n"));
	}
}

static void
send_groups(pfa_out *out)
{
	int n = getgroups(0, NULL);
	gid_t *g = n > 0 ? calloc((size_t)n, sizeof(*g)) : NULL;

	if (g != NULL && (n = getgroups(n, g)) > 0) {
		uint32_t v;
		for (int i = 0; i < n; i++) {
			v = (uint32_t)g[i];
			pfa_out_write_channel(out, OP_CH_GROUPS, &v, sizeof(v));
		}
	}
	free(g);
}

static int
id_child(pfa_out *out, void *arg)
{
	extern char **environ;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	char cwd[PATH_MAX];

	op_enter(arg);
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 1;
	pfa_out_int(out, "uid", ru);
	pfa_out_int(out, "euid", eu);
	pfa_out_int(out, "suid", su);
	pfa_out_int(out, "gid", rg);
	pfa_out_int(out, "egid", eg);
	pfa_out_int(out, "sgid", sg);
	send_groups(out);
	send_caps(out);
	pfa_out_int(out, "no_new_privs", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	pfa_out_int(out, "dumpable", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	if (getcwd(cwd, sizeof(cwd)) != NULL)
		pfa_out_str(out, "cwd", cwd, strlen(cwd));
	for (char **e = environ; e != NULL && *e != NULL; e++)
		pfa_out_write_channel(out, OP_CH_ENV, *e, strlen(*e) + 1);
	return pfa_out_flush(out) == 0 ? 0 : 1;
}

static void
render_str(struct json *j, const pfa_result *res, const char *key)
{
	const char *s;
	size_t len;

	json_key(j, key);
	if (pfa_result_get_str(res, key, &s, &len) == 0)
		json_string(j, s, len);
	else
		json_null(j);
}

/* "env": {"NAME": "value", ...} from NUL-separated NAME=value entries. */
static void
render_env(struct json *j, const pfa_result *res)
{
	size_t len, off = 0;
	const char *d = pfa_result_data(res, OP_CH_ENV, &len);

	json_key(j, "env");
	json_begin_object(j);
	while (off < len) {
		const char *e = d + off, *nul = memchr(e, '\0', len - off), *eq;
		size_t el = nul != NULL ? (size_t)(nul - e) : len - off;
		char name[256];
		eq = memchr(e, '=', el);
		if (eq != NULL && eq > e && (size_t)(eq - e) < sizeof(name)) {
			memcpy(name, e, (size_t)(eq - e));
			name[eq - e] = '\0';
			json_key(j, name);
			json_string(j, eq + 1, el - (size_t)(eq - e) - 1);
		}
		off += el + 1;
	}
	json_end_object(j);
}

static void
render_id(struct json *j, const pfa_result *res)
{
	static const char *const ids[] = { "uid", "euid", "suid", "gid", "egid", "sgid" };
	const uint32_t *g;
	size_t len, i;
	int64_t v;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		op_render_int(j, res, ids[i]);
	g = pfa_result_data(res, OP_CH_GROUPS, &len);
	json_key(j, "groups");
	json_begin_array(j);
	for (i = 0; i + sizeof(*g) <= len; i += sizeof(*g)) {
		uint32_t one;
		memcpy(&one, (const char *)g + i, sizeof(one));
		json_int(j, one);
	}
	json_end_array(j);
	for (i = 0; i < NCAPS; i++)
		render_str(j, res, caps[i].field);
	json_key(j, "no_new_privs");
	if (pfa_result_get_int(res, "no_new_privs", &v) == 0)
		json_bool(j, v == 1);
	else
		json_null(j);
	op_render_int(j, res, "dumpable");
	render_str(j, res, "cwd");
	render_env(j, res);
}

const struct op op_id = { "id", 1, 0, 0, 0, 0, id_child, render_id };
