/*
 * pipefork-as — the setuid-root helper.  This file is the flow of one
 * request and nothing else; the steps live in steps.c (shared with the
 * checkpassword and pwauth front ends) and the files they name.
 *
 *   1. sanitize   fds 0-2, fds >= 3, environment, umask, signals, rlimits;
 *                 then argc == 0 refused
 *   2. cli        options and operation (--version/--help end here)
 *   3. policy     config trusted and loaded; the caller authorized before a
 *                 byte of stdin is read and before pam_start; the caller's
 *                 signals are caught, we become a subreaper
 *   4. validate   operation, root-only options, timeout, the target (uid 0
 *                 and uids below the minimum refused before authentication)
 *   5. secret     the password line from stdin, or typed at the terminal
 *                 (bounded in size and time)
 *   6. pam        the real uid becomes root (the caller can no longer
 *                 signal us), the policy read again; authenticate,
 *                 acct_mgmt, PAM_USER re-check, the target resolved again,
 *                 groups, setcred, open_session, environment
 *   7. run        the operation as the user (libpipeforkas)
 *   8. finish     leftovers killed, PAM session closed and credentials
 *                 deleted on every path, one log line, one JSON answer,
 *                 the exit code from the status table
 *
 * MUST: every path after step 1 ends in step_cleanup and the one reply;
 * nothing else exits.  (--checkpassword and --pwauth hand the whole process
 * to their front ends in src/helper/compat before step 1: they sanitize,
 * share steps.c and answer in their own interfaces' terms.)
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "caller.h"
#include "compat/checkpassword.h"
#include "compat/pwauth.h"
#include "relay.h"
#include "reply.h"
#include "steps.h"

static struct request rq;

static void
usage(void)
{
	printf("usage: pipefork-as [--user NAME] [--service NAME] [--timeout SECONDS]\n"
	       "                   [--no-auth] [--append] [--raw] OP [ARG...]\n"
	       "       pipefork-as --checkpassword [--dovecot] PROG [ARG...]\n"
	       "       pipefork-as --pwauth\n"
	       "       pipefork-as --version | --help\n"
	       "The password comes on stdin, up to the first newline; one JSON document\n"
	       "answers on stdout (on stderr with --raw, the data then alone on stdout).\n"
	       "Operations: auth, id, exec CMD [ARG...], read PATH, write PATH, list DIR,\n"
	       "stat PATH, mkdir PATH, rename FROM TO, remove PATH.\n"
	       "See pipefork-as(8).\n");
}

/* Step 2.  *done is set for --version and --help (answered here). */
static enum status
step_cli(int *done)
{
	char err[256];

	if (cli_parse(rq.argc, rq.argv, &rq.cli, err, sizeof(err)) < 0) {
		(void)caller_identify(&rq.caller); /* only for the log line */
		return request_fail(&rq, ST_BAD_REQUEST, "%s", err);
	}
	if (rq.cli.mode == CLI_VERSION)
		printf("pipefork-as %s\n", PACKAGE_VERSION);
	else if (rq.cli.mode == CLI_HELP)
		usage();
	*done = rq.cli.mode != CLI_RUN;
	return ST_OK;
}

/* Whether the named operation streams data to stdout (then it goes
 * through the relay); an unknown one is refused later, by step_validate. */
static int
streams(const char *name)
{
	const struct op *op = op_find(name);

	return op != NULL && op->streams;
}

int
main(int argc, char **argv)
{
	struct sanitize_spec spec = { 0 };
	enum status st;
	int done = 0;

	/* The drop-in front ends (src/helper/compat) sanitize and answer for
	 * themselves; argv is only memory here. */
	if (argc > 1 && strcmp(argv[1], "--checkpassword") == 0)
		return checkpassword_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--pwauth") == 0)
		return pwauth_main(argc, argv);
	rq.argc = argc;
	rq.argv = argv;
	if ((st = step_sanitize(&rq, &spec)) == ST_OK && (st = step_cli(&done)) == ST_OK && done)
		return 0;
	if (st == ST_OK && (st = step_authorize(&rq, streams(rq.cli.op))) == ST_OK &&
	    (st = step_validate(&rq)) == ST_OK &&
	    (st = step_secret(&rq)) == ST_OK && (st = step_pam(&rq)) == ST_OK)
		st = step_run(&rq);
	rq.status = st;
	step_cleanup(&rq);
	(void)reply_send(&rq);
	/* the relay, if any, writes what it still holds (as the caller now) */
	relay_finish(rq.stream.active && rq.stream.data_fd > 2 ? rq.stream.data_fd : -1);
	step_release(&rq);
	return status_exit_code(rq.status);
}
