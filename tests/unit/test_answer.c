#include "config.h"
/* Unit tests of the answer document (src/helper/answer.c) and the syslog
 * line (src/helper/log.c). */

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answer.h"
#include "capture.h"

/* answer_write into a fresh memfd: the return value, the fd in *fdp and
 * the text in *outp (caller frees and closes). */
static int
write_answer(const struct answer *a, int *fdp, char **outp)
{
	int r;

	*fdp = capture_fd();
	r = answer_write(*fdp, a, 0);
	*outp = capture_read(*fdp, NULL);
	return r;
}

Test(answer, minimal_document_exactly)
{
	struct answer a = { .status = ST_OK, .uid = -1 };
	char *out;
	int fd;

	cr_assert_eq(write_answer(&a, &fd, &out), 0);
	cr_assert_str_eq(out, "{\"version\":1,\"op\":null,\"user\":null,\"uid\":null,"
			      "\"result\":{},\"status\":\"ok\",\"error\":null,\"pam\":{},"
			      "\"messages\":[]}\n");
	free(out);
	close(fd);
}

Test(answer, every_status_by_its_name)
{
	char want[64], *out;
	int st, fd;

	for (st = 0; st <= ST_COUNT; st++) {
		struct answer a = { .status = (enum status)st, .uid = -1 };

		cr_assert_eq(write_answer(&a, &fd, &out), 0);
		jq_expect(fd, ".status", status_name((enum status)st));
		snprintf(want, sizeof(want), ",\"result\":{},\"status\":\"%s\",",
			 st == ST_COUNT ? "internal_error" : status_name((enum status)st));
		cr_assert_not_null(strstr(out, want), "%s", out);
		free(out);
		close(fd);
	}
}

static const unsigned char blob[] = { 0, 0xff, 0xfe, '\n', 'x' };

/* A result like exec's: strings, base64 with its _encoding key, nesting. */
static void
exec_like_result(struct json *j, void *ctx)
{
	json_begin_object(j);
	json_key(j, "exit_code");
	json_int(j, *(int *)ctx);
	json_key(j, "stdout");
	json_cstring(j, "hello\n");
	json_key(j, "stderr");
	json_base64(j, blob, sizeof(blob));
	json_key(j, "stderr_encoding");
	json_cstring(j, "base64");
	json_key(j, "groups");
	json_begin_array(j);
	json_int(j, 100);
	json_int(j, 4294967294LL);
	json_end_array(j);
	json_end_object(j);
}

static const struct answer_stage stages[] = {
	{ "authenticate", 0, "PAM_SUCCESS" },
	{ "acct_mgmt", 0, "PAM_SUCCESS" },
	{ "open_session", 14, "PAM_SESSION_ERR" },
	{ "close_session", 0, NULL },
};

static const struct answer_msg msgs[] = {
	{ "info", "Last login: \"yesterday\"\n\x1b[31mred" },
	{ "error", "bad \xff byte" },
	{ NULL, NULL },
};

static struct answer
full_answer(int *code)
{
	struct answer a = {
		.status = ST_OP_FAILED, .user = "alice", .uid = 1000, .op = "exec",
		.stages = stages, .nstages = 4, .messages = msgs, .nmessages = 3,
		.error = "exit code 3", .result = exec_like_result, .result_ctx = code,
	};
	return a;
}

