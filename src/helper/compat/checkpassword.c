/*
 * checkpassword.c — `pipefork-as --checkpassword [--dovecot] PROG [ARG...]`
 * (checkpassword.h has the interface and the exit codes).  The flow, in
 * this order, and why:
 *
 *   1. sanitize   fds 0-2 made safe; every fd >= 3 closed but 3 (the
 *                 input) and 4 (Dovecot's reply pipe) — Dovecot leaks its
 *                 own 5-22 into us; ORIG_UID, AUTHORIZED and
 *                 CREDENTIALS_LOOKUP saved, then the environment cleared;
 *                 umask, signals, rlimits (steps.c, sanitize.h)
 *   2. mode       options and the saved variables (memory only)
 *   3. fds 3, 4   pinned before anything opens a file: fd 3 must be open
 *                 (else a file opened later — the policy, the signal pipe —
 *                 would take its number and be read as the input) and both
 *                 become close-on-exec (nothing PAM runs inherits them);
 *                 fd 4 is closed at once in classic mode
 *   4. authorize  policy, the caller in its caller group — before a byte
 *                 of fd 3 is read (the real uid becomes root later, in
 *                 step_pam, once the input is in)
 *   5. fd 3       read to end of file (<= 512 bytes, the policy's
 *                 default_timeout) and closed: before PAM starts and before
 *                 anything runs
 *   6. validate   the operation (classic: exec, Dovecot: auth) allowed, the
 *                 target: root and uids below min_uid refused (steps.c)
 *   7. pam        authenticate, acct_mgmt; classic also setcred and
 *                 open_session (steps.c; rq->no_session for Dovecot);
 *                 a lookup skips PAM: it authenticates nothing
 *   8. act        classic: PROG as the user, the root parent waits
 *                 (cpw_classic.c); Dovecot: PAM closed, the caller's own
 *                 ids, exec of the reply program (cpw_dovecot.c)
 *   9. finish     step_cleanup (session closed, leftovers killed, secret
 *                 wiped) on every path, one log line, the exit code
 *
 * MUST: nothing is printed (the interface has no output of its own); every
 * path after step 1 ends in step_cleanup; the exit code comes from the one
 * table below.
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "checkpassword.h"
#include "compat.h"
#include "cpw_input.h"
#include "sigs.h"
#include "steps.h"

#define INPUT_FD 3
#define REPLY_FD 4

static const struct {
	unsigned char auth, lookup;
} table[CPW_OUTCOMES] = {
	/* A lookup succeeds only through the reply program (its exit 2). */
	[ST_OK] = { 0, 111 },
	[ST_AUTH_FAILED] = { 1, 3 },
	[ST_ACCOUNT_EXPIRED] = { 1, 111 },
	[ST_PASSWORD_EXPIRED] = { 1, 111 },
	[ST_ACCOUNT_LOCKED] = { 1, 111 },
	[ST_DENIED] = { 1, 3 },
	[ST_BAD_REQUEST] = { 2, 111 },
	[ST_CONFIG_ERROR] = { 111, 111 },
	[ST_OP_FAILED] = { 111, 111 },
	[ST_TIMEOUT] = { 111, 111 },
	[ST_CRASHED] = { 111, 111 },
	[ST_INTERNAL_ERROR] = { 111, 111 },
	[CPW_CALLER_DENIED] = { 111, 111 },
};

int
checkpassword_exit_code(int outcome, int lookup)
{
	if (outcome < 0 || outcome >= CPW_OUTCOMES)
		outcome = ST_INTERNAL_ERROR;
	return lookup ? table[outcome].lookup : table[outcome].auth;
}

enum { ENV_ORIG_UID, ENV_AUTHORIZED, ENV_CREDENTIALS_LOOKUP, ENV_COUNT };

struct mode {
	int dovecot;  /* the reply program, as the caller */
	int lookup;   /* AUTHORIZED=1: no password, nothing authenticated */
	char **prog;  /* PROG [ARG...], or the reply program alone */
	int nprog;
};

static struct request rq;
static struct compat_login login;
static struct saved_env saved[ENV_COUNT] = {
	[ENV_ORIG_UID] = { "ORIG_UID" },
	[ENV_AUTHORIZED] = { "AUTHORIZED" },
	[ENV_CREDENTIALS_LOOKUP] = { "CREDENTIALS_LOOKUP" },
};

static const char *
mode_name(const struct mode *m)
{
	return !m->dovecot ? "checkpassword" : m->lookup ? "dovecot-lookup" : "dovecot";
}

