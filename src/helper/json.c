/*
 * json.c — the streaming JSON writer of answer.h: a fixed buffer, no
 * allocation, whatever the size of the values.
 *
 * MUST: every byte goes into j->buf through put(), which never writes past
 * its end; write(2) is retried on EINTR, EAGAIN (after poll) and short counts.
 * MUST: the output is valid JSON and valid UTF-8 whatever the input: string
 * bytes are either escaped or part of a well-formed UTF-8 sequence checked
 * against Unicode Table 3-7; an ill-formed sequence becomes one U+FFFD per
 * maximal subpart, so output is the same however a string is split into
 * chunks.  '"', '\\', C0 controls, DEL, U+2028 and U+2029 are \u escapes.
 * MUST: nesting is checked (kind and depth); misuse and depth past
 * JSON_DEPTH_MAX set a sticky error instead of writing anything invalid;
 * after the first error no call writes.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "answer.h"

static const char hex[] = "0123456789abcdef";

static void
fail(struct json *j, int err)
{
	if (j->error == 0)
		j->error = err;
}

long
json_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until a non-blocking fd takes data, at most until deadline (0:
 * no deadline): 0, -ETIMEDOUT or -errno. */
static int
wait_writable(int fd, long deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	for (;;) {
		long left = deadline == 0 ? -1 : deadline - json_now_ms();
		if (deadline != 0 && left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, left > 0x7fffffff ? 0x7fffffff : (int)left) >= 0)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int
json_write_all(int fd, const void *buf, size_t n, long deadline)
{
	const char *p = buf;
	int r;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR && deadline != 0 && json_now_ms() >= deadline)
			return -ETIMEDOUT; /* a blocking fd, interrupted by sigs_alarm_at */
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((r = wait_writable(fd, deadline)) < 0)
				return r;
			continue;
		}
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
json_flush(struct json *j)
{
	int r;

	if (j->error == 0 && j->used > 0 && (r = json_write_all(j->fd, j->buf, j->used, j->deadline)) < 0)
		fail(j, r);
	j->used = 0;
	return j->error;
}

/* Append n bytes, flushing whenever the buffer fills. */
static void
put(struct json *j, const void *src, size_t n)
{
	const char *s = src;

	while (j->error == 0 && n > 0) {
		size_t room = sizeof(j->buf) - j->used;
		size_t k = n < room ? n : room;

		memcpy(j->buf + j->used, s, k);
		j->used += k;
		s += k;
		n -= k;
		if (j->used == sizeof(j->buf))
			json_flush(j);
	}
}

void
json_init(struct json *j, int fd)
{
	memset(j, 0, offsetof(struct json, buf));
	j->fd = fd;
	if (fd < 0)
		j->error = -EBADF;
}

/* Before a value: the comma if needed.  0 when the value may follow. */
static int
value_begin(struct json *j)
{
	int d = j->depth - 1;

	if (j->error)
		return -1;
	if (j->in_string || (d >= 0 && j->object[d] && !j->after_key)) {
		fail(j, -EINVAL);
		return -1;
	}
	if (d >= 0 && !j->object[d] && !j->first[d])
		put(j, ",", 1);
	if (d >= 0)
		j->first[d] = 0;
	j->after_key = 0;
	return j->error ? -1 : 0;
}

/* After a value: a finished top-level value ends its line. */
static void
value_end(struct json *j)
{
	if (j->depth == 0)
		put(j, "\n", 1);
}

static void
open_container(struct json *j, int object)
{
	if (j->error == 0 && j->depth >= JSON_DEPTH_MAX)
		fail(j, -EOVERFLOW);
	if (value_begin(j) < 0)
		return;
	put(j, object ? "{" : "[", 1);
	j->object[j->depth] = (unsigned char)object;
	j->first[j->depth] = 1;
	j->depth++;
}

static void
close_container(struct json *j, int object)
{
	if (j->error)
		return;
	if (j->in_string || j->after_key || j->depth == 0 || j->object[j->depth - 1] != object) {
		fail(j, -EINVAL);
		return;
	}
	put(j, object ? "}" : "]", 1);
	j->depth--;
	value_end(j);
}

void
json_begin_object(struct json *j)
{
	open_container(j, 1);
}

void
json_end_object(struct json *j)
{
	close_container(j, 1);
}

void
json_begin_array(struct json *j)
{
	open_container(j, 0);
}

void
json_end_array(struct json *j)
{
	close_container(j, 0);
}

/* ---- string content: escaping and UTF-8 repair ---------------------- */

/*
 * For a lead byte: the length of its sequence and the range of the byte
 * after it (Unicode Table 3-7); 0 when b cannot start a sequence
 * (80..C1, F5..FF).
 */
static size_t
utf8_lead(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b == 0xe0)
		*lo = 0xa0;
	else if (b == 0xed)
		*hi = 0x9f;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b == 0xf0)
		*lo = 0x90;
	else if (b == 0xf4)
		*hi = 0x8f;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

