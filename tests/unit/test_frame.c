/* Unit tests of the wire format: src/lib/frame.c and the result handler. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "internal.h"

/* A growable byte string to build frames in. */
struct bytes {
	uint8_t *p;
	size_t n;
};

static void
put(struct bytes *b, const void *src, size_t n)
{
	b->p = realloc(b->p, b->n + n + 1);
	cr_assert_not_null(b->p);
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

static void
frame(struct bytes *b, uint8_t type, const void *payload, uint32_t len)
{
	uint8_t h[FRAME_HDR];
	frame_put_header(h, len, type);
	put(b, h, sizeof(h));
	put(b, payload, len);
}

static void
data(struct bytes *b, uint8_t ch, const char *s, size_t n)
{
	uint8_t *p = malloc(n + 1);
	p[0] = ch;
	memcpy(p + 1, s, n);
	frame(b, FRAME_DATA, p, (uint32_t)n + 1);
	free(p);
}

static void
field_str(struct bytes *b, const char *key, const char *v, size_t vlen)
{
	size_t kl = strlen(key);
	uint8_t *p = malloc(2 + kl + vlen);
	p[0] = 2;
	p[1] = (uint8_t)kl;
	memcpy(p + 2, key, kl);
	memcpy(p + 2 + kl, v, vlen);
	frame(b, FRAME_FIELD, p, (uint32_t)(2 + kl + vlen));
	free(p);
}

static void
field_int(struct bytes *b, const char *key, int64_t v)
{
	size_t kl = strlen(key);
	uint8_t p[80];
	uint64_t u = (uint64_t)v;
	p[0] = 1;
	p[1] = (uint8_t)kl;
	memcpy(p + 2, key, kl);
	frame_put_u32(p + 2 + kl, (uint32_t)(u >> 32));
	frame_put_u32(p + 6 + kl, (uint32_t)u);
	frame(b, FRAME_FIELD, p, (uint32_t)(10 + kl));
}

static void
end(struct bytes *b, int32_t code, const char *msg)
{
	uint8_t p[4 + 1100];
	size_t ml = msg ? strlen(msg) : 0;
	frame_put_u32(p, (uint32_t)code);
	memcpy(p + 4, msg ? msg : "", ml);
	frame(b, FRAME_END, p, (uint32_t)(4 + ml));
}

static struct pfa_opts opts;

/* A decoder feeding a collector into a new result. */
struct dec {
	struct frame_decoder d;
	struct collector c;
	struct pfa_result *r;
};

static struct dec *
dec_new(void)
{
	struct dec *x = malloc(sizeof(*x));
	x->r = result_new();
	collector_init(&x->c, &opts, x->r);
	frame_decoder_init(&x->d, &collector_handler, &x->c);
	return x;
}

/* Decode all of b in pieces of `step` bytes; returns the decoder's verdict
 * at EOF and the result in *out. */
static int
decode(const struct bytes *b, size_t step, struct pfa_result **out)
{
	struct dec *x;
	size_t off = 0;
	int e = 0;

	opts_defaults(&opts);
	x = dec_new();
	while (off < b->n && e == 0) {
		size_t n = b->n - off < step ? b->n - off : step;
		e = frame_decoder_feed(&x->d, b->p + off, n);
		off += n;
	}
	if (e == 0)
		e = frame_decoder_eof(&x->d);
	if (e == 0 && !frame_decoder_finished(&x->d))
		e = 1; /* clean but no END */
	collector_finish(&x->c);
	*out = x->r;
	free(x);
	return e;
}

static struct bytes
sample(void)
{
	struct bytes b = { 0 };
	data(&b, 0, "hello ", 6);
	data(&b, 1, "err", 3);
	data(&b, 0, "world", 5);
	field_int(&b, "uid", -42);
	field_str(&b, "name", "a\0b", 3);
	end(&b, 7, "boom");
	return b;
}

Test(frame, round_trip_any_chunking)
{
	struct bytes b = sample();
	size_t steps[] = { 1, 2, 3, 5, 7, 64, 100000 };

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct pfa_result *r;
		size_t len;
		const char *s;
		int64_t v;
		cr_assert_eq(decode(&b, steps[i], &r), 0, "step %zu", steps[i]);
		s = pfa_result_data(r, 0, &len);
		cr_assert_eq(len, 11);
		cr_assert_str_eq(s, "hello world");
		s = pfa_result_data(r, 1, &len);
		cr_assert_eq(len, 3);
		cr_assert_eq(pfa_result_get_int(r, "uid", &v), 0);
		cr_assert_eq(v, -42);
		cr_assert_eq(pfa_result_get_str(r, "name", &s, &len), 0);
		cr_assert_eq(len, 3);
		cr_assert_eq(memcmp(s, "a\0b", 3), 0);
		cr_assert_eq(pfa_result_callback_code(r), 7);
		cr_assert_str_eq(pfa_result_message(r), "boom");
		cr_assert_eq(pfa_result_total(r), 14);
		pfa_result_free(r);
	}
	free(b.p);
}