Test(answer, full_document_parses_and_reads_back)
{
	int code = 3, fd;
	struct answer a = full_answer(&code);
	char *out;

	cr_assert_eq(write_answer(&a, &fd, &out), 0);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line");
	cr_assert(utf8_valid(out, strlen(out)));
	jq_expect(fd, "type", "object");
	jq_expect(fd, "[inputs] | length", "0"); /* exactly one document */
	jq_expect(fd, "keys_unsorted | join(\",\")",
		  "version,op,user,uid,result,status,error,pam,messages");
	jq_expect(fd, ".version", "1");
	jq_expect(fd, ".status", "op_failed");
	jq_expect(fd, ".user", "alice");
	jq_expect(fd, ".uid", "1000");
	jq_expect(fd, ".op", "exec");
	jq_expect(fd, ".pam | keys_unsorted | join(\",\")",
		  "authenticate,acct_mgmt,open_session,close_session");
	jq_expect(fd, ".pam.open_session | \"\\(.code) \\(.name)\"", "14 PAM_SESSION_ERR");
	jq_expect(fd, ".pam.close_session.name", "null");
	jq_expect(fd, ".messages[0].style", "info");
	jq_expect(fd, ".messages[0].text", "Last login: \"yesterday\"\n\x1b[31mred");
	jq_expect(fd, ".messages[1].text", "bad \xef\xbf\xbd byte");
	jq_expect(fd, ".messages[2] | \"\\(.style) \\(.text)\"", "null null");
	jq_expect(fd, ".result.exit_code", "3");
	jq_expect(fd, ".result.stderr", "AP/+Cng=");
	jq_expect(fd, ".result.stderr_encoding", "base64");
	jq_expect(fd, ".result.groups[1]", "4294967294");
	jq_expect(fd, ".error", "exit code 3");
	free(out);
	close(fd);
}

Test(answer, large_result_streams_past_the_buffer)
{
	static char big[200000];
	int fd;
	char *out;
	struct answer a = { .status = ST_OK, .uid = 0 };

	memset(big, 'a', sizeof(big) - 1);
	a.error = big;
	cr_assert_eq(write_answer(&a, &fd, &out), 0);
	cr_assert_gt(strlen(out), sizeof(big));
	jq_expect(fd, ".error | length", "199999");
	jq_expect(fd, ".uid", "0");
	free(out);
	close(fd);
}

static void
leaves_object_open(struct json *j, void *ctx)
{
	(void)ctx;
	json_begin_object(j);
	json_key(j, "x");
	json_int(j, 1);
}

static void
writes_nothing(struct json *j, void *ctx)
{
	(void)j;
	(void)ctx;
}

static void
closes_too_much(struct json *j, void *ctx)
{
	(void)ctx;
	json_begin_object(j);
	json_end_object(j);
	json_end_object(j);
}

/* A malformed answer: -EINVAL and not a byte written. */
static void
expect_refused(const struct answer *a)
{
	char *out;
	int fd;

	cr_assert_eq(write_answer(a, &fd, &out), -EINVAL);
	cr_assert_str_eq(out, "");
	free(out);
	close(fd);
}

Test(answer, malformed_answers_write_nothing)
{
	static const struct answer_stage dup[] = {
		{ "authenticate", 7, "PAM_AUTH_ERR" },
		{ "authenticate", 0, "PAM_SUCCESS" },
	};
	static const struct answer_stage unnamed[] = { { NULL, 0, "PAM_SUCCESS" } };
	struct answer a = { .status = ST_OK, .uid = -1 };

	expect_refused(NULL);
	a.stages = dup;
	a.nstages = 2;
	expect_refused(&a);
	a.stages = unnamed;
	a.nstages = 1;
	expect_refused(&a);
	a.stages = NULL;
	expect_refused(&a);
	a.nstages = 0;
	a.nmessages = 1;
	expect_refused(&a);
	a.nmessages = 0;
	a.result = leaves_object_open;
	expect_refused(&a);
	a.result = writes_nothing;
	expect_refused(&a);
	a.result = closes_too_much;
	expect_refused(&a);
}

Test(answer, closed_stdout_is_epipe)
{
	int p[2], code = 0;
	struct answer a = full_answer(&code);

	signal(SIGPIPE, SIG_IGN);
	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	cr_assert_eq(answer_write(p[1], &a, 0), -EPIPE);
	close(p[1]);
}

/* ---- the syslog line ------------------------------------------------- */

Test(log, plain_line)
{
	char out[LOG_LINE_MAX];
	size_t n = log_format(out, sizeof(out), "alice", "bob", "pipefork-as", "id", "ok");

	cr_assert_str_eq(out, "caller=alice target=bob service=pipefork-as op=id outcome=ok");
	cr_assert_eq(n, strlen(out));
	n = log_format(out, sizeof(out), NULL, "", NULL, NULL, NULL);
	cr_assert_str_eq(out, "caller=- target= service=- op=- outcome=-");
	cr_assert_eq(n, strlen(out));
}

