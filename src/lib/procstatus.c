/*
 * procstatus.c — see procstatus.h.  MUST: async-signal-safe (the child of a
 * multithreaded host calls it between fork and the callback); every field
 * must parse completely, or the whole read counts as unavailable.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "procstatus.h"

/* One page: /proc/self/status is about 1.5 KiB; a bigger buffer on the
 * child's stack only costs page faults.  A longer file reads as
 * unavailable (the callers then ask one item at a time). */
#define STATUS_BUF 4096

/* Value of "key:" in text (up to the end of its line), or NULL. */
static const char *
field(const char *text, size_t len, const char *key, size_t *vlen)
{
	size_t kl = strlen(key), i = 0;

	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;
		if (ll > kl && memcmp(line, key, kl) == 0 && line[kl] == ':') {
			size_t j = kl + 1;
			while (j < ll && (line[j] == '\t' || line[j] == ' '))
				j++;
			*vlen = ll - j;
			return line + j;
		}
		i += ll + 1;
	}
	return NULL;
}

static int
hex64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

static int
hex_field(const char *text, size_t len, const char *key, uint64_t *out)
{
	size_t vl;
	const char *v = field(text, len, key, &vl);

	return v != NULL ? hex64(v, vl, out) : -1;
}

int
proc_status_parse(const char *text, size_t len, struct proc_status *ps)
{
	size_t vl;
	const char *v;

	if (hex_field(text, len, "SigIgn", &ps->sig_ign) != 0 ||
	    hex_field(text, len, "SigCgt", &ps->sig_cgt) != 0 ||
	    hex_field(text, len, "CapBnd", &ps->cap_bnd) != 0 ||
	    hex_field(text, len, "CapAmb", &ps->cap_amb) != 0)
		return -1;
	v = field(text, len, "NoNewPrivs", &vl);
	if (v == NULL || vl != 1 || (v[0] != '0' && v[0] != '1'))
		return -1;
	ps->no_new_privs = v[0] - '0';
	return 0;
}

int
proc_status_read(struct proc_status *ps)
{
	char buf[STATUS_BUF];
	size_t got = 0;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC), saved = errno;

	if (fd < 0) {
		errno = saved;
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == sizeof(buf))
			break;
	}
	(void)close(fd);
	errno = saved;
	if (got == 0 || got == sizeof(buf))
		return -1;
	return proc_status_parse(buf, got, ps);
}
