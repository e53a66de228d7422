/*
 * pam.h — steps 5 and 7: one PAM context for the whole request (util-linux
 * su's model), the conversation function, a record of every stage.
 *
 * Order (STYLE.md point 7): hpam_start (fixed service; PAM_RUSER = caller,
 * PAM_TTY when stdin is a terminal) -> hpam_authenticate
 * (PAM_DISALLOW_NULL_AUTHTOK, failure delay) -> hpam_account (acct_mgmt,
 * then PAM_USER re-checked) -> hpam_open (the user's groups, setcred ESTABLISH,
 * open_session, getenvlist) -> ... fork, run ... -> hpam_close.
 * MUST: hpam_close is safe to call at any point and more than once; it
 * closes the session only if opened, deletes credentials only if
 * established, ends PAM, wipes, and preserves errno.  Signals are not
 * blocked around it (util-linux #3535).
 */
#ifndef PFA_HELPER_PAM_H
#define PFA_HELPER_PAM_H

#include <security/pam_appl.h>
#include <stddef.h>
#include <sys/types.h>

#include "cli.h"
#include "pam_lock.h"
#include "status.h"

#define HPAM_STAGES_MAX 16
#define HPAM_MESSAGES_MAX 32
#define HPAM_MESSAGE_MAX 512   /* longer texts are cut and marked with "..." */
#ifndef HPAM_LOCK_DIR /* a test build may override it, at compile time only */
#define HPAM_LOCK_DIR "/run/pipefork-as"
#endif
#define HPAM_LOCK_SLOTS 64
#define HPAM_FAIL_FLOOR_MS 3000 /* a failed authentication takes at least this long */
#define HPAM_LOCK_WAIT_MS 30000 /* the longest wait for a slot: then internal_error */
#define HPAM_LOCK_POLL_MS 20

/*
 * Every stage that ran, in order: "start", "set_ruser", "set_tty",
 * "set_fail_delay", "authenticate", "acct_mgmt", "user_check",
 * "initgroups", "setcred", "open_session", "getenvlist", "close_session",
 * "setcred_delete", "end".  Stages that are not a PAM call record a PAM code
 * that describes them: "ttyname", "lock" and "initgroups" PAM_SYSTEM_ERR
 * when they fail, "user_check" PAM_PERM_DENIED when PAM_USER changed,
 * "getenvlist" PAM_BUF_ERR.
 */
struct hpam_stage {
	const char *name; /* static */
	int code;         /* the PAM return code */
};

struct hpam_message {
	const char *style; /* "info" or "error" (static) */
	char text[HPAM_MESSAGE_MAX + 4];
};

struct hpam {
	pam_handle_t *h;
	int last;                /* last PAM return code, for pam_end */
	int has_cred, has_session;
	struct hpam_stage stages[HPAM_STAGES_MAX];
	size_t nstages;
	struct hpam_message messages[HPAM_MESSAGES_MAX];
	size_t nmessages;
	size_t messages_dropped; /* past HPAM_MESSAGES_MAX */
	struct pam_conv conv;
	const struct secret *secret; /* answer to the first echo-off prompt, or NULL */
	int secret_used;         /* a second echo-off prompt is refused */
	int tty_fd;              /* >= 0: prompt on this terminal instead */
	char **env;              /* pam_getenvlist after open_session; owned */
	char user[CLI_USER_MAX + 1];
	struct hpam_attempt attempt; /* the slot, from authenticate to account */
	int attempt_held;
	int pad_later;           /* the attempt ended well: a later failure of the
				  * request is padded to attempt.until */
};

/* "PAM_SUCCESS", "PAM_AUTH_ERR", ... for a PAM return code ("PAM_UNKNOWN"
 * for a code it does not know).  Static. */
const char *hpam_code_name(int code);

/*
 * pam_start for service and user, with p's conversation; sets PAM_RUSER to
 * ruser (when not NULL) and PAM_TTY to the terminal's name when
 * tty_fd >= 0.  secret (kept by pointer, owned by the caller) answers the
 * first echo-off prompt and no other; with secret NULL, echo-off prompts go
 * to the terminal when tty_fd >= 0; echo-on prompts go to the terminal when
 * tty_fd >= 0 and are refused otherwise.  p is overwritten (call hpam_close
 * on a used one first) and must not move until hpam_close: PAM keeps a
 * pointer to it.  A zero-initialised struct hpam may be passed to
 * hpam_close, as may p after hpam_start failed.  ST_OK or ST_INTERNAL_ERROR.
 */
enum status hpam_start(struct hpam *p, const char *service, const char *user,
		       const char *ruser, const struct secret *secret, int tty_fd);

