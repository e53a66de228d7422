/*
 * cpw_dovecot.c — the end of checkpassword's Dovecot mode: the process
 * becomes its caller again and execs Dovecot's reply program, which
 * refuses to run as anyone but the uid in ORIG_UID and writes the userdb
 * fields to fd 4.
 *
 * MUST: called only after step_cleanup closed PAM; the drop is the
 * library's own (drop.h: bounding and ambient sets, groups, gid, uid, every
 * capability set, no_new_privs, not dumpable) and its proof (drop_verify:
 * every id read back, regaining root fails, no capability left), to the
 * caller's real uid, real gid and supplementary groups; a root caller (uid
 * or gid 0) is refused, never served as root.  After a failed drop the
 * process is neither root nor the caller: the front end only exits.
 * MUST: the reply program gets exactly fds 0, 1, 2 and 4, default signal
 * dispositions, no subreaper flag, and an environment built here from the
 * parent's own record (never the caller's, never PAM's).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "checkpassword.h"
#include "compat.h"
#include "drop.h"
#include "sanitize.h"

#define INPUT_FD 3
#define REPLY_FD 4
#define REPLY_VARS 8

struct reply_env {
	char user[CLI_USER_MAX + sizeof("USER=")];
	char home[PATH_MAX + sizeof("HOME=")];
	char uid[48], gid[48], orig[48];
	char *envp[REPLY_VARS + 1];
};

/* The reply program's environment.  0 or -E2BIG (a home too long). */
static int
build_env(const struct request *rq, int lookup, struct reply_env *e)
{
	const pfa_identity *id = rq->id;
	size_t n = 0;

	if (snprintf(e->user, sizeof(e->user), "USER=%s", pfa_identity_name(id)) >= (int)sizeof(e->user) ||
	    snprintf(e->home, sizeof(e->home), "HOME=%s", pfa_identity_home(id)) >= (int)sizeof(e->home))
		return -E2BIG;
	snprintf(e->uid, sizeof(e->uid), "userdb_uid=%lu", (unsigned long)pfa_identity_uid(id));
	snprintf(e->gid, sizeof(e->gid), "userdb_gid=%lu", (unsigned long)pfa_identity_gid(id));
	snprintf(e->orig, sizeof(e->orig), "ORIG_UID=%lu", (unsigned long)rq->caller.uid);
	e->envp[n++] = e->user;
	e->envp[n++] = e->home;
	e->envp[n++] = e->uid;
	e->envp[n++] = e->gid;
	e->envp[n++] = (char *)"EXTRA=userdb_uid userdb_gid";
	e->envp[n++] = e->orig;
	e->envp[n++] = (char *)"PATH=" SANITIZE_PATH;
	if (lookup)
		e->envp[n++] = (char *)"AUTHORIZED=2";
	e->envp[n] = NULL;
	return 0;
}

/* Become the caller: the library's drop and its proof.  ST_OK or the
 * failure (after which the process must only exit). */
static enum status
become_caller(struct request *rq)
{
	pfa_identity *cid = NULL;
	struct drop_plan plan;
	int e, step = 0, err = 0;

	if (rq->caller.uid == 0 || rq->caller.gid == 0)
		return request_fail(rq, ST_CONFIG_ERROR, "Dovecot mode needs an unprivileged caller, not root");
	if ((e = pfa_identity_from_uid(rq->caller.uid, 0, &cid)) < 0 ||
	    (e = pfa_identity_set_groups(cid, rq->caller.groups, rq->caller.ngroups)) < 0 ||
	    (e = drop_prepare(&plan, cid)) < 0) {
		pfa_identity_free(cid);
		return request_fail(rq, ST_INTERNAL_ERROR, "resolving the caller: %s", pfa_strerror(e));
	}
	plan.gid = rq->caller.gid; /* its real gid, whatever its passwd entry says */
	if ((step = drop_apply(&plan, NULL, &err)) == 0)
		step = drop_verify(&plan, &err);
	drop_release(&plan);
	pfa_identity_free(cid);
	if (step != 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "becoming the caller failed at %s: %s",
				    pfa_drop_step_name(step), err ? strerror(err) : "wrong value");
	return ST_OK;
}

/* What the reply program inherits besides its environment.  0 or -errno. */
static int
prepare_exec(void)
{
	struct sigaction dfl;
	int sig, fd;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &dfl, NULL); /* glibc's own (32, 33) refuse: fine */
	if (prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) != 0 || fcntl(REPLY_FD, F_SETFD, 0) != 0)
		return -errno;
	/* The input's number has been free since it was read: a PAM module
	 * may have left something there. */
	(void)close(INPUT_FD);
	if (syscall(SYS_close_range, REPLY_FD + 1U, ~0U, 0U) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	for (fd = REPLY_FD + 1; fd < 65536; fd++)
		(void)close(fd);
	return 0;
}

enum status
cpw_dovecot_reply(struct request *rq, const char *reply, int lookup, const char *mode)
{
	static struct reply_env env;
	char *argv[2];
	enum status st;
	int e;

	if (rq->id == NULL)
		return request_fail(rq, ST_INTERNAL_ERROR, "no user to reply for");
	if (build_env(rq, lookup, &env) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "the home directory is too long");
	/* the caller's own limits, exactly, while root can raise them back */
	if ((e = sanitize_restore_rlimits()) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "restoring rlimits: %s", strerror(-e));
	if ((st = become_caller(rq)) != ST_OK)
		return st;
	if ((e = prepare_exec()) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "preparing the reply program: %s", strerror(-e));
	/* the one log line goes before execve: a reply program that cannot
	 * run (the usual mistake: its path) is said there, not logged "ok" */
	if (access(reply, X_OK) != 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "%.200s: %s", reply, strerror(errno));
	argv[0] = (char *)reply;
	argv[1] = NULL;
	compat_log(rq, mode);
	execve(reply, argv, env.envp);
	return request_fail(rq, ST_INTERNAL_ERROR, "%.200s: %s", reply, strerror(errno));
}
