/*
 * cpw_classic.c — checkpassword's classic mode: PROG runs as the user
 * through libpipeforkas, and its exit status becomes the helper's.
 * MUST: PROG starts only in a child that pfa_run has dropped to the user
 * and verified (groups, gid, uid, capabilities, no_new_privs); it gets the
 * caller's fds 0, 1, 2 and nothing else (the result pipe is close-on-exec);
 * its environment is env.h's, never the caller's; a home directory that
 * cannot be entered fails the run (the checkpassword interface's 111), it
 * does not fall back to "/".  The exit status reported is the one the parent
 * observed, never anything the child said.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checkpassword.h"
#include "env.h"
#include "sanitize.h"
#include "sigs.h"

/* What the child sent is only its reason for failing to start PROG. */
#define CLASSIC_MAX_RESULT 4096

struct classic_ctx {
	char *const *argv;
	char **env;
	const char *home;
	struct user_rlimit lim[SANITIZE_RLIMITS_MAX]; /* the caller's limits back */
	size_t nlim;
};

/* In the child, as the user: home, then PROG.  Returns only on failure. */
static int
classic_child(pfa_out *out, void *arg)
{
	const struct classic_ctx *c = arg;
	const char *what = "chdir to the home directory";
	char msg[512];
	int err;

	if (c->home[0] != '/') {
		err = EINVAL;
	} else if ((err = -sanitize_apply_rlimits(c->lim, c->nlim)) != 0) {
		what = "restoring the caller's rlimits";
	} else if (chdir(c->home) != 0) {
		err = errno;
	} else {
		what = c->argv[0];
		(void)execvpe(c->argv[0], c->argv, c->env);
		err = errno;
	}
	snprintf(msg, sizeof(msg), "%.200s: %s", what, strerror(err));
	(void)pfa_out_message(out, msg);
	return 1;
}

/* How the run ended, from what the parent observed. */
static enum status
judge(struct request *rq, int code, int *prog_status)
{
	const char *msg = pfa_result_message(rq->res);

	switch (code) {
	case PFA_EEXIT:
		if (pfa_result_exit_status(rq->res) < 0)
			break;
		*prog_status = pfa_result_exit_status(rq->res);
		return ST_OK;
	case PFA_ECALLBACK:
		return request_fail(rq, ST_OP_FAILED, "%s", msg != NULL ? msg : "PROG did not start");
	case PFA_ESIGNAL:
		return request_fail(rq, ST_CRASHED, "PROG was killed by signal %d",
				    pfa_result_signal(rq->res));
	case PFA_ECANCELED:
		return request_fail(rq, ST_INTERNAL_ERROR, "interrupted by signal %d", sigs_caught());
	default:
		break;
	}
	return request_fail(rq, ST_INTERNAL_ERROR, "running PROG: %s", pfa_strerror(code));
}

enum status
cpw_classic_run(struct request *rq, int *prog_status)
{
	struct classic_ctx ctx;
	pfa_opts *o = pfa_opts_new();
	enum status st = ST_INTERNAL_ERROR;
	char **env = NULL;
	int e = -ENOMEM;

	if (o == NULL || (env = env_build(rq->id, rq->pam.env, &e)) == NULL) {
		request_fail(rq, st, "building the environment: %s", strerror(-e));
		goto out;
	}
	ctx.argv = rq->cli.args;
	ctx.env = env;
	ctx.home = pfa_identity_home(rq->id);
	ctx.nlim = sanitize_user_rlimits(ctx.lim, SANITIZE_RLIMITS_MAX);
	if (pfa_opts_set_timeout_ms(o, 0) < 0 || pfa_opts_set_max_result(o, CLASSIC_MAX_RESULT) < 0 ||
	    pfa_opts_set_stdio(o, STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO) < 0 ||
	    pfa_opts_set_cancel_fd(o, sigs_cancel_fd()) < 0 ||
	    pfa_opts_set_keep_keyring(o, 1) < 0) { /* the session's (sanitize made it new) */
		request_fail(rq, st, "bad run options");
		goto out;
	}
	rq->op_ran = 1;
	st = judge(rq, pfa_run(rq->id, o, classic_child, &ctx, &rq->res), prog_status);
out:
	env_free(env);
	pfa_opts_free(o);
	return st;
}
