#include "config.h"
/* Unit tests of the streaming JSON writer: src/helper/json.c. */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "answer.h"
#include "capture.h"
#include "json_writer.h"

#define R "\\ufffd"
#define BYTES(s) s, sizeof(s) - 1

/* Chunks of in[0..n) cut at cuts[0..ncuts) (ascending); what the writer
 * outputs for that string value.  ncuts 0: json_string in one call. */
static char *
string_out(const void *in, size_t n, const size_t *cuts, size_t ncuts)
{
	const char *p = in;
	size_t i, at = 0;
	int fd = open_writer();
	char *out;

	if (ncuts == 0) {
		json_string(&jw, in, n);
	} else {
		json_string_begin(&jw);
		for (i = 0; i < ncuts; i++) {
			json_string_chunk(&jw, p + at, cuts[i] - at);
			at = cuts[i];
		}
		json_string_chunk(&jw, p + at, n - at);
		json_string_end(&jw);
	}
	out = written(fd, NULL);
	close(fd);
	return out;
}

/* The string value written for in[0..n) must be "want". */
static void
expect_string(const void *in, size_t n, const char *want)
{
	char *got = string_out(in, n, NULL, 0);
	size_t wl = strlen(want);

	cr_assert_eq(strlen(got), wl + 3, "for %zu bytes: %s", n, got);
	cr_assert_eq(got[0], '"');
	cr_assert_eq(memcmp(got + 1, want, wl), 0, "got %s want \"%s\"", got, want);
	cr_assert_str_eq(got + 1 + wl, "\"\n");
	cr_assert(utf8_valid(got, strlen(got)));
	free(got);
}

Test(json, control_bytes_and_del_as_u_escapes)
{
	char want[16];
	unsigned char c;

	for (c = 0; c < 0x20; c++) {
		if (c == '\n' || c == '\t' || c == '\r')
			snprintf(want, sizeof(want), "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
		else
			snprintf(want, sizeof(want), "\\u%04x", c);
		expect_string(&c, 1, want);
	}
	c = 0x7f;
	expect_string(&c, 1, "\\u007f");
	expect_string(BYTES("a\nb\x1b[31mc\0d"), "a\\nb\\u001b[31mc\\u0000d");
}

Test(json, quote_backslash_slash)
{
	expect_string(BYTES("\"\\/"), "\\\"\\\\/");
	expect_string(BYTES(""), "");
	expect_string(BYTES(" ~!"), " ~!");
}

Test(json, line_and_paragraph_separators)
{
	expect_string(BYTES("\xe2\x80\xa8"), "\\u2028");
	expect_string(BYTES("a\xe2\x80\xa9z"), "a\\u2029z");
	expect_string(BYTES("\xe2\x80\xa7"), "\xe2\x80\xa7");
	expect_string(BYTES("\xe2\x80\xaa"), "\xe2\x80\xaa");
}

static const char *const valid[] = {
	"\xc2\x80",         /* U+0080 */
	"\xdf\xbf",         /* U+07FF */
	"\xe0\xa0\x80",     /* U+0800 */
	"\xed\x9f\xbf",     /* U+D7FF */
	"\xee\x80\x80",     /* U+E000 */
	"\xef\xbf\xbf",     /* U+FFFF */
	"\xf0\x90\x80\x80", /* U+10000 */
	"\xf4\x8f\xbf\xbf", /* U+10FFFF */
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e \xe6\x97\xa5\xe6\x9c\xac",
	"\xc2\x9b\xef\xbb\xbf", /* C1 CSI and a BOM: valid, passed on */
};

Test(json, valid_utf8_unchanged)
{
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		cr_assert(utf8_valid(valid[i], strlen(valid[i])), "%zu", i);
		expect_string(valid[i], strlen(valid[i]), valid[i]);
	}
}

static const struct {
	const char *in;
	size_t len;
	const char *want;
} invalid[] = {
	{ BYTES("\x80"), R },                       /* lone continuation */
	{ BYTES("a\xbf" "b"), "a" R "b" },
	{ BYTES("\xc2"), R },                       /* truncated at the end */
	{ BYTES("\xe2\x82"), R },
	{ BYTES("\xf0\x9f\x98"), R },
	{ BYTES("\xe2\x82x"), R "x" },              /* truncated before ASCII */
	{ BYTES("\xc2\xc2\xa9"), R "\xc2\xa9" },    /* truncated before a lead */
	{ BYTES("\xc0\x80"), R R },                 /* overlong */
	{ BYTES("\xc1\xbf"), R R },
	{ BYTES("\xe0\x80\x80"), R R R },
	{ BYTES("\xe0\x9f\xbf"), R R R },
	{ BYTES("\xf0\x80\x80\x80"), R R R R },
	{ BYTES("\xf0\x8f\xbf\xbf"), R R R R },
	{ BYTES("\xed\xa0\x80"), R R R },           /* surrogates */
	{ BYTES("\xed\xbf\xbf"), R R R },
	{ BYTES("\xf4\x90\x80\x80"), R R R R },     /* past U+10FFFF */
	{ BYTES("\xe2\x28\xa1"), R "(" R },
	{ BYTES("\xf0\x9f\x98\x80\x80"), "\xf0\x9f\x98\x80" R },
	{ BYTES("\xe1\x80\xe2\x80\xa8"), R "\\u2028" },
};

