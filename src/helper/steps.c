/*
 * steps.c — the steps of a request that every front end shares (the JSON
 * command line in main.c; the checkpassword and pwauth front ends), in the
 * order they run.  Each maps its failure to one status with request_fail.
 * MUST: the caller is authorized before a byte of stdin is read and before
 * pam_start; uid 0 and uids below the minimum are refused before
 * authentication; an unknown user goes on to PAM so that it fails exactly
 * like a wrong password; after step_pam succeeded (or failed) step_cleanup
 * closes what PAM opened, on every path.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "acct.h"
#include "inherited.h"
#include "reap.h"
#include "relay.h"
#include "sigs.h"
#include "steps.h"

enum status
step_sanitize(struct request *rq, const struct sanitize_spec *spec)
{
	const char *failed = "?";
	int e;

	if ((e = sanitize_process(spec, &failed)) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "sanitize: %s: %s", failed, strerror(-e));
	if (rq->argc < 1 || rq->argv == NULL || rq->argv[0] == NULL)
		return request_fail(rq, ST_BAD_REQUEST, "empty argument vector");
	return ST_OK;
}

/* The caller in p's caller group (as its process is now: its real ids and
 * groups), else denied. */
static enum status
authorize_caller(struct request *rq, const struct policy *p)
{
	if (!policy_caller_allowed(rq->caller.uid, rq->caller.gid, rq->caller.groups,
				   rq->caller.ngroups, policy_caller_gid(p))) {
		rq->caller_denied = 1;
		return request_fail(rq, ST_DENIED, "the caller is not in group %s", p->caller_group);
	}
	return ST_OK;
}

enum status
step_authorize(struct request *rq, int relay)
{
	char err[POLICY_ERR_MAX];
	enum status st;
	int e;

	if ((e = caller_identify(&rq->caller)) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "caller: %s", strerror(-e));
	if (policy_load(POLICY_PATH, POLICY_LOGIN_DEFS, &rq->pol, err, sizeof(err)) < 0)
		return request_fail(rq, ST_CONFIG_ERROR, "%s: %s", POLICY_PATH, err);
	if ((st = authorize_caller(rq, &rq->pol)) != ST_OK)
		return st;
	/* before reap_init: the relay must not be a descendant (relay.h) */
	if (relay && (e = relay_start(&rq->caller)) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "starting the output relay: %s",
				    strerror(-e));
	if ((e = sigs_install()) < 0 || (e = reap_init()) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "setting up: %s", strerror(-e));
	secret_set_cancel_fd(sigs_cancel_fd());
	return ST_OK;
}

/* How the target is looked up: both lookups of a request must agree. */
static unsigned
target_flags(const struct request *rq)
{
	return rq->pol.allow_root ? PFA_ALLOW_ROOT : 0;
}

/* The target, resolved now; an unknown user is not an error yet: PAM will
 * fail it exactly as it fails a wrong password.  Its ids only: the groups
 * the child gets are looked up after PAM (refresh_target), and until then
 * the library refuses to run this identity. */
static enum status
resolve_target(struct request *rq)
{
	int e;

	/* the library's rules for a name (the command line's are looser: a
	 * front end's login did not pass through it) */
	if (!pfa_name_valid(rq->cli.user))
		return request_fail(rq, ST_BAD_REQUEST, "invalid user name");
	e = pfa_identity_from_name(rq->cli.user, target_flags(rq) | PFA_NO_GROUPS, &rq->id);
	if (e == PFA_ENOUSER)
		return ST_OK;
	if (e == PFA_EROOT)
		return request_fail(rq, ST_DENIED, "root is not allowed as a target");
	/* a valid name: what the library refused is the entry (a uid or gid
	 * of -1, sudo's CVE-2019-14287) */
	if (e == PFA_EINVAL)
		return request_fail(rq, ST_DENIED, "this user is not allowed as a target");
	if (e < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "resolving the user: %s", pfa_strerror(e));
	if (!policy_target_allowed(&rq->pol, pfa_identity_uid(rq->id)))
		return request_fail(rq, ST_DENIED, "this user is not allowed as a target");
	return ST_OK;
}

enum status
step_validate(struct request *rq)
{
	const struct cli *c = &rq->cli;

	rq->service = c->service != NULL ? c->service : DEFAULT_SERVICE;
	if ((rq->op = op_find(c->op)) == NULL)
		return request_fail(rq, ST_BAD_REQUEST, "unknown operation");
	if (c->nargs < rq->op->min_args || c->nargs > rq->op->max_args)
		return request_fail(rq, ST_BAD_REQUEST, "wrong number of arguments for %s",
				    rq->op->name);
	if (c->user == NULL)
		return request_fail(rq, ST_BAD_REQUEST, "--user is required");
	if (c->append && strcmp(rq->op->name, "write") != 0)
		return request_fail(rq, ST_BAD_REQUEST, "--append is for write only");
	if ((c->service != NULL || c->no_auth) && rq->caller.uid != 0)
		return request_fail(rq, ST_DENIED, "--service and --no-auth are for root only");
	if (!policy_op_allowed(&rq->pol, rq->op->name))
		return request_fail(rq, ST_DENIED, "operation %s is not allowed", rq->op->name);
	if (policy_timeout(&rq->pol, c->timeout, &rq->timeout) < 0)
		return request_fail(rq, ST_BAD_REQUEST, "timeout out of range (at most %ld s)",
				    rq->pol.max_timeout);
	return resolve_target(rq);
}

