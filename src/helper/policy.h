/*
 * policy.h — step 3: pipefork-as.conf, who may call, which targets, ops and
 * limits.  Documented in pipefork-as.conf(5).
 *
 * MUST: the file is trusted only when it is a regular file (not a symlink,
 * opened with O_NOFOLLOW and checked with fstat), owned by root, and not
 * group- or world-writable; otherwise policy_load fails and the request ends
 * with config_error.  A missing file means the safe defaults.  The parser is
 * bounded (file <= 64 KiB, line <= 1024 bytes) and rejects unknown keys,
 * duplicate keys (grant excepted) and bad values: it never guesses.
 *
 * MUST: a user is granted capabilities only within caps_allowed, whose
 * default is none: an existing capability.conf, written for pam_cap, gives
 * nothing through pipefork-as until root opts in.
 */
#ifndef PFA_HELPER_POLICY_H
#define PFA_HELPER_POLICY_H

#include <stddef.h>
#include <stdint.h>
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
#define POLICY_GRANTS_MAX 32        /* grant lines */
#define POLICY_GRANT_TEXT_MAX 4096  /* their values together, each with "\n" */
#define POLICY_PATH_MAX 255         /* capability_conf */
#define POLICY_CAPS_ALL UINT64_MAX  /* caps_allowed = all */

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
	uint64_t caps_allowed; /* the ceiling, bit c = capability c; default 0
				* ("none"), POLICY_CAPS_ALL for "all" */
	char capability_conf[POLICY_PATH_MAX + 1]; /* default CAPCONF_PATH; ""
						    * for "none" */
	char grants[POLICY_GRANT_TEXT_MAX]; /* the grant values, in file order,
					     * each ended by "\n" */
	size_t grants_len;
	unsigned grant_line[POLICY_GRANTS_MAX]; /* the file's line of each */
	size_t ngrants;
};

/* Where a user's capabilities came from. */
enum policy_caps_from {
	POLICY_CAPS_FROM_NONE,    /* no entry names the user */
	POLICY_CAPS_FROM_GRANT,   /* a grant line of pipefork-as.conf */
	POLICY_CAPS_FROM_CAPCONF, /* the capability_conf file */
};

struct policy_caps {
	uint64_t mask;    /* what the child gets: bit c = capability c */
	uint64_t dropped; /* granted but outside caps_allowed, so left out */
	enum policy_caps_from from;
	unsigned line;    /* the line of that file that decided; 0 with NONE */
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
 * 1..86400, default <= max), max_output (bytes, 1..1 GiB, suffix K/M/G),
 * caps_allowed (capability names or numbers as libcap reads them,
 * separated by spaces or commas, or "all" or "none"), capability_conf (an
 * absolute path or "none"), grant (a capability.conf entry; may repeat, at
 * most POLICY_GRANTS_MAX; what it grants must lie within caps_allowed).
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

/* Do a and b decide alike: every setting and grant the same (the lines the
 * grants were on may differ: a comment added above one changes nothing)?
 * Compares field by field, never padding.  1 or 0. */
int policy_equal(const struct policy *a, const struct policy *b);

/*
 * The capabilities the child of user gets (groups: every gid it will
 * have).  The grant lines, then the capability_conf file, are one list:
 * the first entry that names the user decides, as in pam_cap; what it
 * grants outside caps_allowed is left out and shown in out->dropped.
 * With caps_allowed none, nothing is read and nothing granted.  A missing
 * capability_conf names no one.  0 and *out; -EPERM (untrusted file),
 * -EINVAL (bad file or arguments), -EIO (unreadable file, failed group
 * lookup), -ENOMEM: reason in err, and *out all zero.
 */
int policy_caps_for(const struct policy *p, const char *user, const gid_t *groups, size_t n,
		    struct policy_caps *out, char *err, size_t errlen);

/* The timeout to use: requested (seconds, -1 for the default) must be
 * 1..max_timeout.  0 and *out set, or -EINVAL. */
int policy_timeout(const struct policy *p, long requested, long *out);

#endif
