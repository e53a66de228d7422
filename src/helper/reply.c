/*
 * reply.c — see reply.h.  MUST: "user" and "uid" come from the parent's own
 * record; the uid is shown only once the user authenticated (an unknown user
 * and a wrong password give the same shape); "result" is rendered only for
 * a successful operation; the log line never holds the password.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "answer.h"
#include "reply.h"

enum status
request_fail(struct request *rq, enum status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rq->error, sizeof(rq->error), fmt, ap);
	va_end(ap);
	rq->status = st;
	return st;
}

static void
render_result(struct json *j, void *ctx)
{
	const struct request *rq = ctx;

	json_begin_object(j);
	if (rq->status == ST_OK && rq->res != NULL && rq->op != NULL && rq->op->render != NULL)
		rq->op->render(j, rq->res);
	json_end_object(j);
}

int
reply_send(const struct request *rq, int fd)
{
	struct answer_stage stages[HPAM_STAGES_MAX];
	struct answer_msg msgs[HPAM_MESSAGES_MAX];
	struct answer a = { 0 };
	const char *user = rq->cli.user;
	size_t i;

	if (rq->authenticated && rq->id != NULL)
		user = pfa_identity_name(rq->id);
	log_attempt(rq->caller.name[0] ? rq->caller.name : NULL, rq->cli.user, rq->service,
		    rq->cli.op, status_name(rq->status), rq->status == ST_OK);
	for (i = 0; i < rq->pam.nstages && i < HPAM_STAGES_MAX; i++) {
		stages[i].stage = rq->pam.stages[i].name;
		stages[i].code = rq->pam.stages[i].code;
		stages[i].code_name = hpam_code_name(rq->pam.stages[i].code);
	}
	for (i = 0; i < rq->pam.nmessages && i < HPAM_MESSAGES_MAX; i++) {
		msgs[i].style = rq->pam.messages[i].style;
		msgs[i].text = rq->pam.messages[i].text;
	}
	a.status = rq->status;
	a.user = user;
	a.uid = rq->authenticated && rq->id != NULL ? (long long)pfa_identity_uid(rq->id) : -1;
	a.op = rq->op != NULL ? rq->op->name : NULL;
	a.stages = stages;
	a.nstages = rq->pam.nstages;
	a.messages = msgs;
	a.nmessages = rq->pam.nmessages;
	a.error = rq->status == ST_OK ? NULL : rq->error[0] ? rq->error : status_name(rq->status);
	a.result = render_result;
	a.result_ctx = (void *)rq;
	return answer_write(fd, &a);
}
