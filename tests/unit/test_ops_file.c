#include "config.h"
/* Unit tests of the file operations (src/helper/ops/op_list.c, op_stat.c,
 * op_file.c) as any user: the renderers, which run in the root parent,
 * against what a broken or hostile child may send; and the list and stat
 * children on a real directory (run_nodrop: the child keeps the test's
 * credentials). */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "ops/ops.h"
#include "unit.h"

#define REC_HDR 24 /* op_list.c's record header */

/* Bytes a child sends on OP_CH_ENTRIES. */
struct wire {
	unsigned char buf[4096];
	size_t len;
};

/* Append a record; nl is the length it claims, name holds len bytes. */
static void
rec(struct wire *w, unsigned type, uint32_t mode, int64_t size, int64_t mtime, const char *name,
    size_t len, uint16_t nl)
{
	unsigned char *r = w->buf + w->len;

	cr_assert_leq(w->len + REC_HDR + len, sizeof(w->buf));
	memset(r, 0, REC_HDR);
	r[0] = (unsigned char)type;
	memcpy(r + 2, &nl, 2);
	memcpy(r + 4, &mode, 4);
	memcpy(r + 8, &size, 8);
	memcpy(r + 16, &mtime, 8);
	memcpy(r + REC_HDR, name, len);
	w->len += REC_HDR + len;
}

static int
send_wire(pfa_out *out, void *arg)
{
	const struct wire *w = arg;

	return pfa_out_write_channel(out, OP_CH_ENTRIES, w->buf, w->len) == 0 ? 0 : 1;
}

/* Run fn(arg) as the test user; *res gets the result.  Returns pfa_run's code. */
static int
run(pfa_fn fn, void *arg, struct pfa_result **res)
{
	struct pfa_opts o;

	opts_defaults(&o);
	return run_nodrop(&o, fn, arg, res);
}

/* The members op renders from res, inside an object: the text (caller
 * frees); the capture fd in *fdp (caller closes). */
static char *
render(const char *op, const struct pfa_result *res, int *fdp)
{
	struct json j;

	*fdp = capture_fd();
	json_init(&j, *fdp);
	json_begin_object(&j);
	op_find(op)->render(&j, res);
	json_end_object(&j);
	cr_assert_eq(json_flush(&j), 0);
	return capture_read(*fdp, NULL);
}

/* Render the entries a child sent and compare the text. */
static void
expect_list(const struct wire *w, const char *want)
{
	struct pfa_result *r = NULL;
	char *got;
	int fd;

	cr_assert_eq(run(send_wire, (void *)w, &r), 0);
	got = render("list", r, &fd);
	cr_assert_str_eq(got, want);
	free(got);
	close(fd);
	pfa_result_free(r);
}

#define MALFORMED "\"entries_error\":\"the operation sent a malformed entry\"}\n"

Test(list_render, a_valid_record)
{
	struct wire w = { .len = 0 };

	rec(&w, 1, 0644, 5, 7, "a", 1, 1);
	expect_list(&w, "{\"entries\":[{\"name\":\"a\",\"type\":\"file\",\"size\":5,\"mode\":\"0644\","
			"\"mtime\":7}]}\n");
}

Test(list_render, a_name_longer_than_what_arrived_ends_the_array)
{
	struct wire w = { .len = 0 };

	rec(&w, 1, 0644, 5, 7, "a", 1, 1);
	rec(&w, 1, 0644, 5, 7, "abc", 3, 0xffff);
	expect_list(&w, "{\"entries\":[{\"name\":\"a\",\"type\":\"file\",\"size\":5,\"mode\":\"0644\","
			"\"mtime\":7}]," MALFORMED);
}

Test(list_render, a_short_header_or_an_empty_name_is_malformed)
{
	struct wire w = { .len = 10 };

	memset(w.buf, 1, w.len);
	expect_list(&w, "{\"entries\":[]," MALFORMED);
	w.len = 0;
	rec(&w, 1, 0644, 5, 7, "", 0, 0);
	expect_list(&w, "{\"entries\":[]," MALFORMED);
}

Test(list_render, unknown_type_and_stray_mode_bits_are_mapped_not_copied)
{
	struct wire w = { .len = 0 };

	rec(&w, 200, 0xffffffffu, -1, INT64_MIN, "x", 1, 1);
	expect_list(&w, "{\"entries\":[{\"name\":\"x\",\"type\":\"other\",\"size\":-1,\"mode\":\"7777\","
			"\"mtime\":-9223372036854775808}]}\n");
}

