/*
 * pipefork-as — the setuid-root helper.  This file is the flow of one
 * request and nothing else; each step lives in the file named for it.
 *
 *   1. sanitize   fds 0-2, fds >= 3, environment, umask, signals, rlimits;
 *                 then argc == 0 refused
 *   2. cli        options and operation (--version/--help end here)
 *   3. policy     config trusted and loaded; the caller authorized before a
 *                 byte of stdin is read and before pam_start; then the real
 *                 uid becomes root (the caller can no longer signal us), the
 *                 caller's signals are caught, we become a subreaper
 *   4. validate   operation, root-only options, timeout, the target (uid 0
 *                 and uids below the minimum refused before authentication)
 *   5. secret     the password line from stdin (or the terminal, via PAM)
 *   6. pam        authenticate, acct_mgmt, PAM_USER re-check, groups,
 *                 setcred, open_session, environment
 *   7. run        the operation as the user (libpipeforkas)
 *   8. finish     leftovers killed, PAM session closed and credentials
 *                 deleted on every path, one log line, one JSON answer,
 *                 the exit code from the status table
 *
 * MUST: every path after step 1 ends in finish(); nothing else exits.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "acct.h"
#include "answer.h"
#include "reap.h"
#include "reply.h"
#include "request.h"
#include "sanitize.h"
#include "sigs.h"

#define DEFAULT_SERVICE "pipefork-as"

static struct request rq;

static enum status
step_sanitize(void)
{
	struct sanitize_spec spec = { 0 };
	const char *failed = "?";
	int e;

	if ((e = sanitize_process(&spec, &failed)) < 0)
		return request_fail(&rq, ST_INTERNAL_ERROR, "sanitize: %s: %s", failed, strerror(-e));
	if (rq.argc < 1 || rq.argv == NULL || rq.argv[0] == NULL)
		return request_fail(&rq, ST_BAD_REQUEST, "empty argument vector");
	return ST_OK;
}

static void
usage(void)
{
	printf("usage: pipefork-as [--user NAME] [--service NAME] [--timeout SECONDS]\n"
	       "                   [--no-auth] [--append] OP [ARG...]\n"
	       "       pipefork-as --version | --help\n"
	       "The password comes on stdin, up to the first newline; one JSON document\n"
	       "answers on stdout.  Operations: auth, id, exec CMD [ARG...].\n"
	       "See pipefork-as(8).\n");
}

static enum status
step_cli(int *done)
{
	char err[256];

	if (cli_parse(rq.argc, rq.argv, &rq.cli, err, sizeof(err)) < 0)
		return request_fail(&rq, ST_BAD_REQUEST, "%s", err);
	if (rq.cli.mode == CLI_VERSION)
		printf("pipefork-as %s\n", PACKAGE_VERSION);
	else if (rq.cli.mode == CLI_HELP)
		usage();
	*done = rq.cli.mode != CLI_RUN;
	return ST_OK;
}

static enum status
step_policy(void)
{
	char err[256];
	int e;

	if ((e = caller_identify(&rq.caller)) < 0)
		return request_fail(&rq, ST_INTERNAL_ERROR, "caller: %s", strerror(-e));
	if (policy_load(POLICY_PATH, POLICY_LOGIN_DEFS, &rq.pol, err, sizeof(err)) < 0)
		return request_fail(&rq, ST_CONFIG_ERROR, "%s: %s", POLICY_PATH, err);
	if (!policy_caller_allowed(rq.caller.uid, rq.caller.gid, rq.caller.groups,
				   rq.caller.ngroups, policy_caller_gid(&rq.pol)))
		return request_fail(&rq, ST_DENIED, "the caller is not in group %s",
				    rq.pol.caller_group);
	if ((e = caller_become_root()) < 0 || (e = sigs_install()) < 0 || (e = reap_init()) < 0)
		return request_fail(&rq, ST_INTERNAL_ERROR, "setting up: %s", strerror(-e));
	return ST_OK;
}

/* The target, resolved now; an unknown user is not an error yet: PAM will
 * fail it exactly as it fails a wrong password. */
static enum status
resolve_target(void)
{
	int e = pfa_identity_from_name(rq.cli.user, rq.pol.allow_root ? PFA_ALLOW_ROOT : 0, &rq.id);

	if (e == PFA_ENOUSER)
		return ST_OK;
	if (e == PFA_EROOT)
		return request_fail(&rq, ST_DENIED, "root is not allowed as a target");
	if (e == PFA_EINVAL)
		return request_fail(&rq, ST_BAD_REQUEST, "invalid user name");
	if (e < 0)
		return request_fail(&rq, ST_INTERNAL_ERROR, "resolving the user: %s", pfa_strerror(e));
	if (!policy_target_allowed(&rq.pol, pfa_identity_uid(rq.id)))
		return request_fail(&rq, ST_DENIED, "this user is not allowed as a target");
	return ST_OK;
}