/* One line of printable ASCII: exactly four spaces, five '='. */
static void
expect_one_safe_line(const char *s, size_t n)
{
	size_t i, spaces = 0, eq = 0;

	cr_assert_eq(strlen(s), n);
	cr_assert_lt(n, LOG_LINE_MAX);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		cr_assert(c >= 0x20 && c < 0x7f, "raw byte %#x at %zu", c, i);
		spaces += c == ' ';
		eq += c == '=';
		cr_assert_neq(c, '"');
	}
	cr_assert_eq(spaces, 4);
	cr_assert_eq(eq, 5);
}

Test(log, hostile_fields_one_bounded_escaped_line)
{
	static const char head[] = "%n\n\x1b[31m a=b\\\"\xc3\xa9 outcome=ok";
	char name[5001], out[LOG_LINE_MAX];
	size_t n;

	memset(name, 'A', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name, head, sizeof(head) - 1);
	name[2000] = '\n';
	n = log_format(out, sizeof(out), name, name, "pipefork-as", NULL, "auth_failed");
	/* 27 bytes of head and 37 of "A" make LOG_FIELD_MAX, then "..." */
	expect_one_safe_line(out, n);
	cr_assert_str_eq(out,
		"caller=%n\\x0a\\x1b[31m\\x20a\\x3db\\x5c\\x22\\xc3\\xa9\\x20outcome\\x3dok"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA... "
		"target=%n\\x0a\\x1b[31m\\x20a\\x3db\\x5c\\x22\\xc3\\xa9\\x20outcome\\x3dok"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA... "
		"service=pipefork-as op=- outcome=auth_failed");
}

Test(log, worst_case_fits_log_line_max)
{
	char f[LOG_FIELD_MAX + 2], out[LOG_LINE_MAX + 8];
	size_t n;

	memset(f, '\x01', sizeof(f) - 1);
	f[sizeof(f) - 1] = '\0';
	memset(out, 'Z', sizeof(out));
	n = log_format(out, sizeof(out), f, f, f, f, f);
	cr_assert_eq(n, LOG_LINE_MAX - 1);
	cr_assert_eq(out[n], '\0');
	expect_one_safe_line(out, n);
}

Test(log, dots_only_past_the_limit)
{
	char f[LOG_FIELD_MAX + 2], out[LOG_LINE_MAX];

	memset(f, 'x', sizeof(f) - 1);
	f[LOG_FIELD_MAX] = '\0';
	log_format(out, sizeof(out), f, NULL, NULL, NULL, NULL);
	cr_assert_null(strstr(out, "..."));
	f[LOG_FIELD_MAX] = 'x';
	f[LOG_FIELD_MAX + 1] = '\0';
	log_format(out, sizeof(out), f, NULL, NULL, NULL, NULL);
	cr_assert_not_null(strstr(out, "x... target=-"));
}

Test(log, small_buffers_cut_whole_escapes)
{
	char full[LOG_LINE_MAX], out[LOG_LINE_MAX + 1];
	size_t len = log_format(full, sizeof(full), "a\nb", "t", "s", "o", "x"), size, n;

	out[0] = 'Z';
	cr_assert_eq(log_format(out, 0, "a", "b", "c", "d", "e"), 0);
	cr_assert_eq(out[0], 'Z');
	for (size = 1; size <= len + 1; size++) {
		memset(out, 'Z', sizeof(out));
		n = log_format(out, size, "a\nb", "t", "s", "o", "x");
		cr_assert_lt(n, size);
		cr_assert_eq(out[n], '\0');
		cr_assert_eq(out[size], 'Z', "wrote past %zu", size);
		cr_assert_eq(strncmp(out, full, n), 0);
		/* never half an escape: "caller=a\x0a" is cut before the '\' */
		cr_assert(n >= 12 || n <= 8, "size %zu cut at %zu: %s", size, n, out);
	}
	cr_assert_str_eq(out, full);
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

Test(log, attempt_leaves_no_fd_and_keeps_errno)
{
	int before = count_fds();

	errno = ENOENT;
	log_attempt("pfa-unit-test", "nobody\n%n", "pipefork-as", "id", "test", 1);
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(count_fds(), before);
}
