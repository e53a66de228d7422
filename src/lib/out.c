/*
 * out.c — the child's side of the pipe: what the callback writes becomes
 * frames.  Runs in the child only.  MUST: no allocation (the buffer was
 * allocated by the parent before fork); every write retried on EINTR and
 * short counts; after a failed write every later call fails.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

int
out_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* writev(2) all of a two-element vector. */
static int
writev2_all(int fd, struct iovec *iov)
{
	int i = 0;

	while (i < 2) {
		ssize_t w = writev(fd, iov + i, 2 - i);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (i < 2 && (size_t)w >= iov[i].iov_len) {
			w -= (ssize_t)iov[i].iov_len;
			i++;
		}
		if (i < 2) {
			iov[i].iov_base = (uint8_t *)iov[i].iov_base + w;
			iov[i].iov_len -= (size_t)w;
		}
	}
	return 0;
}

void
out_init(struct pfa_out *out, int fd)
{
	out->fd = fd;
	out->error = 0;
	out->channel = 0;
	out->used = 0;
	out->msglen = 0;
	out->nfields = 0;
	out->spipe[0] = out->spipe[1] = 0; /* 0: not opened; fds are stored +1 */
}

static int
fail(struct pfa_out *out)
{
	out->error = PFA_ESYS;
	return out->error;
}

static int
flush_data(struct pfa_out *out)
{
	if (out->error)
		return out->error;
	if (out->used == 0)
		return 0;
	frame_put_header(out->buf, (uint32_t)out->used + 1, FRAME_DATA);
	out->buf[FRAME_HDR] = (uint8_t)out->channel;
	if (out_write_all(out->fd, out->buf, FRAME_HDR + 1 + out->used) < 0)
		return fail(out);
	out->used = 0;
	return 0;
}

int
pfa_out_flush(pfa_out *out)
{
	if (out == NULL)
		return PFA_EINVAL;
	return flush_data(out);
}

int
pfa_out_write_channel(pfa_out *out, unsigned channel, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int r;

	if (out == NULL || channel >= PFA_CHANNELS || (buf == NULL && len > 0))
		return PFA_EINVAL;
	if (out->error)
		return out->error;
	if (channel != out->channel) {
		if ((r = flush_data(out)) < 0)
			return r;
		out->channel = channel;
	}
	while (len > 0) {
		size_t room = FRAME_DATA_MAX - out->used, take;
		if (out->used == 0 && len >= FRAME_DATA_MAX) {
			/* A whole frame straight from the caller's buffer. */
			uint8_t hdr[FRAME_HDR + 1];
			struct iovec iov[2];
			frame_put_header(hdr, FRAME_MAX, FRAME_DATA);
			hdr[FRAME_HDR] = (uint8_t)channel;
			iov[0].iov_base = hdr;
			iov[0].iov_len = sizeof(hdr);
			iov[1].iov_base = (void *)p;
			iov[1].iov_len = FRAME_DATA_MAX;
			if (writev2_all(out->fd, iov) < 0)
				return fail(out);
			p += FRAME_DATA_MAX;
			len -= FRAME_DATA_MAX;
			continue;
		}
		take = len < room ? len : room;
		memcpy(out->buf + FRAME_HDR + 1 + out->used, p, take);
		out->used += take;
		p += take;
		len -= take;
		if (out->used == FRAME_DATA_MAX && (r = flush_data(out)) < 0)
			return r;
	}
	return 0;
}

int
pfa_out_write(pfa_out *out, const void *buf, size_t len)
{
	return pfa_out_write_channel(out, 0, buf, len);
}

/* Send one FIELD frame whose value is val[0..vlen). */
static int
send_field(struct pfa_out *out, uint8_t kind, const char *key, const void *val,
	   size_t vlen)
{
	size_t keylen, len;
	uint8_t *p;
	int r;

	if (out == NULL || key == NULL || (val == NULL && vlen > 0))
		return PFA_EINVAL;
	keylen = strnlen(key, FRAME_KEY_MAX + 1);
	if (!frame_key_valid(key, keylen) || vlen > PFA_FIELD_MAX ||
	    out->nfields >= PFA_FIELDS_MAX)
		return PFA_EINVAL;
	if ((r = flush_data(out)) < 0)
		return r;
	len = 2 + keylen + vlen;
	p = out->buf;
	frame_put_header(p, (uint32_t)len, FRAME_FIELD);
	p[FRAME_HDR] = kind;
	p[FRAME_HDR + 1] = (uint8_t)keylen;
	memcpy(p + FRAME_HDR + 2, key, keylen);
	if (vlen > 0)
		memcpy(p + FRAME_HDR + 2 + keylen, val, vlen);
	if (out_write_all(out->fd, p, FRAME_HDR + len) < 0)
		return fail(out);
	out->nfields++;
	return 0;
}

