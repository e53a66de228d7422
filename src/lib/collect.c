/*
 * collect.c — the parent's side of the frame decoder (see internal.h).
 *
 * MUST: everything here came from the child, an untrusted process: limits
 * are checked before anything is kept, a duplicate field key or one field
 * too many is a protocol error, a message with a NUL is a protocol error.
 * MUST: while the run lasts, only memory the child does not share is
 * written (the collector lives in the arena) until the stage overflows.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
write_until(int fd, const void *buf, size_t n, long deadline, int cancel_fd)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR && deadline != 0 && now_ms() >= deadline) {
			errno = ETIMEDOUT; /* a blocking fd, and the host's timer */
			return -1;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd q[2] = { { fd, POLLOUT, 0 }, { cancel_fd, POLLIN, 0 } };
			long left = deadline == 0 ? -1 : deadline - now_ms();
			if (deadline != 0 && left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			if (poll(q, 2, left > 0x7fffffff ? 0x7fffffff : (int)left) > 0 && q[1].revents) {
				errno = ECANCELED;
				return -1;
			}
			continue;
		}
		if (w == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int
collector_account(struct collector *c, size_t n)
{
	const struct pfa_opts *o = c->opts;

	if (n > o->max_result || c->total + c->field_bytes > o->max_result - n)
		return c->limit_hit = PFA_ETOOBIG;
	c->total += n;
	return 0;
}

enum { REC_DATA = 'D', REC_INT = 'I', REC_STR = 'S' };

void
collector_init(struct collector *c, const struct pfa_opts *opts, struct pfa_result *res)
{
	memset(c, 0, offsetof(struct collector, stage));
	c->opts = opts;
	c->res = res;
}

/* Replay the staged events into the heap result. */
static int
replay(struct collector *c)
{
	size_t i = 0;
	int e = 0;

	while (i < c->used && e == 0) {
		const uint8_t *p = c->stage + i;
		size_t kl = p[1];
		if (p[0] == REC_DATA) {
			size_t n = frame_get_u32(p + 2);
			e = result_add_data(c->res, p[1], p + 6, n);
			i += 6 + n;
		} else if (p[0] == REC_INT) {
			uint64_t v = (uint64_t)frame_get_u32(p + 2 + kl) << 32 |
				     frame_get_u32(p + 6 + kl);
			e = result_add_int(c->res, (const char *)p + 2, kl, (int64_t)v);
			i += 10 + kl;
		} else {
			size_t n = frame_get_u32(p + 2 + kl);
			e = result_add_str(c->res, (const char *)p + 2, kl, p + 6 + kl, n);
			i += 6 + kl + n;
		}
	}
	c->used = 0;
	return e;
}

/* Room for a record of len bytes in the stage, or NULL after spilling it
 * (the caller then writes straight to the result). */
static uint8_t *
stage_room(struct collector *c, size_t len, int *err)
{
	uint8_t *p;

	*err = 0;
	if (!c->spilled && COLLECT_STAGE - c->used >= len) {
		p = c->stage + c->used;
		c->used += len;
		return p;
	}
	if (!c->spilled) {
		c->spilled = 1;
		*err = replay(c);
	}
	return NULL;
}

/* Is key already among the staged fields?  (Spilled ones: result_add_*.) */
static int
staged_key(const struct collector *c, const char *key, size_t keylen)
{
	size_t i = 0;

	while (i < c->used) {
		const uint8_t *p = c->stage + i;
		size_t kl = p[1];
		if (p[0] == REC_DATA) {
			i += 6 + frame_get_u32(p + 2);
			continue;
		}
		if (kl == keylen && memcmp(p + 2, key, kl) == 0)
			return 1;
		i += p[0] == REC_INT ? 10 + kl : 6 + kl + frame_get_u32(p + 2 + kl);
	}
	return 0;
}

static int
on_data(void *ctx, unsigned channel, const uint8_t *buf, size_t len)
{
	struct collector *c = ctx;
	const struct pfa_opts *o = c->opts;
	uint8_t *p;
	int e;

	if (collector_account(c, len) < 0)
		return PFA_ETOOBIG;
	if (o->splice_fd >= 0 && channel == o->splice_channel)
		return write_until(o->splice_fd, buf, len, c->deadline, o->cancel_fd) == 0
			       ? 0
			       : (c->limit_hit = errno == ECANCELED ? PFA_ECANCELED : PFA_EABORT);
	if (o->sink != NULL)
		return o->sink(o->sink_ctx, channel, buf, len) != 0 ? (c->limit_hit = PFA_EABORT) : 0;
	if ((p = stage_room(c, 6 + len, &e)) == NULL)
		return e < 0 ? e : result_add_data(c->res, channel, buf, len);
	p[0] = REC_DATA;
	p[1] = (uint8_t)channel;
	frame_put_u32(p + 2, (uint32_t)len);
	memcpy(p + 6, buf, len);
	return 0;
}

/* Common checks and staging of a field record: header then value. */
static int
stage_field(struct collector *c, uint8_t kind, const char *key, size_t keylen,
	    const uint8_t *v, size_t vlen)
{
	size_t hdr = kind == REC_INT ? 2 + keylen : 6 + keylen;
	uint8_t *p;
	int e;

	if (c->nfields >= PFA_FIELDS_MAX || (!c->spilled && staged_key(c, key, keylen)))
		return PFA_EPROTO;
	/* Field values count against the same limit as data. */
	if (vlen > c->opts->max_result || c->field_bytes > c->opts->max_result - vlen)
		return c->limit_hit = PFA_ETOOBIG;
	c->field_bytes += vlen;
	c->nfields++;
	if ((p = stage_room(c, hdr + vlen, &e)) == NULL) {
		if (e < 0)
			return e;
		return kind == REC_INT ? result_add_int(c->res, key, keylen,
							(int64_t)((uint64_t)frame_get_u32(v) << 32 |
								  frame_get_u32(v + 4)))
				       : result_add_str(c->res, key, keylen, v, vlen);
	}
	p[0] = kind;
	p[1] = (uint8_t)keylen;
	memcpy(p + 2, key, keylen);
	if (kind == REC_STR)
		frame_put_u32(p + 2 + keylen, (uint32_t)vlen);
	memcpy(p + hdr, v, vlen);
	return 0;
}

static int
on_int(void *ctx, const char *key, size_t keylen, int64_t v)
{
	uint8_t b[8];

	frame_put_u32(b, (uint32_t)((uint64_t)v >> 32));
	frame_put_u32(b + 4, (uint32_t)v);
	return stage_field(ctx, REC_INT, key, keylen, b, sizeof(b));
}

static int
on_str(void *ctx, const char *key, size_t keylen, const uint8_t *v, size_t len)
{
	return stage_field(ctx, REC_STR, key, keylen, v, len);
}

static int
on_end(void *ctx, int32_t code, const char *msg, size_t len)
{
	struct collector *c = ctx;

	if (memchr(msg, '\0', len) != NULL || len > sizeof(c->msg))
		return PFA_EPROTO;
	c->got_end = 1;
	c->cb_code = code;
	memcpy(c->msg, msg, len);
	c->msglen = len;
	return 0;
}

static int
on_dropfail(void *ctx, int step, int err)
{
	struct collector *c = ctx;

	c->got_dropfail = 1;
	c->drop_step = step;
	c->drop_err = err;
	return 0;
}

const struct frame_handler collector_handler = {
	.data = on_data,
	.field_int = on_int,
	.field_str = on_str,
	.end = on_end,
	.dropfail = on_dropfail,
};

int
collector_finish(struct collector *c)
{
	struct pfa_result *r = c->res;
	int e = replay(c);

	r->total = c->total;
	r->got_end = c->got_end;
	r->cb_code = c->cb_code;
	r->got_dropfail = c->got_dropfail;
	r->drop_step = c->drop_step;
	r->drop_err = c->drop_err;
	if (c->msglen > 0 && (r->message = strndup(c->msg, c->msglen)) == NULL && e == 0)
		e = PFA_ENOMEM;
	return e;
}