static enum status
step_validate(void)
{
	const struct cli *c = &rq.cli;

	rq.service = c->service != NULL ? c->service : DEFAULT_SERVICE;
	if ((rq.op = op_find(c->op)) == NULL)
		return request_fail(&rq, ST_BAD_REQUEST, "unknown operation");
	if (c->nargs < rq.op->min_args || c->nargs > rq.op->max_args)
		return request_fail(&rq, ST_BAD_REQUEST, "wrong number of arguments for %s",
				    rq.op->name);
	if (c->user == NULL)
		return request_fail(&rq, ST_BAD_REQUEST, "--user is required");
	if ((c->service != NULL || c->no_auth) && rq.caller.uid != 0)
		return request_fail(&rq, ST_DENIED, "--service and --no-auth are for root only");
	if (!policy_op_allowed(&rq.pol, rq.op->name))
		return request_fail(&rq, ST_DENIED, "operation %s is not allowed", rq.op->name);
	if (policy_timeout(&rq.pol, c->timeout, &rq.timeout) < 0)
		return request_fail(&rq, ST_BAD_REQUEST, "timeout out of range (at most %ld s)",
				    rq.pol.max_timeout);
	return resolve_target();
}

static enum status
step_secret(void)
{
	int e;

	rq.input_is_tty = isatty(STDIN_FILENO);
	if (rq.cli.no_auth || rq.input_is_tty)
		return ST_OK;
	if ((e = secret_read(STDIN_FILENO, &rq.secret)) == -EMSGSIZE)
		return request_fail(&rq, ST_BAD_REQUEST, "password longer than %d bytes", SECRET_MAX);
	if (e == -ENODATA)
		return request_fail(&rq, ST_BAD_REQUEST, "no password on stdin");
	if (e < 0)
		return request_fail(&rq, ST_INTERNAL_ERROR, "reading stdin: %s", strerror(-e));
	rq.have_secret = 1;
	return ST_OK;
}

static enum status
interrupted(void)
{
	return request_fail(&rq, ST_INTERNAL_ERROR, "interrupted by signal %d", sigs_caught());
}

/* acct_mgmt refused a user whose password was right: say why as well as
 * the stack lets us (acct.h). */
static enum status
account_refused(enum status st)
{
	if (rq.authenticated && st != ST_PASSWORD_EXPIRED && acct_shadow_expired(rq.cli.user))
		st = ST_ACCOUNT_EXPIRED;
	else if (rq.authenticated && st == ST_AUTH_FAILED)
		st = ST_ACCOUNT_LOCKED;
	return request_fail(&rq, st, "the account may not be used now");
}

static enum status
step_pam(void)
{
	enum status st;
	static gid_t groups[CALLER_GROUPS_MAX];
	int n;

	rq.pam_started = 1;
	if ((st = hpam_start(&rq.pam, rq.service, rq.cli.user, rq.caller.name,
			     rq.have_secret ? &rq.secret : NULL, rq.input_is_tty ? STDIN_FILENO : -1)) != ST_OK)
		return request_fail(&rq, st, "pam_start failed");
	if (!rq.cli.no_auth) {
		st = hpam_authenticate(&rq.pam);
		secret_wipe(&rq.secret);
		if (st != ST_OK)
			return request_fail(&rq, st, "authentication failed");
	}
	if (sigs_caught())
		return interrupted();
	rq.authenticated = rq.id != NULL;
	if ((st = hpam_account(&rq.pam)) != ST_OK)
		return account_refused(st);
	if (rq.id == NULL)
		return request_fail(&rq, ST_INTERNAL_ERROR, "PAM accepted a user the system does not know");
	if ((st = hpam_open(&rq.pam, pfa_identity_gid(rq.id))) != ST_OK)
		return request_fail(&rq, st, "could not open the PAM session");
	if ((n = getgroups(CALLER_GROUPS_MAX, groups)) < 0 ||
	    pfa_identity_set_groups(rq.id, groups, (size_t)n) < 0)
		return request_fail(&rq, ST_INTERNAL_ERROR, "reading the session's groups");
	return sigs_caught() ? interrupted() : ST_OK;
}

static enum status
step_run(void)
{
	if (!rq.op->forks)
		return ST_OK;
	return run_op(&rq);
}

static int
finish(void)
{
	if (rq.res != NULL)
		(void)reap_orphans();
	if (rq.pam_started)
		hpam_close(&rq.pam);
	(void)reply_send(&rq, STDOUT_FILENO);
	secret_wipe(&rq.secret);
	pfa_result_free(rq.res);
	pfa_identity_free(rq.id);
	caller_release(&rq.caller);
	return status_exit_code(rq.status);
}

int
main(int argc, char **argv)
{
	enum status st;
	int done = 0;

	rq.argc = argc;
	rq.argv = argv;
	if ((st = step_sanitize()) == ST_OK && (st = step_cli(&done)) == ST_OK && done)
		return 0;
	if (st == ST_OK && (st = step_policy()) == ST_OK && (st = step_validate()) == ST_OK &&
	    (st = step_secret()) == ST_OK && (st = step_pam()) == ST_OK)
		st = step_run();
	rq.status = st;
	return finish();
}
