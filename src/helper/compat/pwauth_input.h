/*
 * pwauth_input.h — the pwauth interface's input on stdin (Apache
 * mod_authnz_external, "pipe" method):
 *
 *   login \n password \n
 *
 * The login is 1..CLI_USER_MAX bytes, the password 0..SECRET_MAX; the
 * password's line may also end at end of file, but it must be there
 * ("login\n" alone is malformed).  A line that is too long is an error,
 * never split into a login and a password (pwauth once turned a 1024-byte
 * login into a login and a password); a NUL byte in either line is an
 * error (PAM would see only what comes before it).
 */
#ifndef PFA_HELPER_COMPAT_PWAUTH_INPUT_H
#define PFA_HELPER_COMPAT_PWAUTH_INPUT_H

#include <stddef.h>

#include "login.h"

#define PWAUTH_INPUT_MAX (CLI_USER_MAX + 1 + SECRET_MAX + 1)

/*
 * Parse exactly data[0..len) (both lines, nothing after the second '\n')
 * into *in.  0; -EMSGSIZE when a line is too long (also when len >
 * PWAUTH_INPUT_MAX); -EINVAL otherwise (no login line, an empty login, a
 * NUL byte, no password line, data after the password's line).  *in is
 * wiped on failure.
 */
int pwauth_input_parse(const void *data, size_t len, struct compat_login *in);

/*
 * Read from fd one byte at a time up to and including the second '\n', or
 * to end of file, or PWAUTH_INPUT_MAX bytes, within timeout_ms in all
 * (compat_read; cancel_fd as there); nothing after the second '\n' is
 * consumed.  Then parse what came.  0, the parser's codes, -ETIMEDOUT,
 * -ECANCELED or another negative errno.  The bytes read are wiped; *in is
 * wiped on failure.
 */
int pwauth_input_read(int fd, long timeout_ms, int cancel_fd, struct compat_login *in);

#endif
