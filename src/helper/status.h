/*
 * status.h — every way a request can end, and the one table that maps each
 * to the JSON "status" string and the process exit code (status.c).
 * Only main.c decides which status a request gets; only answer code prints.
 */
#ifndef PFA_HELPER_STATUS_H
#define PFA_HELPER_STATUS_H

enum status {
	ST_OK = 0,
	ST_AUTH_FAILED,      /* wrong password or unknown user: indistinguishable */
	ST_ACCOUNT_EXPIRED,  /* pam_acct_mgmt: PAM_ACCT_EXPIRED */
	ST_PASSWORD_EXPIRED, /* pam_acct_mgmt: PAM_NEW_AUTHTOK_REQD / PAM_AUTHTOK_EXPIRED */
	ST_ACCOUNT_LOCKED,   /* too many failures (PAM_MAXTRIES), or account denied now */
	ST_DENIED,           /* the caller, target or op is not allowed by policy */
	ST_BAD_REQUEST,      /* malformed command line or input */
	ST_CONFIG_ERROR,     /* pipefork-as.conf is untrusted or invalid */
	ST_OP_FAILED,        /* the operation ran and failed (its error says why) */
	ST_TIMEOUT,          /* the deadline passed; the child was killed */
	ST_CRASHED,          /* the child died by a signal or broke the protocol */
	ST_INTERNAL_ERROR,   /* anything else; fails closed */
	ST_COUNT
};

/* "ok", "auth_failed", ... (never NULL). */
const char *status_name(enum status st);
/* 0 for ST_OK, a distinct documented code for each other status. */
int status_exit_code(enum status st);

#endif