Test(json, invalid_utf8_becomes_fffd_per_maximal_subpart)
{
	unsigned char b[4];
	size_t i;

	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		cr_assert(!utf8_valid(invalid[i].in, invalid[i].len), "%zu", i);
		expect_string(invalid[i].in, invalid[i].len, invalid[i].want);
	}
	for (i = 0xf5; i <= 0xff; i++) {
		b[0] = (unsigned char)i;
		b[1] = b[2] = b[3] = 0x80;
		cr_assert(!utf8_valid(b, 1));
		expect_string(b, 1, R);
		expect_string(b, 4, R R R R);
	}
}

Test(json, utf8_valid_is_strict)
{
	cr_assert(utf8_valid(NULL, 0));
	cr_assert(utf8_valid("", 0));
	cr_assert(utf8_valid(BYTES("plain ascii\x7f\x01")));
	cr_assert(!utf8_valid(BYTES("\xf4\x8f\xbf")));
	cr_assert(!utf8_valid(BYTES("ok\xe0\xa0")));
	cr_assert(!utf8_valid(BYTES("\xf8\x88\x80\x80\x80")));
	cr_assert(!utf8_valid(BYTES("\xe0\xa0\xc0")));
}

/* Every kind of byte the escaper treats differently, in one string. */
static size_t
mixed_input(unsigned char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		cr_assert_lt(n + strlen(valid[i]), size);
		memcpy(buf + n, valid[i], strlen(valid[i]));
		n += strlen(valid[i]);
	}
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		cr_assert_lt(n + invalid[i].len + 2, size);
		memcpy(buf + n, invalid[i].in, invalid[i].len);
		n += invalid[i].len;
		buf[n++] = (unsigned char)(i % 2 ? '"' : '\n');
	}
	cr_assert_lt(n + 5, size);
	memcpy(buf + n, "\xe2\x80\xa9\xff\\", 5);
	return n + 5;
}

Test(json, chunks_split_anywhere_equal_one_shot)
{
	unsigned char in[512];
	size_t n = mixed_input(in, sizeof(in)), cuts[2], i, k;
	char *one = string_out(in, n, NULL, 0), *got;

	for (i = 0; i <= n; i++) {
		cuts[0] = i;
		got = string_out(in, n, cuts, 1);
		cr_assert_str_eq(got, one, "cut at %zu", i);
		free(got);
		for (k = i; k <= n && k < i + 5; k++) {
			cuts[1] = k;
			got = string_out(in, n, cuts, 2);
			cr_assert_str_eq(got, one, "cuts at %zu, %zu", i, k);
			free(got);
		}
	}
	free(one);
}

Test(json, chunks_of_one_byte_and_empty_chunks_equal_one_shot)
{
	unsigned char in[512];
	size_t n = mixed_input(in, sizeof(in)), cuts[1024], i;
	char *one = string_out(in, n, NULL, 0), *got;

	cr_assert_leq(2 * n, sizeof(cuts) / sizeof(cuts[0]));
	for (i = 0; i < 2 * n; i++)
		cuts[i] = i / 2; /* every byte alone, an empty chunk after each */
	got = string_out(in, n, cuts, 2 * n);
	cr_assert_str_eq(got, one);
	free(got);
	free(one);
}

