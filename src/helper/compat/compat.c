/*
 * compat.c — see compat.h.
 * MUST: the password is never in two places longer than it takes to move
 * it; the log line never holds it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "answer.h"
#include "compat.h"
#include "sigs.h"
#include "steps.h"

void
compat_request_set(struct request *rq, struct compat_login *login, const char *op,
		   char *const *args, int nargs)
{
	rq->cli.mode = CLI_RUN;
	rq->cli.user = login->user;
	rq->cli.service = NULL;
	rq->cli.timeout = -1;
	rq->cli.no_auth = 0;
	rq->cli.append = 0;
	rq->cli.op = op;
	rq->cli.args = args;
	rq->cli.nargs = nargs;
	memcpy(&rq->secret, &login->password, sizeof(rq->secret));
	explicit_bzero(&login->password, sizeof(login->password));
	rq->have_secret = 1;
	rq->input_is_tty = 0;
}

enum status
compat_input_failed(struct request *rq, int e, const char *what, const char *form)
{
	if (e == -EMSGSIZE)
		return request_fail(rq, ST_BAD_REQUEST, "%s: too long", what);
	if (e == -EINVAL)
		return request_fail(rq, ST_BAD_REQUEST, "%s: not %s", what, form);
	if (e == -ETIMEDOUT)
		return request_fail(rq, ST_BAD_REQUEST, "%s: did not end within %ld s", what,
				    rq->pol.default_timeout);
	if (e == -ECANCELED)
		return request_fail(rq, ST_INTERNAL_ERROR, "interrupted by signal %d", sigs_caught());
	return request_fail(rq, ST_INTERNAL_ERROR, "reading %s: %s", what, strerror(-e));
}

enum status
compat_validate(struct request *rq, int pad)
{
	enum status st;

	if (!policy_op_allowed(&rq->pol, rq->cli.op))
		return request_fail(rq, ST_CONFIG_ERROR, "operation %s is not allowed by %s",
				    rq->cli.op, POLICY_PATH);
	if ((st = step_validate(rq)) == ST_BAD_REQUEST)
		st = rq->status = ST_AUTH_FAILED; /* rq->error keeps the reason */
	/* a target refused before PAM (root, a uid below min_uid, a name that
	 * cannot be a user's) must not look from outside unlike a wrong
	 * password: remote clients would learn which system accounts exist */
	if (pad && (st == ST_AUTH_FAILED || st == ST_DENIED))
		st = rq->status = step_refuse(rq, st);
	return st;
}

void
compat_log(struct request *rq, const char *mode)
{
	static int logged;

	if (logged)
		return;
	logged = 1;
	log_attempt(rq->caller.name[0] ? rq->caller.name : NULL, rq->cli.user, rq->service, mode,
		    status_name(rq->status), rq->status == ST_OK);
}
