/*
 * out.c — the child's side of the pipe: what the callback writes becomes
 * frames.  Runs in the child only.  MUST: no allocation (the buffer was
 * allocated by the parent before fork); every write retried on EINTR and
 * short counts; after a failed write every later call fails; frames reach
 * the pipe in the order of the calls (fields wait in fbuf and go first in
 * the next write: one writev for a result of fields and its END).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

/* writev(2) all of iov[0..n), retrying on EINTR and short counts. */
static int
writev_all(int fd, struct iovec *iov, int n)
{
	int i = 0;

	while (i < n) {
		ssize_t w;
		if (iov[i].iov_len == 0) {
			i++;
			continue;
		}
		w = writev(fd, iov + i, n - i);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		while (i < n && (size_t)w >= iov[i].iov_len) {
			w -= (ssize_t)iov[i].iov_len;
			i++;
		}
		if (i < n) {
			iov[i].iov_base = (uint8_t *)iov[i].iov_base + w;
			iov[i].iov_len -= (size_t)w;
		}
	}
	return 0;
}

int
out_write_all(int fd, const void *buf, size_t len)
{
	struct iovec iov = { (void *)buf, len };

	return writev_all(fd, &iov, 1);
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
	out->fused = 0;
}

static int
fail(struct pfa_out *out)
{
	out->error = PFA_ESYS;
	return out->error;
}

/* Write the waiting fields, then a[0..alen) and b[0..blen) (either may be
 * empty), in one writev: the order on the pipe is the order of the calls. */
static int
emit(struct pfa_out *out, const void *a, size_t alen, const void *b, size_t blen)
{
	struct iovec iov[3];

	if (out->error)
		return out->error;
	iov[0].iov_base = out->fbuf;
	iov[0].iov_len = out->fused;
	iov[1].iov_base = (void *)a;
	iov[1].iov_len = alen;
	iov[2].iov_base = (void *)b;
	iov[2].iov_len = blen;
	if (writev_all(out->fd, iov, 3) < 0)
		return fail(out);
	out->fused = 0;
	return 0;
}

/* Send the data frame being filled, after the waiting fields. */
static int
flush_data(struct pfa_out *out)
{
	int r;

	if (out->error)
		return out->error;
	if (out->used == 0)
		return 0;
	frame_put_header(out->buf, (uint32_t)out->used + 1, FRAME_DATA);
	out->buf[FRAME_HDR] = (uint8_t)out->channel;
	if ((r = emit(out, out->buf, FRAME_HDR + 1 + out->used, NULL, 0)) < 0)
		return r;
	out->used = 0;
	return 0;
}

int
pfa_out_flush(pfa_out *out)
{
	int r;

	if (out == NULL)
		return PFA_EINVAL;
	if ((r = flush_data(out)) < 0)
		return r;
	return out->fused > 0 ? emit(out, NULL, 0, NULL, 0) : out->error;
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
			frame_put_header(hdr, FRAME_MAX, FRAME_DATA);
			hdr[FRAME_HDR] = (uint8_t)channel;
			if ((r = emit(out, hdr, sizeof(hdr), p, FRAME_DATA_MAX)) < 0)
				return r;
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

/* Queue one FIELD frame whose value is val[0..vlen) behind the waiting
 * ones (sent at once, after them, when it does not fit). */
static int
send_field(struct pfa_out *out, uint8_t kind, const char *key, const void *val,
	   size_t vlen)
{
	size_t keylen, len;
	uint8_t *p;
	int r, queued;

	if (out == NULL || key == NULL || (val == NULL && vlen > 0))
		return PFA_EINVAL;
	keylen = strnlen(key, FRAME_KEY_MAX + 1);
	if (!frame_key_valid(key, keylen) || vlen > PFA_FIELD_MAX ||
	    out->nfields >= PFA_FIELDS_MAX)
		return PFA_EINVAL;
	if ((r = flush_data(out)) < 0)
		return r;
	len = 2 + keylen + vlen;
	queued = FRAME_HDR + len <= sizeof(out->fbuf) - out->fused;
	p = queued ? out->fbuf + out->fused : out->buf; /* buf: no data in it now */
	frame_put_header(p, (uint32_t)len, FRAME_FIELD);
	p[FRAME_HDR] = kind;
	p[FRAME_HDR + 1] = (uint8_t)keylen;
	memcpy(p + FRAME_HDR + 2, key, keylen);
	if (vlen > 0)
		memcpy(p + FRAME_HDR + 2 + keylen, val, vlen);
	if (queued)
		out->fused += FRAME_HDR + len;
	else if ((r = emit(out, p, FRAME_HDR + len, NULL, 0)) < 0)
		return r;
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
	return emit(out, p, FRAME_HDR + 4 + out->msglen, NULL, 0);
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

/*
 * Read up to max bytes of fd straight into the data frame being filled.
 * Never splice(2) into the result pipe: a file's page-cache pages there
 * would make the parent's read wait on their lock (page_cache_pipe_buf_
 * confirm -> folio_lock), which no signal interrupts, and whoever serves
 * the file (the target's own FUSE server) can hold that lock for as long as
 * it likes: a root parent would hang with its PAM session open.  A read
 * into our own buffer waits here, in the child, instead.
 */
int
pfa_out_splice(pfa_out *out, unsigned channel, int fd, size_t max, size_t *moved)
{
	struct stat st;
	ssize_t n;
	int r, regular;

	if (out == NULL || moved == NULL || channel >= PFA_CHANNELS || fd < 0)
		return PFA_EINVAL;
	*moved = 0;
	if (out->error)
		return out->error;
	if (fstat(fd, &st) != 0)
		return PFA_ESYS;
	regular = S_ISREG(st.st_mode);
	if (channel != out->channel) {
		if ((r = flush_data(out)) < 0)
			return r;
		out->channel = channel;
	}
	if (max > FRAME_DATA_MAX - out->used)
		max = FRAME_DATA_MAX - out->used;
	do
		n = read(fd, out->buf + FRAME_HDR + 1 + out->used, max);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return PFA_ESYS;
	out->used += (size_t)n;
	*moved = (size_t)n;
	/* A regular file's bytes wait to fill the frame; a pipe's (socket's,
	 * terminal's) go now: the next read may wait for a slow producer. */
	if ((out->used == FRAME_DATA_MAX || (n > 0 && !regular)) && (r = flush_data(out)) < 0)
		return r;
	return 0;
}