int
utf8_valid(const void *s, size_t len)
{
	const unsigned char *p = s;
	unsigned char lo, hi;
	size_t i = 0, k, n;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_lead(p[i], &lo, &hi);
		if (n == 0 || len - i < n || p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (k = 2; k < n; k++)
			if (p[i + k] < 0x80 || p[i + k] > 0xbf)
				return 0;
		i += n;
	}
	return 1;
}

/* "\uXXXX" for a code point below 0x10000. */
static void
put_u(struct json *j, unsigned int cp)
{
	char e[6] = { '\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15],
		      hex[(cp >> 4) & 15], hex[cp & 15] };

	put(j, e, sizeof(e));
}

/* Printable ASCII that stands for itself inside a JSON string. */
static int
plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* The last byte c completes the sequence in j->pend. */
static void
complete_seq(struct json *j, unsigned char c)
{
	/* U+2028 and U+2029 (E2 80 A8/A9) end lines in JavaScript. */
	if (j->npend == 2 && j->pend[0] == 0xe2 && j->pend[1] == 0x80 && (c == 0xa8 || c == 0xa9)) {
		put_u(j, 0x2028u + (c - 0xa8u));
	} else {
		put(j, j->pend, j->npend);
		put(j, &c, 1);
	}
	j->npend = 0;
}

/* One byte of string content, with j->pend holding the sequence so far. */
static void
string_byte(struct json *j, unsigned char c)
{
	unsigned char lo, hi;
	size_t n;

	if (j->npend > 0) {
		n = utf8_lead(j->pend[0], &lo, &hi);
		if (j->npend > 1) {
			lo = 0x80;
			hi = 0xbf;
		}
		if (c >= lo && c <= hi) {
			if (j->npend + 1 >= n)
				complete_seq(j, c);
			else
				j->pend[j->npend++] = c; /* npend <= 2 here: n <= 4 */
			return;
		}
		put_u(j, 0xfffd); /* a maximal subpart, cut short by c */
		j->npend = 0;
	}
	if (c == '"' || c == '\\') {
		char e[2] = { '\\', (char)c };
		put(j, e, sizeof(e));
	} else if (c == '\n' || c == '\t' || c == '\r') {
		char e[2] = { '\\', c == '\n' ? 'n' : c == '\t' ? 't' : 'r' };
		put(j, e, sizeof(e));
	} else if (c < 0x20 || c == 0x7f) {
		put_u(j, c);
	} else if (c < 0x80) {
		put(j, &c, 1);
	} else if (utf8_lead(c, &lo, &hi) > 0) {
		j->pend[0] = c;
		j->npend = 1;
	} else {
		put_u(j, 0xfffd);
	}
}

/* A zero byte in v?  (The classic word-at-a-time test.) */
#define HASZERO(v) (((v) - 0x0101010101010101ull) & ~(v) & 0x8080808080808080ull)

/* The length of the run of plain bytes at p[0..n): eight at a time while
 * no byte of a word is < 0x20, >= 0x7f, '"' or '\\'. */
static size_t
plain_run(const unsigned char *p, size_t n)
{
	size_t run = 0;

	while (n - run >= 8) {
		uint64_t w;
		memcpy(&w, p + run, 8);
		if ((w & 0x8080808080808080ull) != 0 || HASZERO(w & 0xe0e0e0e0e0e0e0e0ull) ||
		    HASZERO(w ^ 0x7f7f7f7f7f7f7f7full) || HASZERO(w ^ 0x2222222222222222ull) ||
		    HASZERO(w ^ 0x5c5c5c5c5c5c5c5cull))
			break;
		run += 8;
	}
	while (run < n && plain(p[run]))
		run++;
	return run;
}

/* String content; runs of plain ASCII are copied whole. */
static void
string_bytes(struct json *j, const unsigned char *p, size_t n)
{
	size_t i = 0, run;

	while (i < n && j->error == 0) {
		if (j->npend == 0) {
			run = plain_run(p + i, n - i);
			put(j, p + i, run);
			i += run;
			if (i == n)
				break;
		}
		string_byte(j, p[i++]);
	}
}

/* A sequence still incomplete where the string ends is one U+FFFD. */
static void
string_tail(struct json *j)
{
	if (j->npend > 0)
		put_u(j, 0xfffd);
	j->npend = 0;
}

/* ---- values ---------------------------------------------------------- */

void
json_key(struct json *j, const char *key)
{
	int d = j->depth - 1;

	if (j->error)
		return;
	if (key == NULL || j->in_string || d < 0 || !j->object[d] || j->after_key) {
		fail(j, -EINVAL);
		return;
	}
	if (!j->first[d])
		put(j, ",", 1);
	j->first[d] = 0;
	put(j, "\"", 1);
	string_bytes(j, (const unsigned char *)key, strlen(key));
	string_tail(j);
	put(j, "\":", 2);
	j->after_key = 1;
}

