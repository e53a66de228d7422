/*
 * cpw_input.h — the checkpassword interface's input on fd 3
 * (cr.yp.to/checkpwd/interface.html):
 *
 *   login \0 password \0 timestamp \0 [more data]
 *
 * at most CPW_INPUT_MAX bytes before end of file.  The timestamp (qmail's
 * APOP challenge; Dovecot sends it empty) is checked for its terminator and
 * otherwise ignored, as is the data after it.  Anything else is malformed:
 * never guessed at, never cut.
 */
#ifndef PFA_HELPER_COMPAT_CPW_INPUT_H
#define PFA_HELPER_COMPAT_CPW_INPUT_H

#include <stddef.h>

#include "login.h"

#define CPW_INPUT_MAX 512

/*
 * Parse data[0..len) into *in.  0; -EMSGSIZE when len > CPW_INPUT_MAX;
 * -EINVAL when a terminator is missing, the login is empty or longer than
 * CLI_USER_MAX.  *in is wiped on failure.
 */
int cpw_input_parse(const void *data, size_t len, struct compat_login *in);

/*
 * Read fd to end of file, within timeout_ms in all (compat_read; cancel_fd
 * as there), and parse what came.  Reading stops at CPW_INPUT_MAX + 1
 * bytes: that is -EMSGSIZE.  0, the parser's codes, -ETIMEDOUT,
 * -ECANCELED or another negative errno.  Does not close fd.  The bytes
 * read are wiped; *in is wiped on failure.
 */
int cpw_input_read(int fd, long timeout_ms, int cancel_fd, struct compat_login *in);

#endif
