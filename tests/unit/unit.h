/* Shared helpers for the unit tests of libpipeforkas. */
#ifndef PFA_UNIT_H
#define PFA_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Run fn in a child that keeps the test's credentials (no drop): the same
 * fork, frames, read loop and reap as pfa_run, usable without root. */
static inline int
run_nodrop(const struct pfa_opts *o, pfa_fn fn, void *arg, struct pfa_result **res)
{
	return run_internal(NULL, o, fn, arg, res, RUN_NO_DROP);
}

static inline double
unit_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The value of "Key:" in /proc/self/status text s, copied to out. */
static inline int
status_field(const char *s, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *p = s;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
			const char *v = p + kl + 1, *e;
			while (*v == ' ' || *v == '\t')
				v++;
			e = strchr(v, '\n');
			if (!e)
				e = v + strlen(v);
			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--; /* "Groups:" ends with a space */
			if ((size_t)(e - v) >= outlen)
				return -1;
			memcpy(out, v, (size_t)(e - v));
			out[e - v] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* State letter of a process from /proc/PID/stat, or 0 when it is gone. */
static inline char
proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return 0;
	return p[2];
}

/* Byte i of unit_cb_pattern's stream. */
static inline uint8_t
unit_pattern_byte(size_t i)
{
	return (uint8_t)(i * 7 + (i >> 13));
}

/* A callback: write *(size_t *)arg bytes of a pattern that depends on the
 * offset (unit_pattern_byte), in chunks of an odd size. */
static inline int
unit_cb_pattern(pfa_out *out, void *arg)
{
	size_t len = *(size_t *)arg, off = 0;
	static uint8_t chunk[100003];

	while (off < len) {
		size_t n = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
		for (size_t i = 0; i < n; i++)
			chunk[i] = unit_pattern_byte(off + i);
		if (pfa_out_write(out, chunk, n) != 0)
			return 1;
		off += n;
	}
	return 0;
}

#endif