Test(frame, every_truncation_is_detected)
{
	struct bytes b = sample();

	/* Cutting anywhere inside a frame is a protocol error; cutting at a frame
	 * boundary before END is a clean stream without an END. */
	for (size_t cut = 0; cut < b.n; cut++) {
		struct bytes c = { b.p, cut };
		struct pfa_result *r;
		int e = decode(&c, 3, &r);
		cr_assert(e == PFA_EPROTO || e == 1, "cut %zu gave %d", cut, e);
		pfa_result_free(r);
	}
	free(b.p);
}

Test(frame, oversize_length_rejected_from_header)
{
	uint8_t h[FRAME_HDR];
	uint32_t lens[] = { FRAME_MAX + 1, 0xffffffffu, 0x80000000u };

	opts_defaults(&opts);
	for (size_t i = 0; i < 3; i++) {
		struct dec *x = dec_new();
		frame_put_header(h, lens[i], FRAME_DATA);
		cr_assert_eq(frame_decoder_feed(&x->d, h, sizeof(h)), PFA_EPROTO);
		pfa_result_free(x->r);
		free(x);
	}
}

Test(frame, bad_frames_rejected)
{
	struct {
		uint8_t type;
		uint32_t len;
		const char *payload;
	} bad[] = {
		{ 0, 1, "x" },                    /* unknown type */
		{ 9, 1, "x" },                    /* unknown type */
		{ FRAME_DATA, 1, "\0" },          /* empty data */
		{ FRAME_DATA, 2, "\x10z" },       /* channel 16 */
		{ FRAME_FIELD, 2, "\1\1" },       /* too short */
		{ FRAME_FIELD, 4, "\2\0ab" },     /* empty key */
		{ FRAME_FIELD, 4, "\2\5ab" },     /* key longer than payload */
		{ FRAME_FIELD, 4, "\2\2AB" },     /* upper-case key */
		{ FRAME_FIELD, 5, "\1\1a12" },    /* int of 2 bytes */
		{ FRAME_FIELD, 5, "\3\1a12" },    /* unknown kind */
		{ FRAME_END, 3, "\0\0\0" },       /* short end */
		{ FRAME_END, 6, "\0\0\0\0a\0" },  /* NUL in message */
		{ FRAME_DROPFAIL, 4, "\1\0\0\0" },       /* short */
		{ FRAME_DROPFAIL, 5, "\0\0\0\0\1" },     /* step 0 */
		{ FRAME_DROPFAIL, 5, "\xff\0\0\0\1" },   /* step out of range */
		{ FRAME_DROPFAIL, 5, "\1\xff\xff\xff\xff" }, /* negative errno */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bytes b = { 0 };
		struct pfa_result *r;
		frame(&b, bad[i].type, bad[i].payload, bad[i].len);
		cr_assert_eq(decode(&b, 1, &r), PFA_EPROTO, "case %zu", i);
		pfa_result_free(r);
		free(b.p);
	}
}

