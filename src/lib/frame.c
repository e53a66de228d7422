/*
 * frame.c — encoder helpers and the incremental, allocation-free decoder of
 * the child-to-parent wire format (frame.h has the format and the rules).
 * The bytes come from a process running as another user: every length and
 * type is checked before it is used.
 */
#include "config.h"

#include <string.h>

#include "frame.h"
#include "pipeforkas.h"

void
frame_put_u32(uint8_t *dst, uint32_t v)
{
	dst[0] = (uint8_t)(v >> 24);
	dst[1] = (uint8_t)(v >> 16);
	dst[2] = (uint8_t)(v >> 8);
	dst[3] = (uint8_t)v;
}

uint32_t
frame_get_u32(const uint8_t *src)
{
	return (uint32_t)src[0] << 24 | (uint32_t)src[1] << 16 | (uint32_t)src[2] << 8 |
	       (uint32_t)src[3];
}

void
frame_put_header(uint8_t *dst, uint32_t len, uint8_t type)
{
	frame_put_u32(dst, len);
	dst[4] = type;
}

int
frame_key_valid(const char *key, size_t len)
{
	size_t i;

	if (len < 1 || len > FRAME_KEY_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = key[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

void
frame_decoder_init(struct frame_decoder *d, const struct frame_handler *h, void *ctx)
{
	memset(d, 0, offsetof(struct frame_decoder, small));
	d->h = h;
	d->ctx = ctx;
}

/* Is the header just read acceptable for its type? */
static int
check_header(const struct frame_decoder *d)
{
	switch (d->type) {
	case FRAME_DATA:
		return d->len >= 2 && d->len <= FRAME_MAX;
	case FRAME_FIELD:
		return d->len >= 3 && d->len <= FRAME_MAX;
	case FRAME_END:
		return d->len >= 4 && d->len <= 4 + FRAME_MSG_MAX;
	case FRAME_DROPFAIL:
		return d->len == 5 && d->frames == 0;
	default:
		return 0;
	}
}

static int
dispatch_field(struct frame_decoder *d)
{
	const uint8_t *p = d->small;
	size_t keylen = p[1], vlen;
	const char *key = (const char *)p + 2;

	if (2 + keylen > d->len || !frame_key_valid(key, keylen))
		return PFA_EPROTO;
	vlen = d->len - 2 - keylen;
	if (p[0] == 1) {
		uint64_t v;
		if (vlen != 8)
			return PFA_EPROTO;
		v = (uint64_t)frame_get_u32(p + 2 + keylen) << 32 |
		    frame_get_u32(p + 6 + keylen);
		return d->h->field_int(d->ctx, key, keylen, (int64_t)v);
	}
	if (p[0] == 2) {
		if (vlen > PFA_FIELD_MAX)
			return PFA_EPROTO;
		return d->h->field_str(d->ctx, key, keylen, p + 2 + keylen, vlen);
	}
	return PFA_EPROTO;
}

/* A whole non-DATA frame is in d->small. */
static int
dispatch(struct frame_decoder *d)
{
	int32_t v;

	switch (d->type) {
	case FRAME_FIELD:
		return dispatch_field(d);
	case FRAME_END:
		d->finished = 1;
		v = (int32_t)frame_get_u32(d->small);
		return d->h->end(d->ctx, v, (const char *)d->small + 4, d->len - 4);
	case FRAME_DROPFAIL:
		d->finished = 1;
		v = (int32_t)frame_get_u32(d->small + 1);
		if (d->small[0] == PFA_STEP_NONE || d->small[0] >= PFA_STEP_COUNT || v < 0 ||
		    v > 4095)
			return PFA_EPROTO;
		return d->h->dropfail(d->ctx, d->small[0], v);
	default:
		return PFA_EPROTO;
	}
}

/* Consume payload bytes of the current frame; returns bytes used or < 0. */
static long
take_payload(struct frame_decoder *d, const uint8_t *buf, size_t n)
{
	size_t want = d->len - d->have, take = n < want ? n : want, used = 0;
	int r = 0;

	if (d->type == FRAME_DATA) {
		if (d->have == 0) {
			d->channel = buf[0];
			if (d->channel >= PFA_CHANNELS)
				return PFA_EPROTO;
			d->have = 1;
			return 1;
		}
		r = d->h->data(d->ctx, d->channel, buf, take);
	} else {
		memcpy(d->small + d->have, buf, take);
	}
	if (r < 0)
		return r;
	d->have += (uint32_t)take;
	used = take;
	if (d->have == d->len) {
		if (d->type != FRAME_DATA && (r = dispatch(d)) < 0)
			return r;
		d->hdr_have = 0;
		d->frames++;
	}
	return (long)used;
}

int
frame_decoder_feed(struct frame_decoder *d, const uint8_t *buf, size_t n)
{
	while (n > 0 && d->error == 0) {
		long used;

		if (d->finished) {
			d->error = PFA_EPROTO;
			break;
		}
		if (d->hdr_have < FRAME_HDR) {
			size_t take = FRAME_HDR - d->hdr_have;
			if (take > n)
				take = n;
			memcpy(d->hdr + d->hdr_have, buf, take);
			d->hdr_have += take;
			buf += take;
			n -= take;
			if (d->hdr_have < FRAME_HDR)
				break;
			d->len = frame_get_u32(d->hdr);
			d->type = d->hdr[4];
			d->have = 0;
			if (!check_header(d))
				d->error = PFA_EPROTO;
			continue;
		}
		used = take_payload(d, buf, n);
		if (used < 0) {
			d->error = (int)used;
			break;
		}
		buf += used;
		n -= (size_t)used;
	}
	return d->error;
}

int
frame_decoder_eof(const struct frame_decoder *d)
{
	if (d->error)
		return d->error;
	return d->hdr_have > 0 ? PFA_EPROTO : 0;
}

int
frame_decoder_finished(const struct frame_decoder *d)
{
	return d->finished;
}

size_t
frame_decoder_want(const struct frame_decoder *d)
{
	if (d->hdr_have < FRAME_HDR)
		return FRAME_HDR + 1 - d->hdr_have;
	if (d->type == FRAME_DATA && d->have == 0)
		return 1;
	return d->len - d->have;
}

size_t
frame_decoder_data_left(const struct frame_decoder *d, unsigned *channel)
{
	if (d->error || d->hdr_have < FRAME_HDR || d->type != FRAME_DATA || d->have == 0)
		return 0;
	*channel = d->channel;
	return d->len - d->have;
}

void
frame_decoder_skip(struct frame_decoder *d, size_t n)
{
	d->have += (uint32_t)n;
	if (d->have == d->len) {
		d->hdr_have = 0;
		d->frames++;
	}
}
