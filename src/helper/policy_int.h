/*
 * policy_int.h — what policy.c and policy_parse.c share.  Not an API: the
 * rest of the helper uses policy.h only.
 */
#ifndef PFA_HELPER_POLICY_INT_H
#define PFA_HELPER_POLICY_INT_H

#include <stddef.h>
#include <sys/types.h>

#define POLICY_UID_MIN_DEFAULT 1000
#define POLICY_UID_LAST 4294967294UL /* (uid_t)-1 is never a uid */

/* 1 when s[0..n) is an op name: 1..POLICY_NAME_MAX bytes of [a-z0-9_-]. */
int policy_op_name(const char *s, size_t n);

/* UID_MIN in login.defs text (not NUL-terminated; the last UID_MIN line
 * wins, as in shadow's getdef).  0 and *out set; -ENOENT when there is no
 * such line; -EINVAL or -ERANGE when its value is not a plain decimal
 * 1..POLICY_UID_LAST. */
int policy_defs_uid_min(const char *text, size_t len, uid_t *out);

/* Past a list item and its separator (one comma and/or spaces and tabs):
 * the next item, or NULL at the end of the NUL-terminated v. */
const char *policy_list_next(const char *v);

struct policy;

/* The capability keys, in policy_caps.c: setters as in policy_parse.c (a
 * valid value stored in p, or -EINVAL with *why set).  policy_set_grant
 * appends; the caller records its line in grant_line[ngrants - 1]. */
int policy_set_caps_allowed(struct policy *p, const char *v, const char **why);
int policy_set_capability_conf(struct policy *p, const char *v, const char **why);
int policy_set_grant(struct policy *p, const char *v, const char **why);

/* After the whole file: does every grant lie within caps_allowed?  0, or
 * -EINVAL with "line N: ..." in err. */
int policy_caps_check(const struct policy *p, char *err, size_t errlen);

#endif
