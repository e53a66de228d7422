/*
 * pam.c — steps 5 and 7 of a request: one PAM handle from pam_start to
 * pam_end, every stage recorded (name and code) in the order it ran.
 *
 * MUST: the user name given to hpam_start is the one PAM starts with and the
 *       one checked after pam_acct_mgmt; a module that changed PAM_USER is
 *       refused (ST_DENIED) before groups, credentials or a session.
 * MUST: pam_authenticate gets PAM_DISALLOW_NULL_AUTHTOK and runs under the
 *       slot lock and failure floor of pam_lock.c, with libpam's own delay
 *       replaced by one that does nothing.
 * MUST: groups before pam_setcred(ESTABLISH), credentials before the session
 *       (pam_setcred(3)); has_cred / has_session are set only once their
 *       stage succeeded, and hpam_close undoes exactly those, once, session
 *       first, then calls pam_end with the last code.
 * MUST: hpam_close preserves errno, blocks no signals, wipes and frees the
 *       environment list, and does nothing on a zeroed or closed context.
 * MUST: no printing, no exit, no syslog: the stages tell what happened.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pam.h"
#include "pam_lock.h"

#define TTY_NAME_MAX 128

/* Record a stage; it is also the code pam_end will get.  Returns code. */
static int
stage(struct hpam *p, const char *name, int code)
{
	if (p->nstages < HPAM_STAGES_MAX) {
		p->stages[p->nstages].name = name;
		p->stages[p->nstages].code = code;
		p->nstages++;
	}
	p->last = code;
	return code;
}

void
hpam_note(struct hpam *p, const char *name, int code)
{
	(void)stage(p, name, code);
}

static int
set_tty(struct hpam *p)
{
	char name[TTY_NAME_MAX];

	if (ttyname_r(p->tty_fd, name, sizeof name) != 0)
		return stage(p, "ttyname", PAM_SYSTEM_ERR);
	return stage(p, "set_tty", pam_set_item(p->h, PAM_TTY, name));
}

enum status
hpam_start(struct hpam *p, const char *service, const char *user, const char *ruser,
	   const struct secret *secret, int tty_fd)
{
	size_t len;
	int r;

	memset(p, 0, sizeof *p);
	p->tty_fd = -1;
	if (!service || !user)
		return ST_INTERNAL_ERROR;
	len = strnlen(user, CLI_USER_MAX + 1);
	if (len == 0 || len > CLI_USER_MAX)
		return ST_INTERNAL_ERROR;
	memcpy(p->user, user, len + 1);
	p->secret = secret;
	p->tty_fd = tty_fd < 0 ? -1 : tty_fd;
	p->conv.conv = hpam_conv;
	p->conv.appdata_ptr = p;

	r = stage(p, "start", pam_start(service, p->user, &p->conv, &p->h));
	if (r != PAM_SUCCESS) {
		p->h = NULL; /* Linux-PAM frees it on failure */
		goto out;
	}
	if (ruser && (r = stage(p, "set_ruser", pam_set_item(p->h, PAM_RUSER, ruser))) != PAM_SUCCESS)
		goto out;
	if (p->tty_fd >= 0)
		r = set_tty(p);
out:
	return r == PAM_SUCCESS ? ST_OK : ST_INTERNAL_ERROR;
}

/* PAM_FAIL_DELAY: libpam calls this instead of sleeping its own delay. */
static void
no_delay(int status, unsigned usec, void *appdata)
{
	(void)status;
	(void)usec;
	(void)appdata;
}

static enum status
auth_status(int r)
{
	switch (r) {
	case PAM_SUCCESS:
		return ST_OK;
	case PAM_MAXTRIES:
		return ST_ACCOUNT_LOCKED;
	case PAM_ABORT:
	case PAM_BUF_ERR:
	case PAM_SYSTEM_ERR:
	case PAM_AUTHINFO_UNAVAIL:
		return ST_INTERNAL_ERROR;
	default: /* PAM_AUTH_ERR, PAM_USER_UNKNOWN, PAM_CRED_INSUFFICIENT, ... */
		return ST_AUTH_FAILED;
	}
}

/* End the attempt, if held: ok clears the stored deadline (and a later
 * failure will be padded to it), a failure is padded now. */
static void
attempt_end(struct hpam *p, int ok)
{
	if (p->attempt_held) {
		p->attempt_held = 0;
		hpam_attempt_end(&p->attempt, ok);
		p->pad_later = ok;
	}
}

void
hpam_attempt_done(struct hpam *p, int ok)
{
	attempt_end(p, ok);
	if (p->pad_later && !ok)
		hpam_sleep_until(&p->attempt.until);
	p->pad_later = 0;
}

enum status
hpam_authenticate(struct hpam *p)
{
	enum status st = ST_INTERNAL_ERROR;
	int r;

	if (!p->h || p->attempt_held)
		return ST_INTERNAL_ERROR;
	p->attempt_held = 1; /* begin's contract: end must follow either way */
	if (hpam_attempt_begin(&p->attempt, p->user) < 0) {
		stage(p, "lock", PAM_SYSTEM_ERR);
		goto out;
	}
	r = stage(p, "set_fail_delay", pam_set_item(p->h, PAM_FAIL_DELAY, (const void *)no_delay));
	if (r != PAM_SUCCESS)
		goto out;
	r = stage(p, "authenticate", pam_authenticate(p->h, PAM_DISALLOW_NULL_AUTHTOK));
	st = auth_status(r);
out:
	if (st != ST_OK)
		attempt_end(p, 0); /* on success hpam_account ends it */
	return st;
}