static enum status
interrupted(struct request *rq)
{
	return request_fail(rq, ST_INTERNAL_ERROR, "interrupted by signal %d", sigs_caught());
}

/* The password is read here, before PAM and its lock: a terminal too is
 * prompted now, so that nothing waits for a person while a lock slot is
 * held; both reads are bounded (SECRET_WAIT_MS). */
enum status
step_secret(struct request *rq)
{
	int e;

	rq->input_is_tty = isatty(STDIN_FILENO);
	if (rq->cli.no_auth)
		return ST_OK;
	if (rq->input_is_tty)
		e = secret_read_tty(STDIN_FILENO, "Password: ", &rq->secret);
	else
		e = secret_read(STDIN_FILENO, &rq->secret);
	if (e == -EMSGSIZE)
		return request_fail(rq, ST_BAD_REQUEST, "password longer than %d bytes", SECRET_MAX);
	if (e == -ENODATA)
		return request_fail(rq, ST_BAD_REQUEST, "no password on stdin");
	if (e == -ETIMEDOUT)
		return request_fail(rq, ST_BAD_REQUEST, "no password line within %d s",
				    SECRET_WAIT_MS / 1000);
	if (e == -EINTR && sigs_caught())
		return interrupted(rq);
	if (e < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "reading the password: %s", strerror(-e));
	rq->have_secret = 1;
	return ST_OK;
}

/* acct_mgmt refused a user whose password was right: say why as well as
 * the stack lets us (acct.h). */
static enum status
account_refused(struct request *rq, enum status st)
{
	if (rq->authenticated && st != ST_PASSWORD_EXPIRED && acct_shadow_expired(rq->cli.user))
		st = ST_ACCOUNT_EXPIRED;
	else if (rq->authenticated && st == ST_AUTH_FAILED)
		st = ST_ACCOUNT_LOCKED;
	return request_fail(rq, st, "the account may not be used now");
}

/* The capabilities the child keeps: policy's grant lines and capability.conf
 * (pam_cap's file), within caps_allowed; matched against the user's name
 * and every gid the child will have. */
static enum status
grant_caps(struct request *rq)
{
	static gid_t all[CALLER_GROUPS_MAX + 1];
	struct policy_caps caps;
	const gid_t *g;
	size_t n = pfa_identity_groups(rq->id, &g);
	char err[POLICY_ERR_MAX];

	memcpy(all, g, n * sizeof(*g));
	all[n++] = pfa_identity_gid(rq->id);
	if (policy_caps_for(&rq->pol, pfa_identity_name(rq->id), all, n, &caps, err, sizeof(err)) < 0)
		return request_fail(rq, ST_CONFIG_ERROR, "capabilities: %s", err);
	if (pfa_identity_set_caps(rq->id, caps.mask) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "capabilities the kernel does not know");
	return ST_OK;
}

/*
 * What the request began with is read again once the caller can no longer
 * signal this process (until the password line is in it can stop it for as
 * long as it likes; security.md has what a caller's own cgroup still can):
 * the policy file right after the real uid became root, the target after
 * PAM's account stage (sssd refreshes groups during authentication).
 */

/* The policy again: a change that decides differently ends the request
 * with config_error (a temporary failure for the compat front ends: try
 * again), and the caller must still be in the caller group. */
static enum status
recheck_policy(struct request *rq)
{
	static struct policy now;
	char err[POLICY_ERR_MAX];

	if (policy_load(POLICY_PATH, POLICY_LOGIN_DEFS, &now, err, sizeof(err)) < 0)
		return request_fail(rq, ST_CONFIG_ERROR, "%s: %s", POLICY_PATH, err);
	if (!policy_equal(&now, &rq->pol))
		return request_fail(rq, ST_CONFIG_ERROR, "%s or UID_MIN changed during the request",
				    POLICY_PATH);
	return authorize_caller(rq, &now);
}

/* The target again, by the name PAM authenticated: the same user (name,
 * uid, gid), or denied with a user_refresh stage; its groups, home and
 * shell are taken as they are now. */
