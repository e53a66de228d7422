/*
 * pwauth.c — `pipefork-as --pwauth` (pwauth.h has the interface and the
 * exit codes).  The flow, in order:
 *   1. sanitize   fds (every one >= 3 closed), environment, umask,
 *                 signals, rlimits (steps.c, sanitize.h); then the
 *                 effective uid must be root (53 otherwise)
 *   2. usage      no argument after --pwauth
 *   3. authorize  policy, the caller in its caller group — before a byte
 *                 of stdin is read (the real uid becomes root later, in
 *                 step_pam, once the input is in)
 *   4. stdin      the two lines (<= PWAUTH_INPUT_MAX bytes, the policy's
 *                 default_timeout), nothing after them consumed
 *   5. validate   "auth" allowed; the target: root and uids below min_uid
 *                 refused (steps.c)
 *   6. pam        authenticate, acct_mgmt, setcred, open_session (steps.c)
 *   7. finish     step_cleanup (session closed, secret wiped) on every
 *                 path, one log line, the exit code
 * MUST: nothing is printed; every path after step 1 ends in step_cleanup;
 * the exit code comes from the one table below.
 */
#include "config.h"

#include <unistd.h>

#include "compat.h"
#include "pwauth.h"
#include "pwauth_input.h"
#include "sigs.h"
#include "steps.h"

static const unsigned char table[PWAUTH_OUTCOMES] = {
	[ST_OK] = 0,
	[ST_AUTH_FAILED] = 1,
	[ST_DENIED] = 3,
	[ST_ACCOUNT_EXPIRED] = 4,
	[ST_PASSWORD_EXPIRED] = 5,
	[PWAUTH_NOLOGIN] = 6,
	[ST_ACCOUNT_LOCKED] = 7,
	[PWAUTH_CALLER_DENIED] = 50,
	[ST_BAD_REQUEST] = 51,
	[ST_CONFIG_ERROR] = 52,
	[ST_OP_FAILED] = 52,
	[ST_TIMEOUT] = 52,
	[ST_CRASHED] = 52,
	[ST_INTERNAL_ERROR] = 52,
	[PWAUTH_NOT_ROOT] = 53,
};

int
pwauth_exit_code(int outcome)
{
	if (outcome < 0 || outcome >= PWAUTH_OUTCOMES)
		outcome = ST_INTERNAL_ERROR;
	return table[outcome];
}

static struct request rq;
static struct compat_login login;

/* Step 4. */
static enum status
read_input(void)
{
	int e = pwauth_input_read(STDIN_FILENO, rq.pol.default_timeout * 1000, sigs_cancel_fd(), &login);

	if (e < 0)
		return compat_input_failed(&rq, e, "stdin", "login\\npassword\\n");
	compat_request_set(&rq, &login, "auth", NULL, 0);
	return ST_OK;
}

/* pam_nologin refuses with the same code as other account refusals; once
 * the password was right, its file tells them apart. */
static int
nologin(void)
{
	return access("/var/run/nologin", F_OK) == 0 || access("/etc/nologin", F_OK) == 0;
}

/* Steps 1 to 6: the outcome (an enum status or PWAUTH_*). */
static int
attempt(int argc)
{
	struct sanitize_spec spec = { 0 };
	enum status st;

	if ((st = step_sanitize(&rq, &spec)) != ST_OK)
		return st;
	if (geteuid() != 0) {
		request_fail(&rq, ST_INTERNAL_ERROR, "not running as root");
		return PWAUTH_NOT_ROOT;
	}
	if (argc != 2)
		return request_fail(&rq, ST_BAD_REQUEST, "usage: pipefork-as --pwauth");
	if ((st = step_authorize(&rq, 0)) != ST_OK)
		return st;
	if ((st = read_input()) != ST_OK || (st = compat_validate(&rq, 1)) != ST_OK)
		return st;
	st = step_pam(&rq);
	if (st == ST_ACCOUNT_LOCKED && rq.authenticated && nologin())
		return PWAUTH_NOLOGIN;
	return st;
}

int
pwauth_main(int argc, char **argv)
{
	int outcome;

	rq.argc = argc;
	rq.argv = argv;
	outcome = attempt(argc);
	if (outcome == ST_DENIED && rq.caller_denied) /* here or in step_pam's re-check */
		outcome = PWAUTH_CALLER_DENIED;
	step_cleanup(&rq);
	compat_log(&rq, "pwauth");
	step_release(&rq);
	compat_login_wipe(&login);
	return pwauth_exit_code(outcome);
}