Test(list_render, names_that_are_not_utf8_are_base64_and_flagged)
{
	struct wire w = { .len = 0 };

	rec(&w, 3, 0777, 3, 0, "\xff\xfe", 2, 2);
	rec(&w, 2, 0700, 0, 0, "new\nline\"", 9, 9);
	expect_list(&w, "{\"entries\":[{\"name\":\"//4=\",\"name_encoding\":\"base64\",\"type\":\"symlink\","
			"\"size\":3,\"mode\":\"0777\",\"mtime\":0},{\"name\":\"new\\nline\\\"\","
			"\"type\":\"dir\",\"size\":0,\"mode\":\"0700\",\"mtime\":0}]}\n");
}

/* A directory with a few entries, made by the test. */
static char dir[64];

static void
make_dir(void)
{
	static const char *const files[] = { "b", "a", "\xff", "m1:2,S", "B" };
	char p[128];
	int fd;

	strcpy(dir, "/tmp/pfa-ops-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		cr_assert_geq(fd = open(p, O_CREAT | O_WRONLY, 0600), 0);
		close(fd);
	}
	snprintf(p, sizeof(p), "%s/d", dir);
	cr_assert_eq(mkdir(p, 0750), 0);
	snprintf(p, sizeof(p), "%s/l", dir);
	cr_assert_eq(symlink("/nonexistent", p), 0);
}

static void
remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Run op's child on args with dir as the home directory. */
static int
run_op_child(const char *op, char *const *args, int nargs, size_t max_output,
	     struct pfa_result **res)
{
	extern char **environ;
	struct op_ctx c = { .args = args, .nargs = nargs, .home = dir, .env = environ,
			    .max_output = max_output };

	return run(op_find(op)->child, &c, res);
}

Test(list_child, sorted_by_bytes_lstat_and_base64_names, .init = make_dir, .fini = remove_dir)
{
	char dot[] = ".", *const args[] = { dot, NULL };
	struct pfa_result *r = NULL;
	char *got;
	int fd;

	cr_assert_eq(run_op_child("list", args, 1, 1 << 20, &r), 0);
	got = render("list", r, &fd);
	jq_expect(fd, "[.entries[] | .name] | join(\",\")", "B,a,b,d,l,m1:2,S,/w==");
	jq_expect(fd, "[.entries[] | .type] | join(\",\")", "file,file,file,dir,symlink,file,file");
	jq_expect(fd, ".entries[3].mode", "0750");
	jq_expect(fd, "[.entries[] | .name_encoding // \"-\"] | join(\",\")", "-,-,-,-,-,-,base64");
	free(got);
	close(fd);
	pfa_result_free(r);
}

Test(list_child, past_max_output_fails_with_efbig, .init = make_dir, .fini = remove_dir)
{
	char dot[] = ".", *const args[] = { dot, NULL };
	struct pfa_result *r = NULL;

	/* 7 entries: 7 * REC_HDR + 12 bytes of names = 180. */
	cr_assert_eq(run_op_child("list", args, 1, 180, &r), 0);
	pfa_result_free(r);
	cr_assert_eq(run_op_child("list", args, 1, 179, &r), PFA_ECALLBACK);
	cr_assert_str_eq(pfa_result_message(r), "EFBIG: File too large (list (more than 262144 "
						 "entries or max_output) .)");
	cr_assert_eq(pfa_result_total(r), 0, "no partial list");
	pfa_result_free(r);
}

Test(stat_child, a_symlink_is_itself_and_errors_are_named, .init = make_dir,
     .fini = remove_dir)
{
	char l[] = "l", n[] = "none", *const link[] = { l, NULL }, *const none[] = { n, NULL };
	struct pfa_result *r = NULL;
	char *got;
	int fd;

	cr_assert_eq(run_op_child("stat", link, 1, 1 << 20, &r), 0);
	got = render("stat", r, &fd);
	jq_expect(fd, "[.type, .mode, .size, .nlink] | map(tostring) | join(\",\")",
		  "symlink,0777,12,1");
	free(got);
	close(fd);
	pfa_result_free(r);
	cr_assert_eq(run_op_child("stat", none, 1, 1 << 20, &r), PFA_ECALLBACK);
	cr_assert_str_eq(pfa_result_message(r), "ENOENT: No such file or directory (lstat none)");
	pfa_result_free(r);
}
