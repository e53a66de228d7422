/*
 * pwauth.h — the pwauth interface (Apache mod_authnz_external's "pipe"
 * method, and anything else written for pwauth):
 *
 *   pipefork-as --pwauth
 *
 * stdin carries "login\npassword\n" (pwauth_input.h).  The flow is the
 * helper's "auth" operation: authenticate, acct_mgmt, setcred and
 * open_session, then the session closed again; nothing runs as the user,
 * nothing forks.  Nothing is printed: the answer is the exit code.
 *
 * Exit codes (pwauth_exit_code, the one table; pwauth's own numbers):
 *   0   the login may go on
 *   1   unknown user or wrong password (never told apart)
 *   3   a target the policy refuses: root, a uid below min_uid; a target
 *       that changed during the login
 *   4   the account has expired
 *   5   the password has expired
 *   6   logins are off: the account stage refused and /etc/nologin or
 *       /var/run/nologin exists (pam_nologin), told only after the password
 *       was right
 *   7   the account may not log in now (too many failures, locked)
 *   50  the caller is not in the caller group
 *   51  malformed input or usage
 *   52  internal or configuration error (pipefork-as.conf, also one changed
 *       during the login; PAM, an operation the policy does not allow)
 *   53  not running as root: the helper is not installed setuid root
 */
#ifndef PFA_HELPER_COMPAT_PWAUTH_H
#define PFA_HELPER_COMPAT_PWAUTH_H

#include "status.h"

/* The whole front end: argv[1] is "--pwauth".  Returns the exit code. */
int pwauth_main(int argc, char **argv);

/* Outcomes besides enum status that have their own exit code. */
enum { PWAUTH_CALLER_DENIED = ST_COUNT, PWAUTH_NOLOGIN, PWAUTH_NOT_ROOT, PWAUTH_OUTCOMES };

/* The exit code of an outcome (an enum status or PWAUTH_*); unknown
 * outcomes fail closed (52). */
int pwauth_exit_code(int outcome);

#endif
