/*
 * capconf.h — which capabilities a user is granted by a capability.conf in
 * pam_cap's format.  Documented in pipefork-as.conf(5), "CAPABILITIES AND
 * PAM_CAP".
 *
 * A line is blank, a comment (its first word starts with '#'), or an
 * entry: a capability list, then one or more of: a user name, "@group",
 * "*" (everyone), separated by spaces or tabs.  The capability list is
 * "none", "all", or libcap's IAB text (cap_iab_from_text): names or
 * numbers, comma-separated, each with optional prefixes '%' (inheritable,
 * as with no prefix), '^' (inheritable and ambient), '!' (dropped from the
 * bounding set).  The first entry that names the user decides, as in
 * pam_cap; the rest of the file is still checked.
 *
 * Mapped onto pipefork-as, whose child gets exactly its grants in I, A,
 * P, E and the bounding set and nothing else: a capability listed plain,
 * with '%' or with '^' is granted; '!' alone grants nothing (everything not
 * granted leaves the bounding set anyway); "none" and "all" grant nothing
 * ("all" is pam_cap's "keep what the process had": the child starts with
 * nothing).  Refused, with the whole file: a capability both granted and
 * '!'-dropped, one the running kernel does not know, a list element that
 * names none (libcap takes "cap_chown," and "!"), a '#' word after the
 * list, a line without users, "@" without a name, a control character
 * (CR included), a NUL, a line over CAPCONF_LINE_MAX bytes, a file over
 * CAPCONF_FILE_MAX.
 */
#ifndef PFA_HELPER_CAPCONF_H
#define PFA_HELPER_CAPCONF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CAPCONF_PATH "/etc/security/capability.conf"
#define CAPCONF_FILE_MAX 65536
#define CAPCONF_LINE_MAX 4095 /* pam_cap splits longer lines (fgets, 4096) */
#define CAPCONF_ERR_MAX 256

/* Who asks: the name PAM authenticated, and every gid the child will have
 * (primary and supplementary).  "@group" matches when the group's gid, as
 * getgrnam_r says, is among groups. */
struct capconf_user {
	const char *name;
	const gid_t *groups;
	size_t ngroups;
};

struct capconf_match {
	unsigned line; /* the first line that names the user; 0: none does */
	uint64_t mask; /* its grants, bit c = capability c; 0 when line is 0 */
};

/*
 * One entry, s[0..n) (not NUL-terminated), as on a line of the file.  0
 * and *mask = its grants; 1 for a blank or comment line; -EINVAL with
 * *why, a static reason ending in ':' and made to precede a quote of the
 * entry; -ENOMEM.
 */
int capconf_entry(const char *s, size_t n, uint64_t *mask, const char **why);

/* One capability, s[0..n): a name as libcap reads it or a plain decimal
 * number (not libcap's octal or hex), without prefix, known to the
 * running kernel.  0 and *cap; -EINVAL with *why a
 * static reason ending in ':'; -ENOMEM. */
int capconf_cap(const char *s, size_t n, int *cap, const char **why);

/* Does the entry s[0..n) name u?  0 with *yes, and *mask its grants when
 * it does; 1 for a blank or comment line (*yes 0); -EINVAL (a bad entry),
 * -EIO (a group lookup failed), -ENOMEM: the reason in err, without a
 * line number. */
int capconf_entry_match(const char *s, size_t n, const struct capconf_user *u, int *yes,
			uint64_t *mask, char *err, size_t errlen);

/* Check a whole text (not NUL-terminated); *all = what all its entries
 * grant together.  0; -EINVAL ("line N: reason" in err), -ENOMEM. */
int capconf_check(const char *text, size_t len, uint64_t *all, char *err, size_t errlen);

/* Check a whole text, and find the first entry for u.  0 and *m; -EINVAL
 * (bad text or u), -EIO (a group lookup failed), -ENOMEM: reason in err. */
int capconf_match(const char *text, size_t len, const struct capconf_user *u,
		  struct capconf_match *m, char *err, size_t errlen);

/* capconf_match on the file at path, read with conf_read_trusted (root's
 * regular file, no symlink, not group/world-writable, bounded).  A missing
 * file names no one: 0.  -EPERM (untrusted), -EIO, -EINVAL, -ENOMEM with
 * the reason in err. */
int capconf_load(const char *path, const struct capconf_user *u, struct capconf_match *m,
		 char *err, size_t errlen);

#endif
