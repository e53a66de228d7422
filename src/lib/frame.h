/*
 * frame.h — the wire format between the child and the parent.
 *
 * A frame is  u32 len (big-endian) | u8 type | payload[len].
 *   DATA     payload = u8 channel | bytes        2 <= len <= FRAME_MAX
 *   FIELD    payload = u8 kind | u8 keylen | key | value
 *              kind 1 (int): value is 8 bytes, big-endian two's complement
 *              kind 2 (str): value is the remaining bytes
 *   END      payload = i32 code (big-endian) | message   4 <= len <= 4 + 1024
 *   DROPFAIL payload = u8 step | i32 errno                len == 5
 * The decoder trusts nothing: an unknown type, a length out of range for the
 * type, a bad key, a byte after END or DROPFAIL, DROPFAIL after any other
 * frame, or input ending inside a frame are all PFA_EPROTO.  It never
 * allocates; a frame larger than FRAME_MAX is rejected from its header.
 */
#ifndef PFA_FRAME_H
#define PFA_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HDR 5u
#define FRAME_MAX 65536u /* largest payload */
#define FRAME_DATA_MAX (FRAME_MAX - 1u)
#define FRAME_KEY_MAX 63u
#define FRAME_MSG_MAX 1024u

enum frame_type {
	FRAME_DATA = 1,
	FRAME_FIELD = 2,
	FRAME_END = 3,
	FRAME_DROPFAIL = 4,
};

/* Write a header for a payload of len bytes into dst[0..4]. */
void frame_put_header(uint8_t *dst, uint32_t len, uint8_t type);
void frame_put_u32(uint8_t *dst, uint32_t v);
uint32_t frame_get_u32(const uint8_t *src);

/* 1 when key[0..len) is a valid field key: 1..63 bytes of [a-z0-9_.-]. */
int frame_key_valid(const char *key, size_t len);

/* What the decoder calls; each returns 0 or a negative code that stops it. */
struct frame_handler {
	int (*data)(void *ctx, unsigned channel, const uint8_t *buf, size_t len);
	int (*field_int)(void *ctx, const char *key, size_t keylen, int64_t v);
	int (*field_str)(void *ctx, const char *key, size_t keylen, const uint8_t *v,
			 size_t len);
	int (*end)(void *ctx, int32_t code, const char *msg, size_t len);
	int (*dropfail)(void *ctx, int step, int err);
};

struct frame_decoder {
	const struct frame_handler *h;
	void *ctx;
	uint8_t hdr[FRAME_HDR];
	size_t hdr_have;
	uint32_t len;   /* payload length of the current frame */
	uint32_t have;  /* payload bytes of it seen so far */
	uint8_t type;
	uint8_t channel;
	int frames;     /* complete frames so far */
	int finished;   /* END or DROPFAIL seen */
	int error;      /* sticky: once negative, every call returns it */
	uint8_t small[FRAME_MAX]; /* payload of non-DATA frames */
};

/* Initialise d; h and ctx must outlive it. */
void frame_decoder_init(struct frame_decoder *d, const struct frame_handler *h, void *ctx);
/* Feed n bytes; 0 or the first negative code (sticky). */
int frame_decoder_feed(struct frame_decoder *d, const uint8_t *buf, size_t n);
/* The input ended: PFA_EPROTO when it ended inside a frame. */
int frame_decoder_eof(const struct frame_decoder *d);
/* 1 once END or DROPFAIL was decoded. */
int frame_decoder_finished(const struct frame_decoder *d);

/* For a caller that takes DATA payloads itself (splice): how many bytes to
 * read next so as to stop right after a DATA frame's channel byte — the
 * rest of a header plus one byte, or the rest of a non-DATA payload.
 * Always >= 1. */
size_t frame_decoder_want(const struct frame_decoder *d);
/* Inside a DATA payload, after its channel byte: the bytes left of it and
 * *channel; else 0. */
size_t frame_decoder_data_left(const struct frame_decoder *d, unsigned *channel);
/* The caller took n (1..data_left) payload bytes itself. */
void frame_decoder_skip(struct frame_decoder *d, size_t n);

#endif
