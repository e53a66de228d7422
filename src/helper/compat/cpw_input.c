/*
 * cpw_input.c — see cpw_input.h.
 * MUST: bounded (CPW_INPUT_MAX + 1 bytes are the most ever read); no byte
 * of a login or password is taken from past its own terminator; every copy
 * of the password (the read buffer, *in on failure) is wiped with
 * explicit_bzero.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cpw_input.h"

/* The length of the string at p (its NUL is within p[0..left)), or -1. */
static long
field_len(const unsigned char *p, size_t left)
{
	const unsigned char *nul = memchr(p, '\0', left);

	return nul != NULL ? (long)(nul - p) : -1;
}

int
cpw_input_parse(const void *data, size_t len, struct compat_login *in)
{
	const unsigned char *p = data;
	long user, pass, stamp;
	int r = -EINVAL;

	compat_login_wipe(in);
	if (len > CPW_INPUT_MAX) {
		r = -EMSGSIZE;
		goto out;
	}
	if (len == 0 || (user = field_len(p, len)) <= 0 || user > CLI_USER_MAX)
		goto out;
	if ((pass = field_len(p + user + 1, len - (size_t)user - 1)) < 0)
		goto out;
	stamp = field_len(p + user + 1 + pass + 1, len - (size_t)user - 1 - (size_t)pass - 1);
	if (stamp < 0)
		goto out;
	memcpy(in->user, p, (size_t)user);
	memcpy(in->password.buf, p + user + 1, (size_t)pass);
	in->password.len = (size_t)pass;
	return 0;
out:
	compat_login_wipe(in);
	return r;
}

int
cpw_input_read(int fd, long timeout_ms, int cancel_fd, struct compat_login *in)
{
	unsigned char buf[CPW_INPUT_MAX + 1];
	long deadline = compat_deadline(timeout_ms);
	size_t len = 0;
	ssize_t n;
	int r;

	for (;;) {
		n = compat_read(fd, buf + len, sizeof(buf) - len, deadline, cancel_fd);
		if (n < 0) {
			r = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			r = -EMSGSIZE;
			goto out;
		}
	}
	r = cpw_input_parse(buf, len, in);
out:
	explicit_bzero(buf, sizeof(buf));
	if (r < 0)
		compat_login_wipe(in);
	return r;
}
