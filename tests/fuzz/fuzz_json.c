/*
 * fuzz_json.c — libFuzzer harness for the string path of the JSON writer
 * (src/helper/json.c).  Input: byte 0 seeds how the rest is cut into
 * chunks (empty chunks included); the rest is the string.
 *
 * The base64 path too: chunked output equals the one-shot output and
 * decodes to the input; and with the writer's buffer nearly full and the
 * reader gone (every write fails with EPIPE), no call carries more than
 * pend holds and the error stays sticky.
 *
 * Checks, aborting on any failure: the output of json_string is one JSON
 * string text and "\n", valid UTF-8, holding no raw control byte, DEL,
 * U+2028 or U+2029 and no escape json.c does not write (\" \\ \n \t \r,
 * \u for the other controls, DEL, U+2028/9 and U+FFFD); the chunked
 * output is byte for byte the one-shot output; decoding the output gives
 * back the input exactly when the input is valid UTF-8.
 *
 * Build (add -I with the build directory when config.h is not here):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -include config.h \
 *     -Isrc -Isrc/helper -Isrc/lib tests/fuzz/fuzz_json.c src/helper/json.c \
 *     -o fuzz_json
 *   mkdir -p /tmp/fj && ./fuzz_json -max_total_time=30 /tmp/fj tests/fuzz/corpus/json
 * (libFuzzer adds new inputs to the first directory: keep it a scratch one.)
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void base64_legs(uint32_t seed, const uint8_t *data, size_t size);

static struct json j;
static int sink = -1;

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* Empty the sink and point a fresh writer at it. */
static void
start(void)
{
	if (sink < 0)
		sink = memfd_create("fuzz_json", MFD_CLOEXEC);
	CHECK(sink >= 0);
	CHECK(ftruncate(sink, 0) == 0);
	CHECK(lseek(sink, 0, SEEK_SET) == 0);
	json_init(&j, sink);
}

/* Flush and read back what was written (caller frees); length in *n. */
static unsigned char *
finish(size_t *n)
{
	unsigned char *p;
	off_t end;
	ssize_t r;

	CHECK(json_flush(&j) == 0);
	end = lseek(sink, 0, SEEK_END);
	CHECK(end >= 0);
	p = malloc((size_t)end + 1);
	CHECK(p != NULL);
	r = pread(sink, p, (size_t)end, 0);
	CHECK(r == end);
	*n = (size_t)end;
	return p;
}

static unsigned int
hex4(const unsigned char *s)
{
	unsigned int v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		CHECK((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'f'));
		v = v << 4 | (unsigned int)(s[k] <= '9' ? s[k] - '0' : s[k] - 'a' + 10);
	}
	return v;
}

/* A code point below 0x10000 as UTF-8 (a NUL stays one byte). */
static size_t
put_utf8(unsigned int cp, unsigned char *o)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (unsigned char)(0xe0 | cp >> 12);
	o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Decode the string text s[0..n) into out, checking every byte of it. */
static size_t
decode(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i, o = 0, end;
	unsigned int c;

	CHECK(n >= 3 && s[0] == '"' && s[n - 2] == '"' && s[n - 1] == '\n');
	end = n - 2;
	for (i = 1; i < end; i++) {
		c = s[i];
		CHECK(c >= 0x20 && c != 0x7f && c != '"');
		CHECK(!(c == 0xe2 && i + 2 < end && s[i + 1] == 0x80 &&
			(s[i + 2] == 0xa8 || s[i + 2] == 0xa9)));
		if (c != '\\') {
			out[o++] = (unsigned char)c;
			continue;
		}
		CHECK(i + 1 < end);
		c = s[++i];
		if (c == '"' || c == '\\') {
			out[o++] = (unsigned char)c;
			continue;
		}
		if (c == 'n' || c == 't' || c == 'r') {
			out[o++] = c == 'n' ? '\n' : c == 't' ? '\t' : '\r';
			continue;
		}
		CHECK(c == 'u' && i + 4 < end);
		c = hex4(s + i + 1);
		i += 4;
		CHECK((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f || c == 0x2028 ||
		      c == 0x2029 || c == 0xfffd);
		o += put_utf8(c, out + o);
	}
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t seed;
	size_t n1, n2, dn, at, k;
	unsigned char *one, *two, *dec;

	if (size == 0)
		return 0;
	seed = data[0] * 2654435761u | 1;
	data++;
	size--;

	start();
	json_string(&j, (const char *)data, size);
	one = finish(&n1);

	start();
	json_string_begin(&j);
	for (at = 0; at < size; at += k) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		k = seed % 8;
		if (k > size - at)
			k = size - at;
		json_string_chunk(&j, data + at, k);
	}
	json_string_end(&j);
	two = finish(&n2);
	CHECK(n1 == n2 && memcmp(one, two, n1) == 0);

	CHECK(utf8_valid(one, n1));
	dec = malloc(n1 + 1);
	CHECK(dec != NULL);
	dn = decode(one, n1, dec);
	CHECK(utf8_valid(dec, dn));
	if (utf8_valid(data, size))
		CHECK(dn == size && memcmp(dec, data, size) == 0);
	free(one);
	free(two);
	free(dec);
	base64_legs(seed, data, size);
	return 0;
}

static uint32_t
next(uint32_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 17;
	*seed ^= *seed << 5;
	return *seed;
}

/* data[0..size) as base64 chunks of 0 to 7 bytes, cut by seed. */
static void
b64_chunked(uint32_t seed, const uint8_t *data, size_t size)
{
	size_t at, k;

	json_base64_begin(&j);
	for (at = 0; at < size; at += k) {
		k = next(&seed) % 8;
		if (k > size - at)
			k = size - at;
		json_base64_chunk(&j, data + at, k);
		CHECK(j.npend <= 2);
	}
	json_base64_end(&j);
}

static int
b64val(unsigned char c)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(a, c) : NULL;

	CHECK(p != NULL);
	return (int)(p - a);
}

static void
base64_legs(uint32_t seed, const uint8_t *data, size_t size)
{
	size_t n1, n2, i, o = 0, k;
	unsigned char *one, *two, *dec;
	int p[2];

	start();
	json_base64(&j, data, size);
	one = finish(&n1);
	start();
	b64_chunked(seed, data, size);
	two = finish(&n2);
	CHECK(n1 == n2 && memcmp(one, two, n1) == 0);
	CHECK(n1 == 3 + (size + 2) / 3 * 4 && one[0] == '"' && one[n1 - 2] == '"');
	dec = malloc(size + 3);
	CHECK(dec != NULL);
	for (i = 1; i + 4 <= n1 - 2; i += 4) {
		unsigned int v = 0;
		for (k = 0; k < 4; k++)
			v = v << 6 | (one[i + k] == '=' ? 0u : (unsigned int)b64val(one[i + k]));
		dec[o++] = (unsigned char)(v >> 16);
		dec[o++] = (unsigned char)(v >> 8);
		dec[o++] = (unsigned char)v;
	}
	CHECK(o >= size && o - size <= 2 && memcmp(dec, data, size) == 0);
	free(one);
	free(two);
	free(dec);

	/* The reader gone and the buffer a few bytes short of full. */
	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(p) == 0);
	close(p[0]);
	json_init(&j, p[1]);
	memset(j.buf, ' ', sizeof(j.buf));
	j.used = sizeof(j.buf) - 1 - next(&seed) % 16;
	b64_chunked(seed, data, size);
	CHECK(size < 12 || j.error == -EPIPE);
	CHECK(json_flush(&j) == (j.error ? j.error : -EPIPE));
	close(p[1]);
}
