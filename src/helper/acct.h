/*
 * acct.h — what a PAM stack can hide.  Debian's common-account turns
 * pam_unix's PAM_ACCT_EXPIRED into pam_deny's PAM_AUTH_ERR, so after a
 * successful authentication the shadow entry is what tells an expired
 * account apart (the same test pam_unix makes).  Never consulted before the
 * password was accepted: it must not reveal anything to a guesser.
 */
#ifndef PFA_HELPER_ACCT_H
#define PFA_HELPER_ACCT_H

/* 1 when user's shadow entry has an expiry date that has passed, else 0
 * (no entry, no expiry, or it could not be read). */
int acct_shadow_expired(const char *user);

#endif