void
json_string_begin(struct json *j)
{
	if (value_begin(j) < 0)
		return;
	put(j, "\"", 1);
	j->in_string = 1;
	j->npend = 0;
}

void
json_string_chunk(struct json *j, const void *s, size_t len)
{
	if (j->error)
		return;
	if (j->in_string != 1 || (s == NULL && len > 0)) {
		fail(j, -EINVAL);
		return;
	}
	string_bytes(j, s, len);
}

void
json_string_end(struct json *j)
{
	if (j->error)
		return;
	if (j->in_string != 1) {
		fail(j, -EINVAL);
		return;
	}
	string_tail(j);
	put(j, "\"", 1);
	j->in_string = 0;
	value_end(j);
}

void
json_string(struct json *j, const char *s, size_t len)
{
	json_string_begin(j);
	json_string_chunk(j, s, len);
	json_string_end(j);
}

void
json_cstring(struct json *j, const char *s)
{
	if (s == NULL)
		json_null(j);
	else
		json_string(j, s, strlen(s));
}

/* A literal value: a number, true, false or null. */
static void
literal(struct json *j, const char *s, size_t len)
{
	if (value_begin(j) < 0)
		return;
	put(j, s, len);
	value_end(j);
}

void
json_int(struct json *j, long long v)
{
	char d[24];
	size_t i = sizeof(d);
	/* The magnitude in unsigned arithmetic: -LLONG_MIN does not overflow. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		d[--i] = '-';
	literal(j, d + i, sizeof(d) - i);
}

void
json_bool(struct json *j, int v)
{
	if (v)
		literal(j, "true", 4);
	else
		literal(j, "false", 5);
}

void
json_null(struct json *j)
{
	literal(j, "null", 4);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
json_base64_begin(struct json *j)
{
	if (value_begin(j) < 0)
		return;
	put(j, "\"", 1);
	j->in_string = 2;
	j->npend = 0;
}

/* Whole 3-byte groups of p[0..n) as base64; returns the bytes used. */
static size_t
b64_groups(struct json *j, const unsigned char *p, size_t n)
{
	char out[256]; /* a multiple of 4: whole groups only */
	size_t o = 0, used = 0;

	for (; n - used >= 3 && j->error == 0; used += 3) {
		const unsigned char *g = p + used;
		out[o++] = b64[g[0] >> 2];
		out[o++] = b64[(g[0] & 3) << 4 | g[1] >> 4];
		out[o++] = b64[(g[1] & 15) << 2 | g[2] >> 6];
		out[o++] = b64[g[2] & 63];
		if (o == sizeof(out)) {
			put(j, out, o);
			o = 0;
		}
	}
	put(j, out, o);
	return used;
}

void
json_base64_chunk(struct json *j, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (j->error)
		return;
	if (j->in_string != 2 || (p == NULL && len > 0)) {
		fail(j, -EINVAL);
		return;
	}
	while (j->npend > 0 && j->npend < 3 && len > 0) { /* finish a carried group */
		j->pend[j->npend++] = *p++;
		len--;
	}
	if (j->npend == 3) {
		(void)b64_groups(j, j->pend, 3);
		j->npend = 0;
	}
	if (len == 0)
		return;
	if (j->npend == 0) {
		size_t used = b64_groups(j, p, len);
		p += used;
		len -= used;
	}
	/* A failed write stops b64_groups early: nothing is carried then, and
	 * never more than pend holds (a longer carry would be a stack overflow
	 * with the operation's bytes, in a setuid-root process). */
	if (j->error || j->npend + len >= sizeof(j->pend)) {
		fail(j, -EIO);
		return;
	}
	for (; len > 0; len--) /* 1 or 2 bytes carried to the next chunk */
		j->pend[j->npend++] = *p++;
}

void
json_base64_end(struct json *j)
{
	char out[4];

	if (j->error)
		return;
	if (j->in_string != 2) {
		fail(j, -EINVAL);
		return;
	}
	if (j->npend > 0) { /* 1 or 2 bytes left */
		out[0] = b64[j->pend[0] >> 2];
		out[1] = b64[(j->pend[0] & 3) << 4 | (j->npend > 1 ? j->pend[1] >> 4 : 0)];
		out[2] = j->npend > 1 ? b64[(j->pend[1] & 15) << 2] : '=';
		out[3] = '=';
		put(j, out, 4);
	}
	j->npend = 0;
	put(j, "\"", 1);
	j->in_string = 0;
	value_end(j);
}

void
json_base64(struct json *j, const void *data, size_t len)
{
	if (j->error == 0 && data == NULL && len > 0) {
		fail(j, -EINVAL);
		return;
	}
	json_base64_begin(j);
	json_base64_chunk(j, data, len);
	json_base64_end(j);
}