int
hpam_refusal_delay(const char *user)
{
	struct hpam_attempt a;
	int r = hpam_attempt_begin(&a, user != NULL ? user : "");

	hpam_attempt_end(&a, 0);
	return r;
}

static enum status
account_status(int r)
{
	switch (r) {
	case PAM_SUCCESS:
		return ST_OK;
	case PAM_ACCT_EXPIRED:
		return ST_ACCOUNT_EXPIRED;
	case PAM_NEW_AUTHTOK_REQD:
	case PAM_AUTHTOK_EXPIRED:
		return ST_PASSWORD_EXPIRED;
	case PAM_PERM_DENIED:
	case PAM_MAXTRIES:
		return ST_ACCOUNT_LOCKED;
	case PAM_USER_UNKNOWN:
	case PAM_AUTH_ERR:
		return ST_AUTH_FAILED;
	default:
		return ST_INTERNAL_ERROR;
	}
}

/* acct_mgmt and the PAM_USER check. */
static enum status
account(struct hpam *p)
{
	const void *item = NULL;
	int r;

	r = stage(p, "acct_mgmt", pam_acct_mgmt(p->h, PAM_DISALLOW_NULL_AUTHTOK));
	if (r != PAM_SUCCESS)
		return account_status(r);
	r = pam_get_item(p->h, PAM_USER, &item);
	if (r != PAM_SUCCESS) {
		stage(p, "user_check", r);
		return ST_INTERNAL_ERROR;
	}
	if (!item || strcmp(item, p->user) != 0) {
		stage(p, "user_check", PAM_PERM_DENIED);
		return ST_DENIED;
	}
	stage(p, "user_check", PAM_SUCCESS);
	return ST_OK;
}

enum status
hpam_account(struct hpam *p)
{
	enum status st = p->h ? account(p) : ST_INTERNAL_ERROR;

	attempt_end(p, st == ST_OK);
	return st;
}

enum status
hpam_open(struct hpam *p, const gid_t *groups, size_t ngroups)
{
	enum status st = ST_INTERNAL_ERROR;

	if (!p->h || p->has_cred || p->has_session || p->env)
		return ST_INTERNAL_ERROR;
	if (stage(p, "initgroups", setgroups(ngroups, groups) == 0 ? PAM_SUCCESS : PAM_SYSTEM_ERR)
	    != PAM_SUCCESS)
		goto out;
	if (stage(p, "setcred", pam_setcred(p->h, PAM_ESTABLISH_CRED)) != PAM_SUCCESS)
		goto out;
	p->has_cred = 1;
	if (stage(p, "open_session", pam_open_session(p->h, 0)) != PAM_SUCCESS)
		goto out;
	p->has_session = 1;
	p->env = pam_getenvlist(p->h);
	if (stage(p, "getenvlist", p->env ? PAM_SUCCESS : PAM_BUF_ERR) != PAM_SUCCESS)
		goto out;
	st = ST_OK;
out:
	return st;
}

static void
free_env(struct hpam *p)
{
	char **e;

	if (!p->env)
		return;
	for (e = p->env; *e; e++) {
		explicit_bzero(*e, strlen(*e));
		free(*e);
	}
	free(p->env);
	p->env = NULL;
}

void
hpam_close(struct hpam *p)
{
	int saved_errno = errno;

	hpam_attempt_done(p, 0);
	if (p->h) {
		if (p->has_session) {
			p->has_session = 0;
			stage(p, "close_session", pam_close_session(p->h, 0));
		}
		if (p->has_cred) {
			p->has_cred = 0;
			stage(p, "setcred_delete", pam_setcred(p->h, PAM_DELETE_CRED | PAM_SILENT));
		}
		stage(p, "end", pam_end(p->h, p->last));
		p->h = NULL;
	}
	p->has_session = 0;
	p->has_cred = 0;
	free_env(p);
	p->secret = NULL;
	errno = saved_errno;
}

#define CODE(c) [c] = #c
static const char *const code_names[] = {
	CODE(PAM_SUCCESS), CODE(PAM_OPEN_ERR), CODE(PAM_SYMBOL_ERR),
	CODE(PAM_SERVICE_ERR), CODE(PAM_SYSTEM_ERR), CODE(PAM_BUF_ERR),
	CODE(PAM_PERM_DENIED), CODE(PAM_AUTH_ERR), CODE(PAM_CRED_INSUFFICIENT),
	CODE(PAM_AUTHINFO_UNAVAIL), CODE(PAM_USER_UNKNOWN), CODE(PAM_MAXTRIES),
	CODE(PAM_NEW_AUTHTOK_REQD), CODE(PAM_ACCT_EXPIRED), CODE(PAM_SESSION_ERR),
	CODE(PAM_CRED_UNAVAIL), CODE(PAM_CRED_EXPIRED), CODE(PAM_CRED_ERR),
	CODE(PAM_NO_MODULE_DATA), CODE(PAM_CONV_ERR), CODE(PAM_AUTHTOK_ERR),
	CODE(PAM_AUTHTOK_RECOVERY_ERR), CODE(PAM_AUTHTOK_LOCK_BUSY),
	CODE(PAM_AUTHTOK_DISABLE_AGING), CODE(PAM_TRY_AGAIN), CODE(PAM_IGNORE),
	CODE(PAM_ABORT), CODE(PAM_AUTHTOK_EXPIRED), CODE(PAM_MODULE_UNKNOWN),
	CODE(PAM_BAD_ITEM), CODE(PAM_CONV_AGAIN), CODE(PAM_INCOMPLETE),
};
#undef CODE

const char *
hpam_code_name(int code)
{
	if (code < 0 || (size_t)code >= sizeof code_names / sizeof code_names[0] || !code_names[code])
		return "PAM_UNKNOWN";
	return code_names[code];
}
