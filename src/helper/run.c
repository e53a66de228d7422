/*
 * run.c — step 6: the operation runs as the user through libpipeforkas, and
 * how it ended becomes a status.  The parent's verdict rests only on what it
 * observed (libpipeforkas's code); the child's own words only fill "error".
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "relay.h"
#include "reply.h"
#include "request.h"
#include "sigs.h"

/* Data the child may send besides its output streams (fields, env). */
#define RUN_SLACK (1024u * 1024)

static enum status
judge(struct request *rq, int code)
{
	const pfa_result *res = rq->res;
	const char *msg = pfa_result_message(res);
	int step = 0, err = 0;

	switch (code) {
	case 0:
		return ST_OK;
	case PFA_ECALLBACK:
		return request_fail(rq, ST_OP_FAILED, "%s",
				    msg != NULL ? msg : "the operation failed");
	case PFA_ETIMEOUT:
		return request_fail(rq, ST_TIMEOUT, "the operation did not finish within %ld s",
				    rq->timeout);
	case PFA_ESIGNAL:
		return request_fail(rq, ST_CRASHED, "the operation was killed by signal %d (%s)",
				    pfa_result_signal(res), sigabbrev_np(pfa_result_signal(res))
								? sigabbrev_np(pfa_result_signal(res))
								: "?");
	case PFA_EEXIT:
		return request_fail(rq, ST_CRASHED, "the operation exited with status %d without a result",
				    pfa_result_exit_status(res));
	case PFA_EPROTO:
		return request_fail(rq, ST_CRASHED, "the operation sent a malformed result");
	case PFA_ETOOBIG:
		return request_fail(rq, ST_OP_FAILED, "the result exceeded the maximum size");
	case PFA_EDROP:
		(void)pfa_result_drop_failure(res, &step, &err);
		return request_fail(rq, ST_INTERNAL_ERROR, "could not drop privileges at %s: %s",
				    pfa_drop_step_name(step), strerror(err));
	case PFA_EABORT:
		if (rq->stream.failed == -EPROTO)
			return request_fail(rq, ST_CRASHED, "the operation misused its data channels");
		return request_fail(rq, ST_OP_FAILED, "writing the output: %s",
				    rq->stream.failed != 0 ? strerror(-rq->stream.failed)
							   : "not taken in time, or failed");
	case PFA_ECANCELED:
		return request_fail(rq, ST_INTERNAL_ERROR, "interrupted by signal %d", sigs_caught());
	default:
		return request_fail(rq, ST_INTERNAL_ERROR, "running the operation: %s",
				    pfa_strerror(code));
	}
}

enum status
run_op(struct request *rq)
{
	struct op_ctx ctx;
	pfa_opts *o = pfa_opts_new();
	enum status st = ST_INTERNAL_ERROR;
	char **env = NULL;
	int e = 0, in = -1;

	memset(&ctx, 0, sizeof(ctx));
	if (o == NULL || (env = env_build(rq->id, rq->pam.env, &e)) == NULL) {
		st = request_fail(rq, ST_INTERNAL_ERROR, "building the environment: %s", strerror(-e));
		goto out;
	}
	ctx.args = rq->cli.args;
	ctx.nargs = rq->cli.nargs;
	ctx.home = pfa_identity_home(rq->id);
	ctx.env = env;
	ctx.max_output = rq->pol.max_output;
	ctx.append = rq->cli.append;
	ctx.raw = rq->cli.raw;
	ctx.nlim = sanitize_user_rlimits(ctx.lim, SANITIZE_RLIMITS_MAX);
	if (rq->op->input && !rq->input_is_tty)
		in = STDIN_FILENO; /* the caller's input after the password line */
	/* root never writes an operation's data to the caller's stdout while
	 * the session is open, nor stats it (relay.h): relay_start's verdict */
	if (rq->op->streams && (e = relay_stdout()) <= 0) {
		st = e < 0 ? request_fail(rq, ST_OP_FAILED, "writing the output: %s", strerror(-e))
			   : request_fail(rq, ST_INTERNAL_ERROR, "no output relay for a streaming operation");
		goto out;
	}
	if (rq->op->streams && (e = reply_stream_begin(rq)) < 0) {
		st = request_fail(rq, ST_OP_FAILED, "writing the output: %s", strerror(-e));
		goto out;
	}
	/* --raw to a pipe: the bytes go from the child's pipe to stdout by
	 * splice(2) (not into a blocking output: see reply.c's output_fd). */
	if (rq->op->streams && rq->cli.raw && !rq->stream.blocking &&
	    pfa_opts_set_splice(o, OP_CH_BINARY, rq->stream.data_fd) < 0) {
		st = request_fail(rq, ST_INTERNAL_ERROR, "bad run options");
		goto out;
	}
	if (pfa_opts_set_timeout_ms(o, rq->timeout * 1000) < 0 ||
	    pfa_opts_set_max_result(o, 2 * rq->pol.max_output + RUN_SLACK) < 0 ||
	    pfa_opts_set_stdio(o, in, -1, -1) < 0 || pfa_opts_set_cancel_fd(o, sigs_cancel_fd()) < 0 ||
	    pfa_opts_set_keep_keyring(o, 1) < 0 || /* the session's: sanitize made it new */
	    (rq->op->streams && pfa_opts_set_sink(o, reply_stream_sink, rq) < 0)) {
		st = request_fail(rq, ST_INTERNAL_ERROR, "bad run options");
		goto out;
	}
	st = judge(rq, pfa_run(rq->id, o, rq->op->child, &ctx, &rq->res));
out:
	sigs_alarm_off(); /* armed by reply_stream_begin for a blocking output */
	env_free(env);
	pfa_opts_free(o);
	return st;
}
