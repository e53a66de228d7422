/*
 * request.h — the state of one request as it flows through main's steps.
 * One instance, owned by main; each step reads what earlier steps left.
 */
#ifndef PFA_HELPER_REQUEST_H
#define PFA_HELPER_REQUEST_H

#include "answer.h"
#include "caller.h"
#include "cli.h"
#include "ops/ops.h"
#include "pam.h"
#include "pipeforkas.h"
#include "policy.h"
#include "status.h"

#define REQUEST_ERROR_MAX 512

/* The state of a streamed answer (reply.c). */
struct reply_stream {
	int active;        /* the operation streams its data */
	int begun;         /* the JSON head was written on stdout */
	int data_open;     /* the "data" string is open */
	unsigned channel;  /* OP_CH_TEXT or OP_CH_BINARY */
	int failed;        /* negative errno: the output failed (-EPROTO: the
			      child misused its channels) */
	int data_fd;       /* where --raw data goes (stdout), 0 until opened */
	int blocking;      /* data_fd could not be made non-blocking: writes
			      run under sigs_alarm_at (reply.c) */
	long deadline;     /* json_now_ms() by which streamed writes must go */
	struct json j;
};

struct request {
	int argc;
	char **argv;
	struct cli cli;
	struct policy pol;
	struct caller caller;
	const struct op *op;
	const char *service;   /* the PAM service in use */
	long timeout;          /* seconds */
	pfa_identity *id;      /* NULL until resolved (or when unknown) */
	int authenticated;     /* PAM accepted the user: uid may be shown */
	int input_is_tty;      /* stdin is a terminal: prompt there */
	struct secret secret;
	int have_secret;
	struct hpam pam;
	int pam_started;
	int no_session;        /* step_pam ends after acct_mgmt (set by a front end) */
	int caller_denied;     /* ST_DENIED came from the caller check (step_authorize
				* or its re-check in step_pam), not from the target */
	pfa_result *res;       /* the operation's result, when it ran */
	int op_ran;            /* a child was started for the operation */
	struct reply_stream stream;
	enum status status;
	char error[REQUEST_ERROR_MAX];
};

/* Set the request's status and error message (printf-style); returns st. */
enum status request_fail(struct request *rq, enum status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* run.c: run rq->op as rq->id through libpipeforkas; sets rq->res. */
enum status run_op(struct request *rq);

#endif
