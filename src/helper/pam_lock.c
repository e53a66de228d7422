/*
 * pam_lock.c — the failure delay of hpam_authenticate: one attempt at a
 * time per slot, and no failure faster than HPAM_FAIL_FLOOR_MS.
 *
 * MUST: HPAM_LOCK_DIR is created 0700 when missing, and used only when it
 *       is a directory (not a symlink) owned by root with mode exactly 0700:
 *       nobody else can create, swap or hold a file in it.
 * MUST: slot files are opened relative to that checked directory with
 *       O_NOFOLLOW|O_CLOEXEC, and flock(LOCK_EX) is held from before the
 *       attempt until after its padding: attempts on one slot never overlap.
 * MUST: the slot is a hash of the name alone (ASCII case folded, for
 *       case-insensitive NSS back ends), never of whether the user exists:
 *       unknown and existing users wait alike.
 * MUST: an attempt stores its deadline in the slot file before PAM runs and
 *       clears it only on success; the next holder first waits for a stored
 *       deadline (at most one floor ahead), so killing a slow attempt to
 *       learn its outcome early does not free the slot any sooner.
 * MUST: times are CLOCK_MONOTONIC and every sleep is absolute
 *       (TIMER_ABSTIME): a signal cannot shorten it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pam.h"
#include "pam_lock.h"

#define NSEC_PER_SEC 1000000000L

static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* *t = now + HPAM_FAIL_FLOOR_MS.  0 or -errno. */
static int
deadline_from_now(struct timespec *t)
{
	if (clock_gettime(CLOCK_MONOTONIC, t) != 0)
		return -errno;
	t->tv_sec += HPAM_FAIL_FLOOR_MS / 1000;
	t->tv_nsec += (HPAM_FAIL_FLOOR_MS % 1000) * 1000000L;
	if (t->tv_nsec >= NSEC_PER_SEC) {
		t->tv_sec++;
		t->tv_nsec -= NSEC_PER_SEC;
	}
	return 0;
}

void
hpam_sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

unsigned
hpam_slot(const char *user)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	const unsigned char *c;

	for (c = (const unsigned char *)user; *c; c++) {
		h ^= (*c >= 'A' && *c <= 'Z') ? *c + ('a' - 'A') : *c;
		h *= 16777619u;
	}
	return h % HPAM_LOCK_SLOTS;
}

/* HPAM_LOCK_DIR, made or checked: an O_DIRECTORY fd, or -errno. */
static int
lock_dir(void)
{
	struct stat st;
	int fd, r;

	if (mkdir(HPAM_LOCK_DIR, 0700) != 0 && errno != EEXIST)
		return -errno;
	fd = open(HPAM_LOCK_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = fd;
	if (fstat(fd, &st) != 0)
		r = -errno;
	else if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 07777) != 0700)
		r = -EPERM;
	if (r < 0)
		close(fd);
	return r;
}

/* The slot file of user, opened and locked: an fd, or -errno (-EBUSY
 * after HPAM_LOCK_WAIT_MS of waiting). */
static int
slot_lock(const char *user)
{
	char name[sizeof "slot-4294967295"];
	int dfd, fd, r;
	long waited;

	dfd = lock_dir();
	if (dfd < 0)
		return dfd;
	snprintf(name, sizeof name, "slot-%02u", hpam_slot(user));
	fd = openat(dfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
	r = fd < 0 ? -errno : fd;
	close(dfd);
	if (r < 0)
		return r;
	/* Bounded: a holder that hangs (a PAM module that never returns) must
	 * not queue everybody else behind it forever. */
	for (waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += HPAM_LOCK_POLL_MS) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			r = -errno;
			close(fd);
			return r;
		}
		if (waited >= HPAM_LOCK_WAIT_MS) {
			close(fd);
			return -EBUSY;
		}
		(void)usleep(HPAM_LOCK_POLL_MS * 1000);
	}
	return fd;
}

/* The slot file holds one deadline: two int64 (seconds, nanoseconds) of
 * CLOCK_MONOTONIC; zeros or nothing when no attempt is pending. */
static int
load_deadline(int fd, struct timespec *t)
{
	int64_t v[2] = { 0, 0 };
	ssize_t n = pread(fd, v, sizeof v, 0);

	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof v)
		v[0] = v[1] = 0; /* a new slot file */
	t->tv_sec = (time_t)v[0];
	t->tv_nsec = (long)v[1];
	return 0;
}

static int
store_deadline(int fd, const struct timespec *t)
{
	int64_t v[2] = { (int64_t)t->tv_sec, (int64_t)t->tv_nsec };
	ssize_t n = pwrite(fd, v, sizeof v, 0);

	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof v ? 0 : -EIO;
}

/* Wait for the deadline an earlier holder left (at most one floor ahead). */
static int
wait_stored(int fd)
{
	struct timespec stored, cap;
	int r;

	if ((r = load_deadline(fd, &stored)) < 0)
		return r;
	if ((r = deadline_from_now(&cap)) < 0)
		return r;
	if (stored.tv_nsec < 0 || stored.tv_nsec >= NSEC_PER_SEC || ts_before(&cap, &stored))
		stored = cap;
	hpam_sleep_until(&stored);
	return 0;
}

int
hpam_attempt_begin(struct hpam_attempt *a, const char *user)
{
	int r;

	a->fd = -1;
	a->until.tv_sec = 0;
	a->until.tv_nsec = 0;
	if ((r = deadline_from_now(&a->until)) < 0) /* pads a failure to lock */
		return r;
	if ((r = slot_lock(user)) < 0)
		return r;
	a->fd = r;
	if ((r = wait_stored(a->fd)) < 0)
		return r;
	if ((r = deadline_from_now(&a->until)) < 0)
		return r;
	return store_deadline(a->fd, &a->until);
}

void
hpam_attempt_end(struct hpam_attempt *a, int ok)
{
	static const struct timespec cleared;

	if (!ok)
		hpam_sleep_until(&a->until);
	else if (a->fd >= 0)
		(void)store_deadline(a->fd, &cleared); /* failing only delays the next one */
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
}
