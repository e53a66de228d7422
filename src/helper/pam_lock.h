/*
 * pam_lock.h — the failure delay around one pam_authenticate (internal to
 * the pam module; pam.h states the promise, pam_lock.c keeps it).
 */
#ifndef PFA_HELPER_PAM_LOCK_H
#define PFA_HELPER_PAM_LOCK_H

#include <time.h>

struct hpam_attempt {
	int fd;                /* the slot's lock file, flock(LOCK_EX) held; or -1 */
	struct timespec until; /* CLOCK_MONOTONIC: a failure ends no earlier */
};

/*
 * Take the slot lock for user (waits for the holder, then for the deadline
 * a killed holder left behind), then store this attempt's own deadline,
 * HPAM_FAIL_FLOOR_MS from now, in the slot file.  0 or a negative errno;
 * either way a->until is set and hpam_attempt_end(a, ...) must follow.
 */
int hpam_attempt_begin(struct hpam_attempt *a, const char *user);

/*
 * End the attempt: a failure sleeps until a->until; a success clears the
 * stored deadline instead.  Then the lock is released.
 */
void hpam_attempt_end(struct hpam_attempt *a, int ok);

/* Sleep until t (CLOCK_MONOTONIC, absolute: a signal does not shorten it):
 * the padding of a failure that comes after its attempt ended. */
void hpam_sleep_until(const struct timespec *t);

/* The slot of a user name, 0..HPAM_LOCK_SLOTS-1 (exposed for tests). */
unsigned hpam_slot(const char *user);

#endif