Test(frame, end_length_limits)
{
	char msg[FRAME_MSG_MAX + 2];
	struct bytes b = { 0 };
	struct pfa_result *r;

	memset(msg, 'm', sizeof(msg) - 1);
	msg[FRAME_MSG_MAX] = '\0';
	end(&b, 0, msg);
	cr_assert_eq(decode(&b, 4096, &r), 0);
	cr_assert_eq(strlen(pfa_result_message(r)), FRAME_MSG_MAX);
	pfa_result_free(r);
	free(b.p);

	b = (struct bytes){ 0 };
	msg[FRAME_MSG_MAX] = 'm';
	msg[FRAME_MSG_MAX + 1] = '\0';
	end(&b, 0, msg);
	cr_assert_eq(decode(&b, 4096, &r), PFA_EPROTO);
	pfa_result_free(r);
	free(b.p);
}

Test(frame, nothing_after_end_or_dropfail)
{
	struct bytes b = { 0 };
	struct pfa_result *r;

	end(&b, 0, NULL);
	data(&b, 0, "late", 4);
	cr_assert_eq(decode(&b, 2, &r), PFA_EPROTO);
	pfa_result_free(r);
	free(b.p);

	b = (struct bytes){ 0 };
	end(&b, 0, NULL);
	end(&b, 0, NULL);
	cr_assert_eq(decode(&b, 100, &r), PFA_EPROTO, "duplicate END");
	pfa_result_free(r);
	free(b.p);

	b = (struct bytes){ 0 };
	frame(&b, FRAME_DROPFAIL, "\x09\0\0\0\x01", 5);
	put(&b, "x", 1);
	cr_assert_eq(decode(&b, 100, &r), PFA_EPROTO);
	pfa_result_free(r);
	free(b.p);
}

Test(frame, dropfail_only_first)
{
	struct bytes b = { 0 };
	struct pfa_result *r;
	int step, err;

	frame(&b, FRAME_DROPFAIL, "\x09\0\0\0\x01", 5);
	cr_assert_eq(decode(&b, 1, &r), 0);
	cr_assert_eq(pfa_result_drop_failure(r, &step, &err), 0);
	cr_assert_eq(step, 9);
	cr_assert_eq(err, 1);
	pfa_result_free(r);
	free(b.p);

	b = (struct bytes){ 0 };
	data(&b, 0, "x", 1);
	frame(&b, FRAME_DROPFAIL, "\x09\0\0\0\x01", 5);
	cr_assert_eq(decode(&b, 1, &r), PFA_EPROTO);
	pfa_result_free(r);
	free(b.p);
}

Test(frame, duplicate_and_too_many_fields)
{
	struct bytes b = { 0 };
	struct pfa_result *r;
	char key[16];

	field_int(&b, "a", 1);
	field_str(&b, "a", "x", 1);
	cr_assert_eq(decode(&b, 7, &r), PFA_EPROTO);
	pfa_result_free(r);
	free(b.p);

	b = (struct bytes){ 0 };
	for (int i = 0; i <= PFA_FIELDS_MAX; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		field_int(&b, key, i);
	}
	cr_assert_eq(decode(&b, 4096, &r), PFA_EPROTO);
	cr_assert_eq(pfa_result_field_count(r), PFA_FIELDS_MAX);
	pfa_result_free(r);
	free(b.p);
}

Test(frame, max_size_data_frame)
{
	struct bytes b = { 0 };
	struct pfa_result *r;
	char *big = malloc(FRAME_DATA_MAX);
	size_t len;

	memset(big, 'z', FRAME_DATA_MAX);
	data(&b, 3, big, FRAME_DATA_MAX);
	end(&b, 0, NULL);
	cr_assert_eq(decode(&b, 65536 * 2, &r), 0);
	pfa_result_data(r, 3, &len);
	cr_assert_eq(len, FRAME_DATA_MAX);
	pfa_result_free(r);
	free(b.p);
	free(big);
}

