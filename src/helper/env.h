/*
 * env.h — the environment an operation runs with: PAM's list
 * (pam_getenvlist, after open_session) plus a minimal safe one.  Nothing of
 * the caller's environment reaches it (sanitize cleared that first).
 *   HOME, USER, LOGNAME, SHELL  from the target's passwd entry (always: a
 *                               PAM module cannot make them lie)
 *   PATH                        PAM's if it set one, else ENV_SAFE_PATH
 *   everything else PAM set     as PAM set it (pam_env is the admin's)
 */
#ifndef PFA_HELPER_ENV_H
#define PFA_HELPER_ENV_H

#include <stddef.h>

#include "pipeforkas.h"

#define ENV_SAFE_PATH "/usr/local/bin:/usr/bin:/bin"
#define ENV_MAX 256          /* entries */
#define ENV_ENTRY_MAX 8192   /* bytes per entry */

/* A new NULL-terminated array (caller frees with env_free), or NULL with
 * *err = -ENOMEM / -E2BIG.  pam_env may be NULL. */
char **env_build(const pfa_identity *id, char *const *pam_env, int *err);
void env_free(char **env);

#endif