Test(json, ints_full_range)
{
	static const struct {
		long long v;
		const char *want;
	} t[] = {
		{ 0, "0\n" }, { 7, "7\n" }, { -1, "-1\n" }, { 1000000, "1000000\n" },
		{ LLONG_MAX, "9223372036854775807\n" }, { LLONG_MIN, "-9223372036854775808\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int fd = open_writer();

		json_int(&jw, t[i].v);
		expect_written(fd, t[i].want);
	}
}

Test(json, commas_and_nesting)
{
	int fd = open_writer();

	json_begin_object(&jw);
	json_key(&jw, "a");
	json_int(&jw, 1);
	json_key(&jw, "b");
	json_begin_array(&jw);
	json_int(&jw, 1);
	json_cstring(&jw, "x");
	json_begin_object(&jw);
	json_end_object(&jw);
	json_begin_array(&jw);
	json_end_array(&jw);
	json_end_array(&jw);
	json_key(&jw, "c");
	json_cstring(&jw, NULL);
	json_key(&jw, "d");
	json_bool(&jw, 1);
	json_key(&jw, "e\"\n");
	json_bool(&jw, 0);
	json_end_object(&jw);
	cr_assert_eq(json_flush(&jw), 0);
	jq_expect(fd, ".b[1]", "x");
	expect_written(fd, "{\"a\":1,\"b\":[1,\"x\",{},[]],\"c\":null,\"d\":true,"
			   "\"e\\\"\\n\":false}\n");
}

Test(json, document_larger_than_buffer)
{
	int fd = open_writer(), i;
	char item[64], *got;
	size_t len;

	json_begin_array(&jw);
	for (i = 0; i < 80000; i++) {
		snprintf(item, sizeof(item), "item-%d-\xc3\xa9\"\t", i);
		json_begin_object(&jw);
		json_key(&jw, "n");
		json_int(&jw, i);
		json_key(&jw, "s");
		json_cstring(&jw, item);
		json_end_object(&jw);
	}
	json_end_array(&jw);
	got = written(fd, &len);
	cr_assert_gt(len, 20 * sizeof(jw.buf));
	cr_assert_eq(strchr(got, '\n'), got + len - 1);
	cr_assert(utf8_valid(got, len));
	jq_expect(fd, "length", "80000");
	jq_expect(fd, ".[79999].s", "item-79999-\xc3\xa9\"\t");
	jq_expect(fd, "[.[].n] == [range(80000)]", "true");
	free(got);
	close(fd);
}

Test(json, depth_limit)
{
	int fd = open_writer(), i;
	char *got;
	size_t len;

	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_begin_array(&jw);
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		json_end_array(&jw);
	cr_assert_eq(json_flush(&jw), 0);
	jq_expect(fd, "[paths] | length", "15");

	cr_assert_eq(ftruncate(fd, 0), 0);
	json_init(&jw, fd);
	for (i = 0; i < JSON_DEPTH_MAX + 5; i++) {
		json_begin_object(&jw);
		json_key(&jw, "k");
	}
	cr_assert_eq(jw.depth, JSON_DEPTH_MAX);
	json_cstring(&jw, "more");
	for (i = 0; i < JSON_DEPTH_MAX + 5; i++)
		json_end_object(&jw);
	cr_assert_eq(json_flush(&jw), -EOVERFLOW);
	got = capture_read(fd, &len);
	cr_assert_eq(len, 0);
	free(got);
	close(fd);
}

/* A misuse that would write invalid JSON: -EINVAL, nothing written. */
static void
expect_misuse(void (*f)(struct json *))
{
	int fd = open_writer();
	char *got;
	size_t len;

	f(&jw);
	cr_assert_eq(jw.error, -EINVAL);
	json_begin_array(&jw);
	json_end_array(&jw);
	cr_assert_eq(json_flush(&jw), -EINVAL);
	got = capture_read(fd, &len);
	cr_assert_eq(len, 0, "wrote %s", got);
	free(got);
	close(fd);
}

static void key_at_top(struct json *j) { json_key(j, "k"); }
static void key_in_array(struct json *j) { json_begin_array(j); json_key(j, "k"); }
static void value_without_key(struct json *j) { json_begin_object(j); json_int(j, 1); }
static void two_keys(struct json *j) { json_begin_object(j); json_key(j, "a"); json_key(j, "b"); }
static void end_after_key(struct json *j) { json_begin_object(j); json_key(j, "a"); json_end_object(j); }
static void wrong_end(struct json *j) { json_begin_object(j); json_end_array(j); }
static void end_at_top(struct json *j) { json_end_object(j); }
static void null_key(struct json *j) { json_begin_object(j); json_key(j, NULL); }
static void value_in_string(struct json *j) { json_string_begin(j); json_int(j, 1); }
static void chunk_outside(struct json *j) { json_string_chunk(j, "x", 1); }
static void end_outside(struct json *j) { json_string_end(j); }
static void null_string(struct json *j) { json_string(j, NULL, 1); }
static void null_base64(struct json *j) { json_base64(j, NULL, 1); }

Test(json, misuse_is_a_sticky_einval)
{
	expect_misuse(key_at_top);
	expect_misuse(key_in_array);
	expect_misuse(value_without_key);
	expect_misuse(two_keys);
	expect_misuse(end_after_key);
	expect_misuse(wrong_end);
	expect_misuse(end_at_top);
	expect_misuse(null_key);
	expect_misuse(value_in_string);
	expect_misuse(chunk_outside);
	expect_misuse(end_outside);
	expect_misuse(null_string);
	expect_misuse(null_base64);
}

Test(json, closed_pipe_is_a_sticky_epipe)
{
	int p[2], i;

	signal(SIGPIPE, SIG_IGN);
	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	json_init(&jw, p[1]);
	json_cstring(&jw, "first");
	cr_assert_eq(json_flush(&jw), -EPIPE);
	json_begin_array(&jw);
	for (i = 0; i < 10000; i++)
		json_cstring(&jw, "filling more than one buffer");
	json_end_array(&jw);
	cr_assert_eq(jw.used, 0);
	cr_assert_eq(json_flush(&jw), -EPIPE);
	close(p[1]);

	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	json_init(&jw, p[1]);
	json_begin_array(&jw); /* the first write is the buffer filling up */
	for (i = 0; i < 10000; i++)
		json_cstring(&jw, "filling more than one buffer");
	cr_assert_eq(jw.error, -EPIPE);
	cr_assert_eq(json_flush(&jw), -EPIPE);
	close(p[1]);
	cr_assert_eq(json_flush(&jw), -EPIPE);
}

/* A write failing in the middle of a base64 chunk: the rest of the chunk
 * is dropped, not carried (it once overflowed pend[] onto the stack). */
Test(json, base64_chunk_after_a_failed_write)
{
	static unsigned char big[1 << 20];
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	memset(big, 0xa5, sizeof(big));
	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	json_init(&jw, p[1]);
	json_base64_begin(&jw);
	json_base64_chunk(&jw, big, 1);
	cr_assert_eq(jw.npend, 1);
	json_base64_chunk(&jw, big, sizeof(big)); /* the writes fail inside */
	cr_assert_eq(jw.error, -EPIPE);
	cr_assert_leq(jw.npend, 2);
	json_base64_chunk(&jw, big, sizeof(big));
	json_base64_end(&jw);
	cr_assert_eq(jw.error, -EPIPE);
	cr_assert_leq(jw.npend, 2);
	close(p[1]);
}

Test(json, bad_fd)
{
	json_init(&jw, -1);
	json_null(&jw);
	cr_assert_eq(json_flush(&jw), -EBADF);
}

/* About 1.5 MiB of every kind of value. */
static void
big_doc(struct json *j)
{
	static unsigned char bin[100000];
	uint64_t seed = 42;
	size_t i;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)xorshift(&seed);
	json_begin_array(j);
	for (i = 0; i < 8; i++) {
		json_base64(j, bin, sizeof(bin) - i);
		json_string(j, (const char *)bin, sizeof(bin) - i);
		json_int(j, (long long)i);
	}
	json_end_array(j);
}

