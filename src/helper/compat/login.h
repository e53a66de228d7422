/*
 * login.h — what the checkpassword and pwauth front ends read from their
 * caller (a login name and a password), and the bounded, timed read both
 * readers are built on.  No privileged work, no printing: the parsers
 * (cpw_input.h, pwauth_input.h) are unit tested and fuzzed on their own.
 */
#ifndef PFA_HELPER_COMPAT_LOGIN_H
#define PFA_HELPER_COMPAT_LOGIN_H

#include <stddef.h>
#include <sys/types.h>

#include "cli.h"

struct compat_login {
	char user[CLI_USER_MAX + 1]; /* 1..CLI_USER_MAX bytes, no NUL inside */
	struct secret password;      /* 0..SECRET_MAX bytes, no NUL inside */
};

/* explicit_bzero the whole struct. */
void compat_login_wipe(struct compat_login *l);

/* A deadline timeout_ms (>= 0) from now, on CLOCK_MONOTONIC, in ms. */
long compat_deadline(long timeout_ms);

/*
 * One read(2) of at most n (> 0) bytes from fd into buf, waiting for data
 * until deadline (from compat_deadline) and no longer; when cancel_fd
 * (>= 0; -1 for none) becomes readable or hangs up first, nothing is read.
 * Returns the number of bytes read (0 at end of file), -ETIMEDOUT,
 * -ECANCELED, or another negative errno.  EINTR is retried (a signal the
 * caller cares about shows on cancel_fd).
 */
ssize_t compat_read(int fd, void *buf, size_t n, long deadline, int cancel_fd);

#endif
