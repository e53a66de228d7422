/*
 * checkpassword.h — the checkpassword interface (cr.yp.to/checkpwd):
 *
 *   pipefork-as --checkpassword [--dovecot] PROG [ARG...]
 *
 * fd 3 carries "login\0password\0timestamp\0" (cpw_input.h).
 *
 * Classic mode (qmail-popup, tcpserver): after authenticate, acct_mgmt,
 * setcred and open_session, PROG runs as the user (groups, gid, uid, the
 * identity's capabilities, no_new_privs) in the user's home, with USER,
 * HOME, SHELL, LOGNAME, PATH and the PAM environment, and with the caller's
 * fds 0, 1 and 2; the root parent waits, closes the session and exits with
 * PROG's exit status.  A PROG without '/' is looked up in the helper's own
 * PATH (sanitize.h SANITIZE_PATH), never the caller's.  No time limit: PROG
 * is the user's session and ends when the client goes.
 *
 * Dovecot mode (--dovecot, or ORIG_UID or AUTHORIZED in the environment):
 * PROG is Dovecot's reply program and the only argument.  After
 * authenticate and acct_mgmt (no session: nothing runs as the user), PAM is
 * closed, the process becomes the caller again (its own groups, gid and
 * uid, never root; verified as the library verifies a drop) and execs PROG
 * with fd 4 and USER, HOME, userdb_uid, userdb_gid,
 * EXTRA="userdb_uid userdb_gid", ORIG_UID (the caller's uid) and PATH.  A
 * lookup (AUTHORIZED=1 and an empty password) authenticates nothing: a
 * known user gets the same reply with AUTHORIZED=2, an unknown one exit 3.
 * CREDENTIALS_LOOKUP (Dovecot asking for a stored password) is refused.
 *
 * Exit codes (checkpassword_exit_code, the one table):
 *   0 (classic) PROG's exit status; (Dovecot) the reply program's
 *   1   wrong password, unknown user, an account that may not log in now,
 *       a target the policy refuses (root, uids below min_uid), a target
 *       that changed during the login
 *   2   malformed: usage, fd 3 closed or not as above
 *   3   lookup of an unknown or refused user
 *   111 temporary failure: PAM or the system failed, the configuration
 *       (pipefork-as.conf, also one changed during the login; the caller
 *       not in its caller group, an operation
 *       it does not allow, a root caller in Dovecot mode), PROG could not
 *       be run or died by a signal
 * In a lookup every failure but 3 is 111 (2 would mean success there).
 */
#ifndef PFA_HELPER_COMPAT_CHECKPASSWORD_H
#define PFA_HELPER_COMPAT_CHECKPASSWORD_H

#include "request.h"

/* The whole front end: argv[1] is "--checkpassword".  Returns the exit
 * code (or does not return: Dovecot mode execs the reply program). */
int checkpassword_main(int argc, char **argv);

/* Outcomes besides enum status that have their own exit code. */
enum { CPW_CALLER_DENIED = ST_COUNT, CPW_OUTCOMES };

/* The exit code of an outcome (an enum status or CPW_*) for an
 * authentication (lookup 0) or a lookup; unknown outcomes fail closed
 * (111). */
int checkpassword_exit_code(int outcome, int lookup);

/* cpw_classic.c: run PROG (rq->cli.args) as rq->id after step_pam; its
 * exit status in *prog_status when ST_OK. */
enum status cpw_classic_run(struct request *rq, int *prog_status);

/* cpw_dovecot.c: after step_cleanup closed PAM, become the caller, log the
 * attempt (compat_log with mode) and exec the reply program with fd 4.
 * Returns only on failure. */
enum status cpw_dovecot_reply(struct request *rq, const char *reply, int lookup,
			      const char *mode);

#endif
