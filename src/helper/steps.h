/*
 * steps.h — the shared steps of a request (steps.c), in the order a front
 * end calls them.  Each returns ST_OK or the status it set with
 * request_fail; a front end stops at the first failure, then always calls
 * step_cleanup and step_release.
 */
#ifndef PFA_HELPER_STEPS_H
#define PFA_HELPER_STEPS_H

#include "request.h"
#include "sanitize.h"

#define DEFAULT_SERVICE "pipefork-as"

/* 1: the process made safe (sanitize.h); argc == 0 refused. */
enum status step_sanitize(struct request *rq, const struct sanitize_spec *spec);
/* 3: policy loaded and trusted, the caller authorized (before stdin is
 * read); with relay, the output relay started (relay.h: only a front end
 * whose operation streams data to stdout asks for it, and only the JSON
 * command line has such operations); signals caught, subreaper. */
enum status step_authorize(struct request *rq, int relay);
/* 4: the operation, root-only options, timeout, and the target.  Needs
 * rq->cli (user, op, args, service, no_auth, timeout). */
enum status step_validate(struct request *rq);
/* 5: the password: a line from stdin, or typed at the terminal (none for
 * --no-auth); bounded in size and in time. */
enum status step_secret(struct request *rq);
/* 6: the real uid becomes root (the caller can no longer signal us); the
 * policy read again (one that decides differently: config_error; the
 * caller still in the group); then PAM: start, authenticate, acct_mgmt;
 * the target resolved again by the requested name (the same name, uid and
 * gid, or denied; its groups are read now); setcred,
 * open_session; the session's groups become the target's.  Uses
 * rq->secret if set.  With rq->no_session it ends after the second
 * resolution (a front end that runs nothing as the user: no credentials,
 * no session).  hpam_attempt_done when it returns: every failure after
 * the right password is padded. */
enum status step_pam(struct request *rq);
/* 6, for a front end that refused the target before PAM (st): the real
 * uid becomes root and the policy is read again as in step_pam, then the
 * refusal takes the time and slot of a wrong password (pam_start,
 * hpam_refusal_delay; step_cleanup ends PAM); st, or what went wrong
 * first (internal_error when the slot could not be taken, as for an
 * attempt). */
enum status step_refuse(struct request *rq, enum status st);
/* 7: the operation runs as the user (nothing for ops that do not fork). */
enum status step_run(struct request *rq);
/* 8a: leftovers of the operation killed, the PAM session closed and the
 * credentials deleted (if opened), the secret wiped.  Every path. */
void step_cleanup(struct request *rq);
/* 8b: free what the request holds. */
void step_release(struct request *rq);

#endif