int
pfa_out_int(pfa_out *out, const char *key, int64_t value)
{
	uint8_t v[8];
	uint64_t u = (uint64_t)value;

	frame_put_u32(v, (uint32_t)(u >> 32));
	frame_put_u32(v + 4, (uint32_t)u);
	return send_field(out, 1, key, v, sizeof(v));
}

int
pfa_out_str(pfa_out *out, const char *key, const void *value, size_t len)
{
	return send_field(out, 2, key, value, len);
}

int
pfa_out_message(pfa_out *out, const char *msg)
{
	size_t len;

	if (out == NULL || msg == NULL)
		return PFA_EINVAL;
	len = strnlen(msg, PFA_MSG_MAX + 1);
	if (len > PFA_MSG_MAX)
		return PFA_EINVAL;
	memcpy(out->msg, msg, len);
	out->msglen = len;
	return 0;
}

int
out_finish(struct pfa_out *out, int code)
{
	uint8_t *p = out->buf;
	int r;

	if ((r = flush_data(out)) < 0)
		return r;
	frame_put_header(p, (uint32_t)(4 + out->msglen), FRAME_END);
	frame_put_u32(p + FRAME_HDR, (uint32_t)code);
	memcpy(p + FRAME_HDR + 4, out->msg, out->msglen);
	if (out_write_all(out->fd, p, FRAME_HDR + 4 + out->msglen) < 0)
		return fail(out);
	return 0;
}

void
out_dropfail(int fd, int step, int err)
{
	uint8_t f[FRAME_HDR + 5];

	frame_put_header(f, 5, FRAME_DROPFAIL);
	f[FRAME_HDR] = (uint8_t)step;
	frame_put_u32(f + FRAME_HDR + 1, (uint32_t)(err >= 0 && err < 4096 ? err : 0));
	(void)out_write_all(fd, f, sizeof(f));
}

/* Move exactly n bytes from the splice pipe to the result pipe. */
static int
splice_out(struct pfa_out *out, size_t n)
{
	while (n > 0) {
		ssize_t m = splice(out->spipe[0] - 1, NULL, out->fd, NULL, n, SPLICE_F_MOVE);
		if (m < 0 && errno == EINTR)
			continue;
		if (m <= 0)
			return -1;
		n -= (size_t)m;
	}
	return 0;
}

/* The copying way, for what the kernel cannot splice. */
static int
copy_once(struct pfa_out *out, unsigned channel, int fd, size_t max, size_t *moved)
{
	uint8_t buf[16384];
	ssize_t n;

	do
		n = read(fd, buf, max < sizeof(buf) ? max : sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return PFA_ESYS;
	*moved = (size_t)n;
	return n > 0 ? pfa_out_write_channel(out, channel, buf, (size_t)n) : 0;
}

int
pfa_out_splice(pfa_out *out, unsigned channel, int fd, size_t max, size_t *moved)
{
	uint8_t hdr[FRAME_HDR + 1];
	ssize_t n;
	int p[2], r;

	if (out == NULL || moved == NULL || channel >= PFA_CHANNELS || fd < 0)
		return PFA_EINVAL;
	*moved = 0;
	if (out->error)
		return out->error;
	if ((r = flush_data(out)) < 0)
		return r;
	if (out->spipe[0] == 0) {
		if (pipe2(p, O_CLOEXEC) != 0)
			return copy_once(out, channel, fd, max, moved);
		out->spipe[0] = p[0] + 1;
		out->spipe[1] = p[1] + 1;
	}
	if (max > FRAME_DATA_MAX)
		max = FRAME_DATA_MAX;
	/* Into our own pipe first, to learn how many bytes there are: the
	 * frame's header must announce exactly what follows it. */
	do
		n = splice(fd, NULL, out->spipe[1] - 1, NULL, max, SPLICE_F_MOVE);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EINVAL)
		return copy_once(out, channel, fd, max, moved);
	if (n < 0)
		return PFA_ESYS;
	if (n == 0)
		return 0;
	frame_put_header(hdr, (uint32_t)n + 1, FRAME_DATA);
	hdr[FRAME_HDR] = (uint8_t)channel;
	if (out_write_all(out->fd, hdr, sizeof(hdr)) < 0 || splice_out(out, (size_t)n) < 0)
		return fail(out);
	*moved = (size_t)n;
	return 0;
}
