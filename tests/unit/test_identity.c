/* Unit tests of target resolution (identity.c); no root needed. */
#include "config.h"

#include <criterion/criterion.h>
#include <pwd.h>
#include <string.h>
#include <sys/capability.h>

#include "internal.h"

Test(identity, root_refused_unless_allowed)
{
	pfa_identity *id = (void *)1;

	cr_assert_eq(pfa_identity_from_name("root", 0, &id), PFA_EROOT);
	cr_assert_null(id);
	cr_assert_eq(pfa_identity_from_uid(0, 0, &id), PFA_EROOT);
	cr_assert_null(id);
	cr_assert_eq(pfa_identity_from_name("root", PFA_ALLOW_ROOT, &id), 0);
	cr_assert_eq(pfa_identity_uid(id), 0);
	cr_assert_eq(pfa_identity_gid(id), 0);
	cr_assert_str_eq(pfa_identity_name(id), "root");
	pfa_identity_free(id);
	cr_assert_eq(pfa_identity_from_uid(0, PFA_ALLOW_ROOT, &id), 0);
	pfa_identity_free(id);
}

Test(identity, odd_uids_and_names_refused)
{
	pfa_identity *id;
	char longname[300];
	const char *bad[] = { "", "-n", "a:b", "a\nb", "\x1b[31mred", "tab\there", "del\x7f" };

	cr_assert_eq(pfa_identity_from_uid((uid_t)-1, 0, &id), PFA_EINVAL);
	cr_assert_eq(pfa_identity_from_uid((uid_t)-1, PFA_ALLOW_ROOT, &id), PFA_EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(pfa_identity_from_name(bad[i], 0, &id), PFA_EINVAL, "%zu", i);
		cr_assert_eq(pfa_name_valid(bad[i]), 0, "%zu", i);
	}
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(pfa_identity_from_name(longname, 0, &id), PFA_EINVAL);
	cr_assert_eq(pfa_name_valid(longname), 0);
	cr_assert_eq(pfa_name_valid(NULL), 0);
	longname[256] = '\0';
	cr_assert_eq(pfa_name_valid(longname), 1, "256 bytes");
	cr_assert_eq(pfa_name_valid("#-1"), 1);
	cr_assert_eq(pfa_name_valid("a-b.c@d"), 1);
	/* Valid characters but nobody by that name (sudo's "#-1"). */
	cr_assert_eq(pfa_identity_from_name("#-1", 0, &id), PFA_ENOUSER);
	cr_assert_eq(pfa_identity_from_name("no_such_user_pfa", 0, &id), PFA_ENOUSER);
	cr_assert_eq(pfa_identity_from_uid(3999999999u, 0, &id), PFA_ENOUSER);
	cr_assert_eq(pfa_identity_from_name("nobody", 0x80, &id), PFA_EINVAL, "unknown flag");
	cr_assert_eq(pfa_identity_from_name(NULL, 0, &id), PFA_EINVAL);
	cr_assert_eq(pfa_identity_from_name("nobody", 0, NULL), PFA_EINVAL);
}

Test(identity, resolves_passwd_and_groups)
{
	pfa_identity *id;
	struct passwd *pw = getpwnam("nobody");
	const gid_t *g;
	size_t n;
	int found = 0;

	cr_assert_not_null(pw);
	cr_assert_eq(pfa_identity_from_name("nobody", 0, &id), 0);
	cr_assert_eq(pfa_identity_uid(id), pw->pw_uid);
	cr_assert_eq(pfa_identity_gid(id), pw->pw_gid);
	cr_assert_str_eq(pfa_identity_home(id), pw->pw_dir);
	cr_assert_str_eq(pfa_identity_shell(id), pw->pw_shell);
	n = pfa_identity_groups(id, &g);
	cr_assert_geq(n, 1);
	for (size_t i = 0; i < n; i++) {
		found |= g[i] == pw->pw_gid;
		if (i > 0)
			cr_assert_lt(g[i - 1], g[i], "sorted, no duplicates");
	}
	cr_assert(found, "the primary group is in the list (initgroups)");
	pfa_identity_free(id);
	cr_assert_eq(pfa_identity_from_uid(pw->pw_uid, 0, &id), 0);
	cr_assert_str_eq(pfa_identity_name(id), "nobody");
	pfa_identity_free(id);
}

