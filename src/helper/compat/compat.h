/*
 * compat.h — what the checkpassword and pwauth front ends share besides
 * the steps (steps.h): the request filled from what the caller sent, and
 * the one log line of an attempt.
 */
#ifndef PFA_HELPER_COMPAT_COMPAT_H
#define PFA_HELPER_COMPAT_COMPAT_H

#include "login.h"
#include "request.h"

/*
 * Fill rq->cli for op ("auth", "exec") with args (NULL when nargs is 0)
 * and the login: rq->cli.user points into login->user, which must outlive
 * rq; the password moves into rq->secret (login's copy is wiped).
 */
void compat_request_set(struct request *rq, struct compat_login *login, const char *op,
			char *const *args, int nargs);

/*
 * The status for a reader's failure e (cpw_input_read, pwauth_input_read)
 * on the input called what ("fd 3", "stdin") whose format is form:
 * bad_request for -EMSGSIZE, -EINVAL and -ETIMEDOUT (the caller did not
 * keep to the interface), internal_error for a signal (-ECANCELED) and
 * anything else.
 */
enum status compat_input_failed(struct request *rq, int e, const char *what, const char *form);

/*
 * step_validate for a front end that built rq->cli itself (so that its
 * only bad_request is "invalid user name"), and after step_authorize:
 *  - an operation the policy does not allow is config_error (the server's
 *    setup is wrong; the login is not), decided before the target is;
 *  - an invalid user name is auth_failed: to the server, a login that
 *    cannot be a user name is a login that fails;
 *  - with pad, a refused target (that, root, a uid below min_uid) takes
 *    the time and the slot a wrong password takes (hpam_refusal_delay);
 *    without (a lookup, which checks no password), it answers at once, as
 *    an unknown user does there.
 */
enum status compat_validate(struct request *rq, int pad);

/* The one syslog line of the attempt (answer.h log_attempt): caller,
 * target, service, mode, and rq->status.  Once per process: a later call
 * does nothing. */
void compat_log(struct request *rq, const char *mode);

#endif
