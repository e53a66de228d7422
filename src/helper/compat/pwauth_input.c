/*
 * pwauth_input.c — see pwauth_input.h.
 * MUST: bounded (PWAUTH_INPUT_MAX bytes are the most ever read); each line
 * is checked against its own limit, so an oversize login can never spill
 * into the password; every copy of the password (the read buffer, *in on
 * failure) is wiped with explicit_bzero.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "pwauth_input.h"

int
pwauth_input_parse(const void *data, size_t len, struct compat_login *in)
{
	const unsigned char *p = data, *nl, *pass;
	size_t user, plen;
	int r = -EINVAL;

	compat_login_wipe(in);
	if (len > PWAUTH_INPUT_MAX) {
		r = -EMSGSIZE;
		goto out;
	}
	if ((nl = memchr(p, '\n', len)) == NULL) {
		if (len > CLI_USER_MAX)
			r = -EMSGSIZE;
		goto out;
	}
	user = (size_t)(nl - p);
	if (user > CLI_USER_MAX) {
		r = -EMSGSIZE;
		goto out;
	}
	pass = nl + 1;
	plen = len - user - 1;
	if ((nl = memchr(pass, '\n', plen)) != NULL) {
		if (nl + 1 != p + len)
			goto out; /* data after the password's line */
		plen = (size_t)(nl - pass);
	} else if (plen == 0) {
		goto out; /* no password line at all */
	}
	if (plen > SECRET_MAX) {
		r = -EMSGSIZE;
		goto out;
	}
	if (user == 0 || memchr(p, '\0', user) != NULL || memchr(pass, '\0', plen) != NULL)
		goto out;
	memcpy(in->user, p, user);
	memcpy(in->password.buf, pass, plen);
	in->password.len = plen;
	return 0;
out:
	compat_login_wipe(in);
	return r;
}

int
pwauth_input_read(int fd, long timeout_ms, int cancel_fd, struct compat_login *in)
{
	unsigned char buf[PWAUTH_INPUT_MAX];
	long deadline = compat_deadline(timeout_ms);
	size_t len = 0;
	int lines = 0, r;
	ssize_t n;

	while (len < sizeof(buf) && lines < 2) {
		n = compat_read(fd, buf + len, 1, deadline, cancel_fd);
		if (n < 0) {
			r = (int)n;
			goto out;
		}
		if (n == 0)
			break;
		lines += buf[len++] == '\n';
	}
	r = pwauth_input_parse(buf, len, in);
out:
	explicit_bzero(buf, sizeof(buf));
	if (r < 0)
		compat_login_wipe(in);
	return r;
}