static int
cb_nothing(pfa_out *out, void *arg)
{
	(void)out;
	(void)arg;
	return 0;
}

/* PFA_NO_GROUPS: the ids without the group list; such an identity is not
 * run (no fork: the child would otherwise get no supplementary group at
 * all) until its list is set. */
Test(identity, no_groups_is_refused_until_set)
{
	pfa_identity *id;
	struct passwd *pw = getpwnam("nobody");
	struct pfa_result *r = (void *)1;
	const gid_t *g = (void *)1;
	gid_t one = 4242;

	cr_assert_not_null(pw);
	cr_assert_eq(pfa_identity_from_name("nobody", PFA_NO_GROUPS, &id), 0);
	cr_assert_eq(pfa_identity_uid(id), pw->pw_uid);
	cr_assert_eq(pfa_identity_gid(id), pw->pw_gid);
	cr_assert_eq(pfa_identity_groups(id, &g), 0);
	cr_assert_null(g);
	cr_assert_eq(pfa_run(id, NULL, cb_nothing, NULL, &r), PFA_EINVAL);
	cr_assert_null(r);
	cr_assert_eq(pfa_identity_set_groups(id, &one, 1), 0);
	cr_assert_neq(pfa_run(id, NULL, cb_nothing, NULL, &r), PFA_EINVAL, "runs once set");
	pfa_result_free(r);
	pfa_identity_free(id);
	cr_assert_eq(pfa_identity_from_uid(pw->pw_uid, PFA_NO_GROUPS, &id), 0);
	cr_assert_eq(pfa_identity_groups(id, NULL), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_nothing, NULL, &r), PFA_EINVAL);
	pfa_identity_free(id);
	cr_assert_eq(pfa_identity_from_uid(0, PFA_NO_GROUPS, &id), PFA_EROOT);
}

Test(identity, set_groups_normalises_and_bounds)
{
	pfa_identity *id;
	gid_t in[] = { 30, 10, 20, 10, 30 }, bad[] = { 5, (gid_t)-1 };
	const gid_t *g;

	cr_assert_eq(pfa_identity_from_name("nobody", 0, &id), 0);
	cr_assert_eq(pfa_identity_set_groups(id, in, 5), 0);
	cr_assert_eq(pfa_identity_groups(id, &g), 3);
	cr_assert_eq(g[0], 10);
	cr_assert_eq(g[1], 20);
	cr_assert_eq(g[2], 30);
	cr_assert_eq(pfa_identity_set_groups(id, bad, 2), PFA_EINVAL);
	cr_assert_eq(pfa_identity_groups(id, NULL), 3, "unchanged after a refusal");
	cr_assert_eq(pfa_identity_set_groups(id, NULL, 1), PFA_EINVAL);
	cr_assert_eq(pfa_identity_set_groups(id, in, 65537), PFA_EINVAL);
	cr_assert_eq(pfa_identity_set_groups(id, NULL, 0), 0);
	cr_assert_eq(pfa_identity_groups(id, NULL), 0);
	pfa_identity_free(id);
}

Test(identity, caps_mask_checked_against_kernel)
{
	pfa_identity *id;
	unsigned bits = (unsigned)cap_max_bits();

	cr_assert_eq(pfa_identity_from_name("nobody", 0, &id), 0);
	cr_assert_eq(pfa_identity_caps(id), 0);
	cr_assert_eq(pfa_identity_set_caps(id, 1ull << CAP_NET_BIND_SERVICE), 0);
	cr_assert_eq(pfa_identity_caps(id), 1ull << CAP_NET_BIND_SERVICE);
	if (bits < 64)
		cr_assert_eq(pfa_identity_set_caps(id, 1ull << bits), PFA_EINVAL);
	cr_assert_eq(pfa_identity_set_caps(NULL, 0), PFA_EINVAL);
	pfa_identity_free(id);
	cr_assert_eq(pfa_identity_uid(NULL), (uid_t)-1);
	cr_assert_null(pfa_identity_name(NULL));
}