/*
 * pam_authenticate(PAM_DISALLOW_NULL_AUTHTOK).  Failure delay: parallel
 * callers cannot get around it, and an unknown user and a wrong password
 * take the same time: an exclusive lock on one of HPAM_LOCK_SLOTS files in
 * HPAM_LOCK_DIR (slot chosen by a hash of the user name) is held through
 * the attempt, libpam's own randomised delay is replaced (PAM_FAIL_DELAY),
 * and every outcome but ST_OK is padded to HPAM_FAIL_FLOOR_MS from the
 * attempt's start.  The slot file keeps that deadline while the attempt
 * runs, so killing an attempt does not free its slot any sooner.
 * On ST_OK the attempt is not over: the slot stays held and the deadline
 * stored until hpam_account ends it, so that the account stage's refusal
 * after a right password (an expired or locked account, pam_access,
 * nologin) takes the time a wrong one takes and frees the slot no sooner:
 * neither the answer's timing nor a parallel attempt's tells that the
 * password was right.  A failure after that (the target's refresh, a
 * session module) is padded to the same deadline by hpam_attempt_done,
 * without the slot: holding it through stages nothing bounds would let
 * one slow session keep every user of the slot out.
 * ST_OK, ST_AUTH_FAILED (PAM_AUTH_ERR, PAM_USER_UNKNOWN,
 * PAM_CRED_INSUFFICIENT, any other refusal), ST_ACCOUNT_LOCKED
 * (PAM_MAXTRIES), ST_INTERNAL_ERROR (PAM_ABORT, PAM_BUF_ERR, PAM_SYSTEM_ERR,
 * PAM_AUTHINFO_UNAVAIL, the lock could not be taken).
 */
enum status hpam_authenticate(struct hpam *p);

/* The request's PAM steps are over (ok: they all succeeded).  An attempt
 * still held (a signal between authenticate and account) ends: ok clears
 * its stored deadline, a failure is padded to it, and the slot is free.
 * One that ended well in hpam_account: a failure since is padded to its
 * deadline (without the slot). */
void hpam_attempt_done(struct hpam *p, int ok);

/*
 * For a front end that refuses user before PAM (root, a uid below
 * min_uid, a name that cannot be a user's): take user's slot and end the
 * attempt as a failed authentication ends, so that the refusal looks like
 * a wrong password from outside (its time, its slot).  Only once the real
 * uid is root: a process its caller can stop must not hold a slot.  0, or
 * -errno when the slot could not be taken (as an attempt's, after the
 * padding: the request then fails as a real attempt would).
 */
int hpam_refusal_delay(const char *user);

/*
 * pam_acct_mgmt, then PAM_USER read back: it must still be the user given
 * to hpam_start.  ST_OK, ST_ACCOUNT_EXPIRED (PAM_ACCT_EXPIRED),
 * ST_PASSWORD_EXPIRED (PAM_NEW_AUTHTOK_REQD, PAM_AUTHTOK_EXPIRED),
 * ST_ACCOUNT_LOCKED (PAM_PERM_DENIED, PAM_MAXTRIES), ST_AUTH_FAILED
 * (PAM_USER_UNKNOWN, PAM_AUTH_ERR), ST_DENIED (PAM_USER changed),
 * ST_INTERNAL_ERROR otherwise.  Ends hpam_authenticate's attempt (any
 * outcome but ST_OK padded, with the slot held).
 */
enum status hpam_account(struct hpam *p);

/*
 * setgroups(groups) in this (root) process: the user's initgroups(3) list,
 * which the caller resolves after hpam_account (the stage keeps the name
 * "initgroups"), then pam_setcred(ESTABLISH_CRED) (modules like pam_group
 * may add groups), pam_open_session, pam_getenvlist.  groups is borrowed.
 * The caller then reads the process's groups with getgroups() for the
 * child.  ST_OK or ST_INTERNAL_ERROR.
 */
enum status hpam_open(struct hpam *p, const gid_t *groups, size_t ngroups);

/* Record a check of the helper's own between PAM's stages as a stage
 * (name: a string literal); pam_end gets its code, as after a module's. */
void hpam_note(struct hpam *p, const char *name, int code);

/* End an attempt still held (as a failure: padded), close what is open
 * (close_session, setcred DELETE_CRED), pam_end, wipe, free env.
 * Idempotent; preserves errno. */
void hpam_close(struct hpam *p);

/* The conversation function (exposed for tests).  Rejects n <= 0 or
 * n > PAM_MAX_NUM_MSG; answers the first echo-off prompt with the secret
 * (or, without one, the terminal); refuses a second one the secret would
 * answer and any echo-on prompt without a terminal; records info and error
 * texts (NULL resp is allowed when every message is informational); wipes
 * and frees on every failure path.  data is the struct hpam. */
int hpam_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data);

#endif