static enum status
refresh_target(struct request *rq)
{
	pfa_identity *fresh = NULL;
	int e = pfa_identity_from_name(rq->cli.user, target_flags(rq), &fresh);

	if (rq->id == NULL && e == PFA_ENOUSER) /* a PAM module's own user */
		return request_fail(rq, ST_INTERNAL_ERROR, "PAM accepted a user the system does not know");
	if (e < 0 && e != PFA_ENOUSER && e != PFA_EROOT) {
		hpam_note(&rq->pam, "user_refresh", PAM_SYSTEM_ERR);
		if (e == PFA_EINVAL) /* the name was valid: the entry is not */
			return request_fail(rq, ST_INTERNAL_ERROR, "the user's entry cannot be used "
					    "(a uid or gid of -1, or more than 65536 groups)");
		return request_fail(rq, ST_INTERNAL_ERROR, "resolving the user again: %s",
				    pfa_strerror(e));
	}
	/* rq->id NULL: unknown when the request began, so never checked by the
	 * policy; it appeared since */
	if (e < 0 || rq->id == NULL ||
	    strcmp(pfa_identity_name(fresh), pfa_identity_name(rq->id)) != 0 ||
	    pfa_identity_uid(fresh) != pfa_identity_uid(rq->id) ||
	    pfa_identity_gid(fresh) != pfa_identity_gid(rq->id)) {
		pfa_identity_free(fresh);
		hpam_note(&rq->pam, "user_refresh", PAM_PERM_DENIED);
		return request_fail(rq, ST_DENIED, "the user changed during the request");
	}
	pfa_identity_free(rq->id);
	rq->id = fresh;
	return ST_OK;
}

/* From here on only root can signal this process: the caller cannot
 * SIGKILL or SIGSTOP a parent that holds a lock slot or a session.  (Not
 * earlier: a caller waiting to send its password keeps counting against
 * its own RLIMIT_NPROC.)  Never use pam_rootok in this service: it would
 * see a root real uid.  Then the policy again. */
static enum status
become_root(struct request *rq)
{
	const char *what;
	int n;

	if ((n = caller_become_root()) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "setting up: %s", strerror(-n));
	if ((n = inherited_root_reset(&what)) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "setting up: %s: %s", what, strerror(-n));
	return recheck_policy(rq);
}

enum status
step_refuse(struct request *rq, enum status st)
{
	enum status r = become_root(rq);
	int e;

	if (r != ST_OK)
		return r;
	/* shaped as an attempt: pam_start (no module runs in it) before the
	 * slot, pam_end (step_cleanup) after, so the time matches too */
	rq->pam_started = 1;
	if ((r = hpam_start(&rq->pam, rq->service, rq->cli.user, rq->caller.name, NULL, -1)) != ST_OK)
		return request_fail(rq, r, "pam_start failed");
	if ((e = hpam_refusal_delay(rq->cli.user)) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "the failure delay's lock: %s", strerror(-e));
	return st;
}

/* step_pam once the real uid is root: PAM's stages, the target again, the
 * session's groups and capabilities. */
static enum status
pam_stages(struct request *rq)
{
	enum status st;
	static gid_t groups[CALLER_GROUPS_MAX];
	const gid_t *ug;
	size_t nug;
	int n;

	rq->pam_started = 1;
	if ((st = hpam_start(&rq->pam, rq->service, rq->cli.user, rq->caller.name,
			     rq->have_secret ? &rq->secret : NULL, rq->input_is_tty ? STDIN_FILENO : -1)) != ST_OK)
		return request_fail(rq, st, "pam_start failed");
	if (!rq->cli.no_auth) {
		st = hpam_authenticate(&rq->pam);
		secret_wipe(&rq->secret);
		if (st != ST_OK)
			return request_fail(rq, st, "authentication failed");
	}
	if (sigs_caught())
		return interrupted(rq);
	rq->authenticated = rq->id != NULL;
	if ((st = hpam_account(&rq->pam)) != ST_OK)
		return account_refused(rq, st);
	if ((st = refresh_target(rq)) != ST_OK)
		return st;
	if (rq->no_session)
		return sigs_caught() ? interrupted(rq) : ST_OK;
	nug = pfa_identity_groups(rq->id, &ug);
	if ((st = hpam_open(&rq->pam, ug, nug)) != ST_OK)
		return request_fail(rq, st, "could not open the PAM session");
	if ((n = getgroups(CALLER_GROUPS_MAX, groups)) < 0 ||
	    pfa_identity_set_groups(rq->id, groups, (size_t)n) < 0)
		return request_fail(rq, ST_INTERNAL_ERROR, "reading the session's groups");
	if ((st = grant_caps(rq)) != ST_OK)
		return st;
	return sigs_caught() ? interrupted(rq) : ST_OK;
}

enum status
step_pam(struct request *rq)
{
	enum status st = become_root(rq);

	if (st == ST_OK)
		st = pam_stages(rq);
	/* the failure delay's attempt ends only now: a refusal after the right
	 * password, at any stage, is padded as a wrong password is */
	hpam_attempt_done(&rq->pam, st == ST_OK);
	return st;
}

enum status
step_run(struct request *rq)
{
	if (!rq->op->forks)
		return ST_OK;
	rq->op_ran = 1;
	return run_op(rq);
}

void
step_cleanup(struct request *rq)
{
	if (rq->res != NULL || rq->op_ran)
		(void)reap_orphans();
	if (rq->pam_started)
		hpam_close(&rq->pam);
	secret_wipe(&rq->secret);
}

void
step_release(struct request *rq)
{
	secret_wipe(&rq->secret);
	pfa_result_free(rq->res);
	rq->res = NULL;
	pfa_identity_free(rq->id);
	rq->id = NULL;
	caller_release(&rq->caller);
}
