/*
 * env.c — see env.h.  MUST: bounded (ENV_MAX entries of ENV_ENTRY_MAX
 * bytes; more is an error, not a silent cut); the identity variables come
 * from the parent's own record; entries without '=' are dropped.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"

static const char *const fixed[] = { "HOME", "USER", "LOGNAME", "SHELL" };
#define NFIXED (sizeof(fixed) / sizeof(fixed[0]))

static int
is_fixed(const char *entry)
{
	size_t i;

	for (i = 0; i < NFIXED; i++) {
		size_t n = strlen(fixed[i]);
		if (strncmp(entry, fixed[i], n) == 0 && entry[n] == '=')
			return 1;
	}
	return 0;
}

static int
add(char **env, size_t *n, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);
	char *e;

	if (*n >= ENV_MAX || nl + 1 + vl + 1 > ENV_ENTRY_MAX)
		return -E2BIG;
	if ((e = malloc(nl + 1 + vl + 1)) == NULL)
		return -ENOMEM;
	memcpy(e, name, nl);
	e[nl] = '=';
	memcpy(e + nl + 1, value, vl + 1);
	env[(*n)++] = e;
	return 0;
}

char **
env_build(const pfa_identity *id, char *const *pam_env, int *err)
{
	char **env = calloc(ENV_MAX + 1, sizeof(char *));
	const char *vals[NFIXED];
	size_t n = 0, i;
	int have_path = 0, e = -ENOMEM;

	if (env == NULL)
		goto out;
	vals[0] = pfa_identity_home(id);
	vals[1] = vals[2] = pfa_identity_name(id);
	vals[3] = pfa_identity_shell(id);
	for (i = 0; i < NFIXED; i++)
		if ((e = add(env, &n, fixed[i], vals[i])) < 0)
			goto out;
	for (i = 0; pam_env != NULL && pam_env[i] != NULL; i++) {
		const char *eq = strchr(pam_env[i], '=');
		if (eq == NULL || eq == pam_env[i] || is_fixed(pam_env[i]))
			continue;
		have_path |= strncmp(pam_env[i], "PATH=", 5) == 0;
		e = -E2BIG;
		if (n >= ENV_MAX || strlen(pam_env[i]) >= ENV_ENTRY_MAX)
			goto out;
		e = -ENOMEM;
		if ((env[n] = strdup(pam_env[i])) == NULL)
			goto out;
		n++;
	}
	if (!have_path && (e = add(env, &n, "PATH", ENV_SAFE_PATH)) < 0)
		goto out;
	return env;
out:
	env_free(env);
	*err = e;
	return NULL;
}

void
env_free(char **env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; env[i] != NULL; i++) {
		explicit_bzero(env[i], strlen(env[i]));
		free(env[i]);
	}
	free(env);
}