Test(frame, result_limit_is_enforced_while_decoding)
{
	struct bytes b = { 0 };
	struct dec *x;

	data(&b, 0, "0123456789", 10);
	opts_defaults(&opts);
	opts.max_result = 9;
	x = dec_new();
	cr_assert_eq(frame_decoder_feed(&x->d, b.p, b.n), PFA_ETOOBIG);
	cr_assert_eq(x->c.limit_hit, PFA_ETOOBIG);
	pfa_result_free(x->r);
	free(x);
	free(b.p);
}

Test(frame, field_values_count_against_the_limit)
{
	struct bytes b = { 0 };
	struct dec *x;

	field_str(&b, "k", "0123456789", 10);
	opts_defaults(&opts);
	opts.max_result = 9;
	x = dec_new();
	cr_assert_eq(frame_decoder_feed(&x->d, b.p, b.n), PFA_ETOOBIG);
	pfa_result_free(x->r);
	free(x);
	free(b.p);
}

Test(frame, garbage_never_crashes)
{
	/* Deterministic pseudo-random garbage: the decoder must reject or accept
	 * it without reading out of bounds (ASan builds check the latter). */
	uint32_t seed = 12345;
	uint8_t buf[4096];

	opts_defaults(&opts);
	for (int round = 0; round < 2000; round++) {
		struct dec *x = dec_new();
		size_t n = (size_t)(round % 97) + 1;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)(seed >> 16);
		}
		/* Bias toward small plausible headers. */
		if (round % 3 == 0 && n >= 5) {
			buf[0] = buf[1] = buf[2] = 0;
			buf[4] = (uint8_t)(round % 6);
		}
		(void)frame_decoder_feed(&x->d, buf, n);
		(void)frame_decoder_eof(&x->d);
		collector_finish(&x->c);
		pfa_result_free(x->r);
		free(x);
	}
}

Test(frame, stage_spills_to_the_heap_in_order)
{
	/* More than the collector's stage: data and fields interleaved must come
	 * out whole and in order, duplicates still caught after the spill. */
	struct bytes b = { 0 };
	struct pfa_result *r;
	char chunk[1000], key[16];
	size_t len;
	const uint8_t *d;

	for (int i = 0; i < 200; i++) {
		memset(chunk, 'a' + i % 26, sizeof(chunk));
		data(&b, (uint8_t)(i % 3), chunk, sizeof(chunk));
		snprintf(key, sizeof(key), "k%d", i);
		field_int(&b, key, i);
	}
	end(&b, 0, NULL);
	cr_assert_eq(decode(&b, 777, &r), 0);
	cr_assert_eq(pfa_result_field_count(r), 200);
	d = pfa_result_data(r, 1, &len);
	cr_assert_eq(len, 67 * 1000);
	cr_assert_eq(d[0], 'b');
	cr_assert_eq(d[1000], 'e');
	cr_assert_eq(pfa_result_total(r), 200 * 1000);
	pfa_result_free(r);
	field_int(&b, "k5", 5); /* after END anyway: protocol error */
	free(b.p);

	b = (struct bytes){ 0 };
	for (int i = 0; i < 100; i++)
		data(&b, 0, chunk, sizeof(chunk));
	field_int(&b, "dup", 1);
	field_int(&b, "dup", 2);
	cr_assert_eq(decode(&b, 4096, &r), PFA_EPROTO, "duplicate after the spill");
	pfa_result_free(r);
	free(b.p);
}

Test(frame, key_validation)
{
	cr_assert(frame_key_valid("a", 1));
	cr_assert(frame_key_valid("stdout_truncated", 16));
	cr_assert(frame_key_valid("a.b-c_9", 7));
	cr_assert_not(frame_key_valid("", 0));
	cr_assert_not(frame_key_valid("A", 1));
	cr_assert_not(frame_key_valid("a b", 3));
	cr_assert_not(frame_key_valid("a\nb", 3));
	char k[65];
	memset(k, 'a', 64);
	cr_assert(frame_key_valid(k, 63));
	cr_assert_not(frame_key_valid(k, 64));
}
