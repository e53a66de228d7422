#include "config.h"
/*
 * fuzz_policy.c — libFuzzer harness for the pipefork-as.conf parser (and
 * the login.defs UID_MIN scanner) on arbitrary bytes, not NUL-terminated,
 * so that ASan sees any read past the end.  Beyond memory safety it checks
 * what the parser promises: an accepted text yields a policy within every
 * documented bound; a refused one leaves p alone and a short printable
 * reason.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Isrc -Isrc/helper \
 *     -Isrc/lib tests/fuzz/fuzz_policy.c src/helper/policy*.c src/helper/conffile.c \
 *     src/helper/capconf.c -lcap -o /tmp/fuzz_policy
 *   /tmp/fuzz_policy -max_total_time=30 tests/fuzz/corpus/policy
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "capconf.h"
#include "conffile.h"
#include "policy.h"
#include "policy_int.h"

#define NO_DEFS "/nonexistent/pfa-login.defs"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
check_name(const char *s, const char *chars)
{
	size_t n = strnlen(s, POLICY_NAME_MAX + 1);

	check(n >= 1 && n <= POLICY_NAME_MAX);
	check(strspn(s, chars) == n);
}

/* The capability keys: the ceiling within the kernel's capabilities, a
 * clean absolute path, and grant lines that are valid entries within the
 * ceiling, in file order. */
static void
check_caps(const struct policy *p)
{
	const char *line, *why;
	size_t off = 0, n, i, plen = strnlen(p->capability_conf, POLICY_PATH_MAX + 1);
	uint64_t mask;
	unsigned prev = 0;

	check(p->caps_allowed == POLICY_CAPS_ALL || (p->caps_allowed >> cap_max_bits()) == 0);
	check(plen <= POLICY_PATH_MAX);
	check(plen == 0 || p->capability_conf[0] == '/');
	for (i = 0; i < plen; i++)
		check(p->capability_conf[i] > 0x20 && p->capability_conf[i] < 0x7f);
	check(p->ngrants <= POLICY_GRANTS_MAX && p->grants_len <= POLICY_GRANT_TEXT_MAX);
	check(p->ngrants == 0 ? p->grants_len == 0 : p->grants[p->grants_len - 1] == '\n');
	for (i = 0; conf_next_line(p->grants, p->grants_len, &off, &line, &n); i++) {
		check(i < p->ngrants && p->grant_line[i] > prev);
		prev = p->grant_line[i];
		check(capconf_entry(line, n, &mask, &why) == 0);
		check((mask & ~p->caps_allowed) == 0);
	}
	check(i == p->ngrants);
}

static void
check_accepted(const struct policy *p)
{
	size_t i;

	check_name(p->caller_group, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789._-");
	check(p->caller_group[0] != '-');
	check(p->min_uid >= 1 && p->min_uid != (uid_t)-1);
	check(p->allow_root == 0 || p->allow_root == 1);
	check(p->ops_all == 1 ? p->nops == 0 : p->nops >= 1 && p->nops <= POLICY_OPS_MAX);
	for (i = 0; i < p->nops; i++)
		check_name(p->ops[i], "abcdefghijklmnopqrstuvwxyz0123456789_-");
	check(p->default_timeout >= 1 && p->default_timeout <= p->max_timeout);
	check(p->max_timeout <= 86400);
	check(p->max_output >= 1 && p->max_output <= 1024UL * 1024 * 1024);
	check_caps(p);
}

static void
check_refused(const struct policy *p, const struct policy *before, const char *err)
{
	size_t i, n = strnlen(err, POLICY_ERR_MAX);

	check(memcmp(p, before, sizeof(*p)) == 0);
	check(n > 0 && n < POLICY_ERR_MAX);
	for (i = 0; i < n; i++)
		check(err[i] >= 0x20 && err[i] < 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p, before;
	char err[POLICY_ERR_MAX];
	uid_t uid;

	policy_defaults(&p, NO_DEFS);
	before = p;
	if (policy_parse((const char *)data, size, &p, err, sizeof(err)) == 0)
		check_accepted(&p);
	else
		check_refused(&p, &before, err);
	if (policy_defs_uid_min((const char *)data, size, &uid) == 0)
		check(uid >= 1 && uid != (uid_t)-1);
	return 0;
}
