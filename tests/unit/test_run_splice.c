/*
 * Unit tests of the run engine's splice paths as any user (run_nodrop, as
 * in test_run.c, part of the same test program): pfa_out_splice in the
 * child, and a channel the parent splices to the host's fd.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "unit.h"

/* pfa_out_splice moves a file's bytes as data frames without copying them
 * through the callback; the result is byte-exact, across frame sizes. */
static int
cb_splice(pfa_out *out, void *arg)
{
	int fd = open(arg, O_RDONLY);
	size_t moved, total = 0;

	if (fd < 0)
		return 1;
	do {
		if (pfa_out_splice(out, 3, fd, 100000, &moved) != 0)
			return 2;
		total += moved;
	} while (moved > 0);
	close(fd);
	return pfa_out_int(out, "total", (int64_t)total);
}

Test(run, splice_moves_a_file_byte_exact)
{
	char path[] = "/tmp/pfa-splice-XXXXXX";
	int fd = mkstemp(path);
	size_t len = 300001, got;
	uint8_t *want = malloc(len);
	const uint8_t *d;
	struct pfa_result *r;
	int64_t total;

	for (size_t i = 0; i < len; i++)
		want[i] = (uint8_t)(i * 31 + (i >> 9));
	cr_assert_eq(write(fd, want, len), (ssize_t)len);
	close(fd);
	cr_assert_eq(run_nodrop(NULL, cb_splice, path, &r), 0);
	d = pfa_result_data(r, 3, &got);
	cr_assert_eq(got, len);
	cr_assert_eq(memcmp(d, want, len), 0);
	cr_assert_eq(pfa_result_get_int(r, "total", &total), 0);
	cr_assert_eq(total, (int64_t)len);
	pfa_result_free(r);
	unlink(path);
	free(want);
}

/* A splice channel: its data goes to an fd, not into the result. */
static int
cb_mixed(pfa_out *out, void *arg)
{
	size_t len = *(size_t *)arg;

	pfa_out_int(out, "before", 1);
	pfa_out_write_channel(out, 1, "other", 5);
	if (unit_cb_pattern(out, &len) != 0) /* channel 0: the spliced one */
		return 1;
	return pfa_out_int(out, "after", 2);
}

static void
check_pattern_file(const char *path, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t i = 0;
	int c;

	cr_assert_not_null(f);
	while ((c = fgetc(f)) != EOF) {
		if ((uint8_t)c != unit_pattern_byte(i))
			cr_assert_fail("byte %zu differs", i);
		i++;
	}
	fclose(f);
	cr_assert_eq(i, len);
}

static void
splice_to(int flags, size_t len)
{
	char path[] = "/tmp/pfa-splice-out-XXXXXX";
	int fd = mkstemp(path);
	struct pfa_opts o;
	struct pfa_result *r;
	int64_t v;
	size_t got;

	close(fd);
	fd = open(path, O_WRONLY | O_TRUNC | flags);
	opts_defaults(&o);
	o.max_result = 64u << 20;
	cr_assert_eq(pfa_opts_set_splice(&o, 0, fd), 0);
	cr_assert_eq(run_nodrop(&o, cb_mixed, &len, &r), 0);
	close(fd);
	check_pattern_file(path, len);
	pfa_result_data(r, 0, &got);
	cr_assert_eq(got, 0, "spliced data is not kept");
	cr_assert_str_eq(pfa_result_data(r, 1, &got), "other");
	cr_assert_eq(pfa_result_get_int(r, "after", &v), 0);
	cr_assert_eq(pfa_result_total(r), len + 5);
	pfa_result_free(r);
	unlink(path);
}

Test(run, splice_channel_to_a_file)
{
	splice_to(0, 20u << 20);
	splice_to(0, 1);
}

Test(run, splice_channel_falls_back_where_splice_cannot_go)
{
	splice_to(O_APPEND, 3u << 20); /* splice(2) refuses O_APPEND files */
}

Test(run, splice_channel_that_nobody_reads_ends_at_the_deadline)
{
	struct pfa_opts o;
	struct pfa_result *r;
	size_t len = 64u << 20;
	int p[2];
	double t0 = unit_now();

	cr_assert_eq(pipe2(p, O_NONBLOCK), 0);
	opts_defaults(&o);
	o.max_result = 128u << 20;
	o.timeout_ms = 500;
	cr_assert_eq(pfa_opts_set_splice(&o, 0, p[1]), 0);
	cr_assert_eq(run_nodrop(&o, unit_cb_pattern, &len, &r), PFA_EABORT);
	cr_assert_lt(unit_now() - t0, 5.0);
	pfa_result_free(r);
	close(p[0]);
	close(p[1]);
}