static volatile sig_atomic_t ticks;

static void
on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

/* In a child interrupted by SIGALRM every 100 us (no SA_RESTART), write
 * big_doc into a one-page pipe read slowly: short writes, EINTR and, with
 * nonblock, EAGAIN.  What arrives must equal big_doc written at once. */
static void
write_through_slow_pipe(int nonblock)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	int p[2], fd = open_writer(), st;
	size_t len, got = 0, reads = 0;
	char *want, *buf;
	ssize_t r;
	pid_t pid;

	big_doc(&jw);
	want = written(fd, &len);
	buf = malloc(len + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	if ((pid = fork()) == 0) {
		close(p[0]);
		if (nonblock)
			fcntl(p[1], F_SETFL, O_NONBLOCK);
		sigaction(SIGALRM, &sa, NULL);
		setitimer(ITIMER_REAL, &it, NULL);
		json_init(&jw, p[1]);
		big_doc(&jw);
		_exit(json_flush(&jw) == 0 && ticks > 0 ? 0 : 1);
	}
	cr_assert_gt(pid, 0);
	close(p[1]);
	while ((r = read(p[0], buf + got, len + 1 - got > 3000 ? 3000 : len + 1 - got)) > 0) {
		got += (size_t)r;
		if (++reads % 8 == 0)
			usleep(200);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer failed: %d", st);
	cr_assert_eq(got, len);
	cr_assert_eq(memcmp(buf, want, len), 0);
	free(want);
	free(buf);
	close(p[0]);
	close(fd);
}

Test(json, short_writes_and_eintr)
{
	write_through_slow_pipe(0);
}

Test(json, nonblocking_fd_waits)
{
	write_through_slow_pipe(1);
}

/* A reader that never reads cannot hold a writer with a deadline. */
Test(json, a_full_nonblocking_pipe_times_out_at_the_deadline)
{
	int p[2];
	char chunk[65536];
	long t0;

	memset(chunk, 'x', sizeof(chunk));
	cr_assert_eq(pipe2(p, O_NONBLOCK), 0);
	t0 = json_now_ms();
	for (int i = 0; i < 64; i++) {
		int r = json_write_all(p[1], chunk, sizeof(chunk), t0 + 300);
		if (r < 0) {
			cr_assert_eq(r, -ETIMEDOUT);
			break;
		}
	}
	cr_assert_geq(json_now_ms() - t0, 290);
	cr_assert_lt(json_now_ms() - t0, 5000);
	close(p[0]);
	close(p[1]);
}
