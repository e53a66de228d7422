/*
 * policy.h — step 3: pipefork-as.conf, who may call, which targets, ops and
 * limits.  Documented in pipefork-as.conf(5).
 *
 * MUST: the file is trusted only when it is a regular file (not a symlink,
 * opened with O_NOFOLLOW and checked with fstat), owned by root, and not
 * group- or world-writable; otherwise policy_load fails and the request ends
 * with config_error.  A missing file means the safe defaults.  The parser is
 * bounded (file <= 64 KiB, line <= 1024 bytes) and rejects unknown keys,
 * duplicate keys and bad values: it never guesses.
 */
#ifndef PFA_HELPER_POLICY_H
#define PFA_HELPER_POLICY_H

#include <stddef.h>
#include <sys/types.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define POLICY_PATH SYSCONFDIR "/pipefork-as.conf"
#define POLICY_LOGIN_DEFS "/etc/login.defs"
#define POLICY_FILE_MAX 65536
#define POLICY_LINE_MAX 1024
#define POLICY_OPS_MAX 32
#define POLICY_NAME_MAX 32
#define POLICY_ERR_MAX 256 /* room for any reason written to err */

struct policy {
	char caller_group[POLICY_NAME_MAX + 1]; /* default "pipefork" */
	uid_t min_uid;        /* default UID_MIN of login.defs, else 1000 */
	int allow_root;       /* default 0: uid 0 is never a target */
	int ops_all;          /* 1 (default): every op allowed */
	char ops[POLICY_OPS_MAX][POLICY_NAME_MAX + 1]; /* when !ops_all */
	size_t nops;
	long default_timeout; /* seconds, default 30 */
	long max_timeout;     /* seconds, default 300 */
	size_t max_output;    /* bytes, default 1 MiB */
};

/* The defaults; min_uid from login_defs (a path; NULL for the system's). */
void policy_defaults(struct policy *p, const char *login_defs);

/* UID_MIN from a login.defs file (the last UID_MIN line; only a plain
 * decimal 1..4294967294 counts), or 1000 when absent, unreadable or bad. */
uid_t policy_uid_min(const char *login_defs);

/*
 * Parse config text (not NUL-terminated) over the values already in p.
 * Syntax: "key = value" lines; '#' starts a comment line; blank lines ok.
 * Keys: caller_group, min_uid, allow_root (yes|no), ops (names separated by
 * spaces or commas, or "all"), default_timeout, max_timeout (seconds,
 * 1..86400, default <= max), max_output (bytes, 1..1 GiB, suffix K/M/G).
 * 0, or -EINVAL with the reason in err ("line N: reason" when a line is at
 * fault); p is changed only on success.  err may be NULL; else errlen
 * should be POLICY_ERR_MAX.
 */
int policy_parse(const char *text, size_t len, struct policy *p, char *err, size_t errlen);

/* Defaults, then the file at path if it exists and is trusted.  0;
 * -EPERM (untrusted file), -EINVAL (bad content), -EIO, -ENOMEM: reason in
 * err, and
 * p holds the defaults (never part of a file). */
int policy_load(const char *path, const char *login_defs, struct policy *p, char *err,
		size_t errlen);

/* May this caller use the helper?  ruid 0 always; else when rgid or one of
 * the groups (the process's own credentials, not the group file) is the
 * caller group's gid.  caller_gid is (gid_t)-1 when the group does not
 * exist.  1 or 0. */
int policy_caller_allowed(uid_t ruid, gid_t rgid, const gid_t *groups, size_t n,
			  gid_t caller_gid);

/* The gid of p->caller_group, or (gid_t)-1. */
gid_t policy_caller_gid(const struct policy *p);

/* May uid be a target?  uid 0 only with allow_root; others >= min_uid. */
int policy_target_allowed(const struct policy *p, uid_t uid);

/* Is the op allowed?  1 or 0. */
int policy_op_allowed(const struct policy *p, const char *op);

/* The timeout to use: requested (seconds, -1 for the default) must be
 * 1..max_timeout.  0 and *out set, or -EINVAL. */
int policy_timeout(const struct policy *p, long requested, long *out);

#endif