/* Step 2: argv[2..] and the saved variables; usage errors are bad_request. */
static enum status
parse_mode(int argc, char **argv, struct mode *m)
{
	const struct saved_env *auth = &saved[ENV_AUTHORIZED];
	int i = 2;

	if (i < argc && strcmp(argv[i], "--dovecot") == 0) {
		m->dovecot = 1;
		i++;
	}
	if (i >= argc || argv[i][0] == '-' || argv[i][0] == '\0')
		return request_fail(&rq, ST_BAD_REQUEST,
				    "usage: pipefork-as --checkpassword [--dovecot] PROG [ARG...]");
	m->prog = argv + i;
	m->nprog = argc - i;
	if (m->nprog > CLI_ARGS_MAX)
		return request_fail(&rq, ST_BAD_REQUEST, "more than %d arguments", CLI_ARGS_MAX);
	m->dovecot |= saved[ENV_ORIG_UID].present || auth->present;
	m->lookup = auth->present;
	if (auth->present && (auth->too_long || strcmp(auth->value, "1") != 0))
		return request_fail(&rq, ST_BAD_REQUEST, "AUTHORIZED is not 1");
	if (m->dovecot && m->nprog != 1)
		return request_fail(&rq, ST_BAD_REQUEST, "Dovecot mode takes one program: the reply");
	if (saved[ENV_CREDENTIALS_LOOKUP].present)
		return request_fail(&rq, ST_CONFIG_ERROR,
				    "credentials lookups are not supported: PAM gives out no password");
	return ST_OK;
}

/* Step 3 (see the order above). */
static enum status
pin_fds(const struct mode *m)
{
	if (fcntl(INPUT_FD, F_SETFD, FD_CLOEXEC) != 0)
		return request_fail(&rq, ST_BAD_REQUEST, "fd 3 is not open");
	if (!m->dovecot) {
		(void)close(REPLY_FD);
		return ST_OK;
	}
	if (fcntl(REPLY_FD, F_SETFD, FD_CLOEXEC) != 0)
		return request_fail(&rq, ST_CONFIG_ERROR, "fd 4 (the reply pipe) is not open");
	return ST_OK;
}

/* Step 5. */
static enum status
read_input(const struct mode *m)
{
	int e = cpw_input_read(INPUT_FD, rq.pol.default_timeout * 1000, sigs_cancel_fd(), &login);

	(void)close(INPUT_FD);
	if (e < 0)
		return compat_input_failed(&rq, e, "fd 3", "login\\0password\\0timestamp\\0");
	if (m->lookup && login.password.len != 0)
		return request_fail(&rq, ST_BAD_REQUEST, "a lookup (AUTHORIZED=1) with a password");
	if (m->dovecot)
		compat_request_set(&rq, &login, "auth", NULL, 0);
	else
		compat_request_set(&rq, &login, "exec", m->prog, m->nprog);
	return ST_OK;
}

/* Steps 6 and 7. */
static enum status
authenticate(const struct mode *m)
{
	enum status st = compat_validate(&rq, !m->lookup);

	if (st != ST_OK)
		return st;
	if (m->lookup)
		return rq.id != NULL ? ST_OK : request_fail(&rq, ST_AUTH_FAILED, "no such user");
	rq.no_session = m->dovecot;
	return step_pam(&rq);
}

/* Step 8. */
static enum status
act(const struct mode *m, int *prog_status)
{
	if (!m->dovecot) {
		compat_log(&rq, mode_name(m));
		return cpw_classic_run(&rq, prog_status);
	}
	step_cleanup(&rq);
	return cpw_dovecot_reply(&rq, m->prog[0], m->lookup, mode_name(m));
}

int
checkpassword_main(int argc, char **argv)
{
	struct sanitize_spec spec = { (const int[]){ INPUT_FD, REPLY_FD }, 2, saved, ENV_COUNT };
	struct mode m = { 0 };
	enum status st;
	int outcome, prog_status = -1;

	rq.argc = argc;
	rq.argv = argv;
	if ((st = step_sanitize(&rq, &spec)) == ST_OK && (st = parse_mode(argc, argv, &m)) == ST_OK &&
	    (st = pin_fds(&m)) == ST_OK)
		st = step_authorize(&rq, 0);
	if (st == ST_OK && (st = read_input(&m)) == ST_OK && (st = authenticate(&m)) == ST_OK)
		st = act(&m, &prog_status);
	/* the caller check's denial, here or in step_pam's re-check */
	outcome = st == ST_DENIED && rq.caller_denied ? CPW_CALLER_DENIED : (int)st;
	rq.status = st;
	step_cleanup(&rq);
	compat_log(&rq, mode_name(&m));
	step_release(&rq);
	compat_login_wipe(&login);
	if (st == ST_OK && prog_status >= 0)
		return prog_status;
	return checkpassword_exit_code(outcome, m.lookup);
}
