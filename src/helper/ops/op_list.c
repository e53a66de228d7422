/*
 * op_list.c — "list DIR": the child, as the user, reads the directory DIR
 * (relative to the home directory) and lstats each entry (never following a
 * symlink; an entry removed meanwhile is left out), sorts the entries by
 * the bytes of their names, and sends them as records on OP_CH_ENTRIES.
 * "." and ".." are not listed.  Result: "entries": [{"name", "type",
 * "size", "mode", "mtime"}], a name that is not UTF-8 as base64 with
 * "name_encoding":"base64" (op_render_bytes).
 *
 * Bounds: at most LIST_ENTRIES_MAX entries, and the records (each entry's
 * name plus LIST_REC_HDR bytes) at most max_output and LIST_BYTES_MAX; a
 * larger directory fails the operation with EFBIG: never a partial list.
 *
 * MUST: the parent parses the records as untrusted bytes (lengths checked
 * against what arrived, nothing read past it); a record it cannot parse
 * ends the array and "entries_error" says so.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "op_file.h"

#define LIST_ENTRIES_MAX 262144u
#define LIST_ENTRIES_MAX_S "262144"
#define LIST_BYTES_MAX (32u * 1024 * 1024)

/* A record: u8 type, u8 0, u16 name length (> 0), u32 mode, i64 size,
 * i64 mtime (native byte order: both ends are this program), the name. */
#define LIST_REC_HDR 24u

struct listing {
	unsigned char *buf; /* the records, in readdir order */
	size_t used, cap, max;
	size_t *off;        /* where each record starts */
	size_t n, offcap;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap != 0 ? *cap : 1024;
	void *np;

	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	if ((np = realloc(*p, c * size)) == NULL)
		return ENOMEM;
	*p = np;
	*cap = c;
	return 0;
}

/* Append the record of one entry: 0 or an errno. */
static int
add(struct listing *l, const char *name, const struct stat *st)
{
	size_t len = strlen(name), need = l->used + LIST_REC_HDR + len;
	unsigned char *r;
	uint16_t nl = (uint16_t)len;
	uint32_t mode = (uint32_t)(st->st_mode & 07777);
	int64_t size = (int64_t)st->st_size, mtime = (int64_t)st->st_mtim.tv_sec;

	if (len == 0 || len > UINT16_MAX || l->n >= LIST_ENTRIES_MAX || need > l->max)
		return EFBIG;
	if (grow((void **)&l->buf, &l->cap, need, 1) != 0 ||
	    grow((void **)&l->off, &l->offcap, l->n + 1, sizeof(size_t)) != 0)
		return ENOMEM;
	r = l->buf + l->used;
	r[0] = (unsigned char)op_ftype_of(st->st_mode);
	r[1] = 0;
	memcpy(r + 2, &nl, 2);
	memcpy(r + 4, &mode, 4);
	memcpy(r + 8, &size, 8);
	memcpy(r + 16, &mtime, 8);
	memcpy(r + LIST_REC_HDR, name, len);
	l->off[l->n++] = l->used;
	l->used = need;
	return 0;
}

static int
by_name(const void *a, const void *b, void *ctx)
{
	const unsigned char *buf = ctx, *ra = buf + *(const size_t *)a, *rb = buf + *(const size_t *)b;
	uint16_t la, lb;
	int c;

	memcpy(&la, ra + 2, 2);
	memcpy(&lb, rb + 2, 2);
	c = memcmp(ra + LIST_REC_HDR, rb + LIST_REC_HDR, la < lb ? la : lb);
	return c != 0 ? c : (la > lb) - (la < lb);
}

/* Read every entry of d into l.  0 or an errno; *bad names the entry whose
 * lstat failed. */
static int
collect(DIR *d, struct listing *l, const char **bad)
{
	struct dirent *e;
	struct stat st;
	int r;

	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			return errno;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT)
				continue; /* removed since readdir */
			*bad = e->d_name;
			return errno;
		}
		if ((r = add(l, e->d_name, &st)) != 0)
			return r;
	}
}

static int
send_sorted(pfa_out *out, const struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const unsigned char *r = l->buf + l->off[i];
		uint16_t nl;
		memcpy(&nl, r + 2, 2);
		if (pfa_out_write_channel(out, OP_CH_ENTRIES, r, LIST_REC_HDR + nl) != 0)
			return 1;
	}
	return pfa_out_flush(out) == 0 ? 0 : 1;
}

/* Report what collect() failed at. */
static int
list_failed(pfa_out *out, int e, const char *dir, const char *bad)
{
	char what[300];

	if (bad != NULL) {
		snprintf(what, sizeof(what), "%.140s/%.140s", dir, bad);
		return op_errno(out, e, "lstat", what);
	}
	if (e == EFBIG)
		return op_errno(out, e, "list (more than " LIST_ENTRIES_MAX_S " entries or max_output)",
				dir);
	return op_errno(out, e, "readdir", dir);
}

static int
list_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	const char *dir = c->args[0], *bad = NULL;
	struct listing l = { 0 };
	DIR *d = NULL;
	int fd, e, r = 1;

	op_enter(c);
	l.max = c->max_output < LIST_BYTES_MAX ? c->max_output : LIST_BYTES_MAX;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY)) < 0 ||
	    (d = fdopendir(fd)) == NULL) {
		r = op_errno(out, errno, "open", dir);
		goto out;
	}
	if ((e = collect(d, &l, &bad)) != 0) {
		r = list_failed(out, e, dir, bad);
		goto out;
	}
	if (l.n > 1) /* qsort_r's base must not be NULL */
		qsort_r(l.off, l.n, sizeof(*l.off), by_name, l.buf);
	r = send_sorted(out, &l);
out:
	if (d != NULL)
		closedir(d);
	free(l.buf);
	free(l.off);
	return r;
}

/* One entry from the record at p (n bytes left): its length, or 0 when it
 * is malformed. */
static size_t
render_entry(struct json *j, const unsigned char *p, size_t n)
{
	uint16_t nl;
	uint32_t mode;
	int64_t size, mtime;

	if (n < LIST_REC_HDR)
		return 0;
	memcpy(&nl, p + 2, 2);
	if (nl == 0 || n - LIST_REC_HDR < nl)
		return 0;
	memcpy(&mode, p + 4, 4);
	memcpy(&size, p + 8, 8);
	memcpy(&mtime, p + 16, 8);
	json_begin_object(j);
	op_render_bytes(j, "name", p + LIST_REC_HDR, nl);
	op_render_ftype(j, p[0]);
	json_key(j, "size");
	json_int(j, (long long)size);
	op_render_mode(j, mode);
	json_key(j, "mtime");
	json_int(j, (long long)mtime);
	json_end_object(j);
	return LIST_REC_HDR + nl;
}

static void
render_list(struct json *j, const pfa_result *res)
{
	size_t len, off = 0, used = 1;
	const unsigned char *d = pfa_result_data(res, OP_CH_ENTRIES, &len);

	json_key(j, "entries");
	json_begin_array(j);
	while (d != NULL && off < len && (used = render_entry(j, d + off, len - off)) != 0)
		off += used;
	json_end_array(j);
	if (used == 0) {
		json_key(j, "entries_error");
		json_cstring(j, "the operation sent a malformed entry");
	}
}

const struct op op_list = { "list", 1, 0, 0, 1, 1, list_child, render_list };
