/*
 * op_read.c — "read PATH": the child, as the user, opens PATH (relative to
 * the home directory), and streams its bytes to the caller: on OP_CH_TEXT
 * when the whole file is valid UTF-8 without NUL bytes (a JSON string), on
 * OP_CH_BINARY otherwise (base64, "encoding":"base64").  The first pass
 * decides, the second sends (read into the child's frame buffer, never
 * spliced: out.c says why); a file whose size, mtime or ctime changed
 * between them fails the operation instead of claiming text that may not
 * be (the JSON stays valid either way: the writer replaces invalid bytes).
 * With --raw the encoding does not matter: one pass, on OP_CH_BINARY,
 * copied too: the parent splices the result pipe to the caller's, and
 * spliced file pages would reach the caller by reference, showing whatever
 * is written to the file later, until the caller reads them.  Only regular files;
 * larger than the policy's max_output fails with EFBIG before a byte is
 * sent, and no pass reads more than that: a file whose size stat does not
 * tell (in /proc) or that grows fails with EFBIG once it passes the limit,
 * in the first pass (with --raw, after up to max_output bytes went); a
 * second pass that finds more than the first fails with ESTALE as soon as
 * it does.  A failed read says its own errno.  Result: "data" (streamed),
 * "size".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

#define READ_CHUNK (256u * 1024)

/* An incremental, strict UTF-8 checker (RFC 3629) that also refuses NUL. */
struct u8check {
	unsigned need;         /* continuation bytes still expected */
	unsigned char lo, hi;  /* range of the next one */
	int bad;
};

static void
u8_lead(struct u8check *u, unsigned char c)
{
	u->lo = 0x80;
	u->hi = 0xbf;
	if (c >= 0x01 && c < 0x80)
		u->need = 0;
	else if (c >= 0xc2 && c <= 0xdf)
		u->need = 1;
	else if (c >= 0xe0 && c <= 0xef) {
		u->need = 2;
		u->lo = c == 0xe0 ? 0xa0 : 0x80;
		u->hi = c == 0xed ? 0x9f : 0xbf;
	} else if (c >= 0xf0 && c <= 0xf4) {
		u->need = 3;
		u->lo = c == 0xf0 ? 0x90 : 0x80;
		u->hi = c == 0xf4 ? 0x8f : 0xbf;
	} else
		u->bad = 1;
}

/* Bytes at p[i..n) that are plain ASCII without NUL, counted eight at a
 * time: a word has no byte >= 0x80 and no zero byte. */
static size_t
ascii_run(const unsigned char *p, size_t i, size_t n)
{
	const uint64_t hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
	size_t start = i;

	while (n - i >= 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if ((w & hi) != 0 || ((w - lo) & ~w & hi) != 0)
			break;
		i += 8;
	}
	while (i < n && p[i] >= 0x01 && p[i] < 0x80)
		i++;
	return i - start;
}

static void
u8_feed(struct u8check *u, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !u->bad; i++) {
		if (u->need == 0) {
			i += ascii_run(p, i, n);
			if (i == n)
				break;
			u8_lead(u, p[i]);
		} else if (p[i] >= u->lo && p[i] <= u->hi) {
			u->need--;
			u->lo = 0x80;
			u->hi = 0xbf;
		} else {
			u->bad = 1;
		}
	}
}

static unsigned char buf[READ_CHUNK];

/* How much to ask of the next read when size bytes were had and more
 * than limit must not be: at most READ_CHUNK, at most one byte past the
 * limit (which tells a file that ends at it from one that goes on). */
static size_t
next_want(uint64_t size, uint64_t limit)
{
	uint64_t left = size <= limit ? limit - size : 0;

	return left >= READ_CHUNK ? READ_CHUNK : (size_t)left + 1;
}

/* The first pass: check that fd from offset 0 is text, reading no more
 * than limit bytes.  *size gets the bytes seen.  0, EFBIG past limit (a
 * file whose size stat did not tell: /proc, one growing), or errno. */
