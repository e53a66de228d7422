#include "config.h"
/* Unit tests of the JSON writer's base64 values (src/helper/json.c); part
 * of the test_json program. */

#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_writer.h"

static void
expect_base64(const char *in, const char *want)
{
	int fd = open_writer();
	char full[64];

	json_base64(&jw, in, strlen(in));
	snprintf(full, sizeof(full), "\"%s\"\n", want);
	expect_written(fd, full);
}

Test(json, base64_rfc4648_vectors)
{
	expect_base64("", "");
	expect_base64("f", "Zg==");
	expect_base64("fo", "Zm8=");
	expect_base64("foo", "Zm9v");
	expect_base64("foob", "Zm9vYg==");
	expect_base64("fooba", "Zm9vYmE=");
	expect_base64("foobar", "Zm9vYmFy");
}

/* Chunked base64 equals one-shot base64 at every chunk size. */
Test(json, base64_chunks_equal_one_shot)
{
	static const char in[] = "The quick brown fox jumps over the lazy dog, twice!";
	size_t n = sizeof(in) - 1;
	char *one, *got;
	int fd;

	fd = open_writer();
	json_base64(&jw, in, n);
	cr_assert_eq(json_flush(&jw), 0);
	one = capture_read(fd, NULL);
	close(fd);
	for (size_t step = 1; step <= 7; step++) {
		fd = open_writer();
		json_base64_begin(&jw);
		for (size_t off = 0; off < n; off += step)
			json_base64_chunk(&jw, in + off, n - off < step ? n - off : step);
		json_base64_chunk(&jw, in, 0);
		json_base64_end(&jw);
		cr_assert_eq(json_flush(&jw), 0);
		got = capture_read(fd, NULL);
		close(fd);
		cr_assert_str_eq(got, one, "step %zu", step);
		free(got);
	}
	free(one);
	fd = open_writer();
	json_base64_begin(&jw);
	json_string_chunk(&jw, "x", 1); /* a text chunk inside base64 is misuse */
	cr_assert_eq(jw.error, -EINVAL);
	close(fd);
}

static int
b64val(char c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* Strict decoder for the test: padded groups of four only. */
static size_t
b64decode(const char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0;
	int v[4], k;

	cr_assert_eq(n % 4, 0);
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++) {
			v[k] = s[i + k] == '=' && k >= 2 && i + 4 == n ? 0 : b64val(s[i + k]);
			cr_assert_geq(v[k], 0, "bad base64 at %zu", i + (size_t)k);
		}
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (s[i + 2] != '=')
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (s[i + 3] != '=')
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return o;
}

Test(json, base64_one_mib_round_trip)
{
	size_t n = 1 << 20, i, len, dl, extra;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned char *in = malloc(n + 2), *dec = malloc(n + 2);
	int fd = capture_fd();
	char *out;

	cr_assert(in && dec);
	for (i = 0; i < n + 2; i++)
		in[i] = (unsigned char)xorshift(&seed);
	for (extra = 0; extra < 3; extra++) { /* tails with two, one, no '=' */
		cr_assert_eq(ftruncate(fd, 0), 0);
		cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
		json_init(&jw, fd);
		json_base64(&jw, in, n + extra);
		out = written(fd, &len);
		cr_assert_eq(len, (n + extra + 2) / 3 * 4 + 3);
		cr_assert_eq(out[0], '"');
		cr_assert_str_eq(out + len - 2, "\"\n");
		dl = b64decode(out + 1, len - 3, dec);
		cr_assert_eq(dl, n + extra);
		cr_assert_eq(memcmp(dec, in, dl), 0);
		free(out);
	}
	free(in);
	free(dec);
	close(fd);
}
