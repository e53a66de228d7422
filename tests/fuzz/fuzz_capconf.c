#include "config.h"
/*
 * fuzz_capconf.c — libFuzzer harness for the capability.conf parser
 * (capconf.c) on arbitrary bytes, not NUL-terminated, so that ASan sees
 * any read past the end.  The first byte picks the user's groups (none,
 * or root and adm, so that @group words reach NSS); the rest is the text.
 * Beyond memory safety it checks what the parser promises: check and
 * match agree; an accepted text grants only known capabilities, the
 * union of its lines' entries, and a match names a real line; a refused
 * one leaves the match {0, 0} and a short printable reason.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Isrc -Isrc/helper \
 *     tests/fuzz/fuzz_capconf.c src/helper/capconf.c src/helper/conffile.c -lcap \
 *     -o /tmp/fuzz_capconf
 *   /tmp/fuzz_capconf -max_total_time=30 -dict=tests/fuzz/capconf.dict \
 *     tests/fuzz/corpus/capconf
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "capconf.h"
#include "conffile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
check_reason(const char *err)
{
	size_t i, n = strnlen(err, CAPCONF_ERR_MAX);

	check(n > 0 && n < CAPCONF_ERR_MAX);
	for (i = 0; i < n; i++)
		check(err[i] >= 0x20 && err[i] < 0x7f);
}

/* Line by line, with capconf_entry: the same verdict and grants as the
 * whole text, and the matching line an entry.  *lines counts them. */
static void
check_lines(const char *text, size_t len, uint64_t all, unsigned match, unsigned *lines)
{
	const char *line, *why;
	size_t off = 0, n;
	uint64_t mask, any = 0;
	unsigned no = 0;
	int r;

	while (conf_next_line(text, len, &off, &line, &n)) {
		r = capconf_entry(line, n, &mask, &why);
		check(r == 0 || r == 1);
		check(++no != match || r == 0);
		any |= mask;
	}
	check(any == all);
	*lines = no;
}

static void
check_cap(const char *s, size_t n)
{
	const char *why;
	int cap;

	if (capconf_cap(s, n < 64 ? n : 64, &cap, &why) == 0)
		check(cap >= 0 && cap < cap_max_bits() && why[0] == '\0');
	else
		check(why[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const gid_t groups[] = { 0, 4 }; /* root, adm */
	struct capconf_user u = { "alice", groups, 0 };
	struct capconf_match m = { 99, 99 };
	char err[CAPCONF_ERR_MAX];
	const char *text;
	size_t len;
	uint64_t all = 99;
	unsigned lines;
	int rc, rm;

	if (size == 0)
		return 0;
	text = (const char *)data + 1;
	len = size - 1;
	if (data[0] & 1)
		u.ngroups = 2;
	rc = capconf_check(text, len, &all, err, sizeof(err));
	if (rc < 0)
		check_reason(err);
	rm = capconf_match(text, len, &u, &m, err, sizeof(err));
	check(rm == rc || (rc == 0 && rm == -EIO));
	if (rm < 0) {
		check_reason(err);
		check(m.line == 0 && m.mask == 0);
	} else {
		check(err[0] == '\0');
		check((m.mask & ~all) == 0 && (m.line != 0 || m.mask == 0));
		check((all >> cap_max_bits()) == 0);
		check_lines(text, len, all, m.line, &lines);
		check(m.line <= lines);
	}
	check_cap(text, len);
	return 0;
}