static int
pass(int fd, struct u8check *u, uint64_t limit, uint64_t *size)
{
	ssize_t n;

	*size = 0;
	if (lseek(fd, 0, SEEK_SET) != 0)
		return errno;
	while ((n = read(fd, buf, next_want(*size, limit))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if ((*size += (uint64_t)n) > limit)
			return EFBIG;
		u8_feed(u, buf, (size_t)n);
	}
	return 0;
}

/* Send fd from offset 0 on channel ch (read into the frame buffer: never
 * its pages into the result pipe, see out.c), the size bytes the first
 * pass saw and no more: 0, ESTALE when the file has more now, EPIPE when
 * the result pipe failed, or the errno of a failed read. */
static int
send_file(int fd, pfa_out *out, unsigned ch, uint64_t want, uint64_t *size)
{
	size_t moved;
	int e;

	*size = 0;
	if (lseek(fd, 0, SEEK_SET) != 0)
		return errno;
	do {
		errno = 0;
		if (pfa_out_splice(out, ch, fd, next_want(*size, want), &moved) != 0) {
			e = errno; /* a read's or the pipe's; none for an earlier failure */
			return e != 0 ? e : EPIPE;
		}
		if ((*size += moved) > want)
			return ESTALE;
	} while (moved > 0);
	return 0;
}

/* Send fd from offset 0 on OP_CH_BINARY, copied (see the top), no more
 * than limit bytes: 0, EFBIG once the file goes past it (what came before
 * went), EPIPE, or errno. */
static int
copy_file(int fd, pfa_out *out, uint64_t limit, uint64_t *size)
{
	ssize_t n;

	*size = 0;
	while ((n = read(fd, buf, next_want(*size, limit))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if ((*size += (uint64_t)n) > limit)
			return EFBIG;
		if (pfa_out_write_channel(out, OP_CH_BINARY, buf, (size_t)n) != 0)
			return EPIPE;
	}
	return 0;
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The operation's error for a failed pass: errno e, said as the docs do. */
static int
read_failed(pfa_out *out, int e, const char *path)
{
	if (e == EFBIG)
		return op_errno(out, e, "read (larger than max_output)", path);
	if (e == ESTALE)
		return op_errno(out, e, "read (the file changed while it was read)", path);
	return op_errno(out, e, "read", path);
}

static int
read_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	const char *path = c->args[0];
	struct u8check first = { 0 };
	uint64_t size1, size2;
	struct stat st, after;
	unsigned ch;
	int fd, e = 0;

	op_enter(c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return op_errno(out, errno, "open", path);
	if (fstat(fd, &st) != 0)
		return op_errno(out, errno, "stat", path);
	if (S_ISDIR(st.st_mode))
		return op_errno(out, EISDIR, "read", path);
	if (!S_ISREG(st.st_mode))
		return op_errno(out, EINVAL, "read (not a regular file)", path);
	if ((uint64_t)st.st_size > c->max_output)
		return op_errno(out, EFBIG, "read (larger than max_output)", path);
	if (fcntl(fd, F_SETFL, 0) != 0)
		return op_errno(out, errno, "read", path);
	if (c->raw) {
		if ((e = copy_file(fd, out, c->max_output, &size2)) != 0)
			return read_failed(out, e, path);
		close(fd);
		return pfa_out_int(out, "size", (int64_t)size2) == 0 ? 0 : 1;
	}
	if ((e = pass(fd, &first, c->max_output, &size1)) != 0)
		return read_failed(out, e, path);
	ch = first.bad || first.need ? OP_CH_BINARY : OP_CH_TEXT;
	if ((e = send_file(fd, out, ch, size1, &size2)) != 0)
		return read_failed(out, e, path);
	if (fstat(fd, &after) != 0)
		return op_errno(out, errno, "stat", path);
	close(fd);
	if (size2 != size1 || !same_file(&st, &after))
		return op_errno(out, ESTALE, "read (the file changed while it was read)", path);
	return pfa_out_int(out, "size", (int64_t)size2) == 0 ? 0 : 1;
}

static void
render_read(struct json *j, const pfa_result *res)
{
	op_render_int(j, res, "size");
}

const struct op op_read = { "read", 1, 1, 0, 1, 1, read_child, render_read };
