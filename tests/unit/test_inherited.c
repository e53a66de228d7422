#include "config.h"
/*
 * Unit tests of src/helper/inherited.c: the state a caller can leave on
 * the helper that survives exec (timers, TSC mode, oom_score_adj, session
 * keyring, scheduling policy), through sanitize_process and
 * inherited_root_reset.  Part of the test_sanitize program.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "inherited.h"
#include "sanitize_child.h"

static const char *
timers_disarmed(int rep)
{
	const struct itimerval soon = { { 0, 0 }, { 30, 0 } };
	struct itimerval now;

	CHECK(setitimer(ITIMER_REAL, &soon, NULL) == 0);
	CHECK(setitimer(ITIMER_VIRTUAL, &soon, NULL) == 0);
	CHECK(setitimer(ITIMER_PROF, &soon, NULL) == 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(getitimer(ITIMER_REAL, &now) == 0 && !timerisset(&now.it_value));
	CHECK(getitimer(ITIMER_VIRTUAL, &now) == 0 && !timerisset(&now.it_value));
	CHECK(getitimer(ITIMER_PROF, &now) == 0 && !timerisset(&now.it_value));
	return NULL;
}

Test(sanitize, interval_timers_disarmed)
{
	in_child(timers_disarmed);
}

static const char *
tsc_enabled(int rep)
{
#ifdef PR_SET_TSC
	int v = -1;

	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0)
		return NULL; /* not x86: nothing to check */
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(prctl(PR_GET_TSC, &v, 0, 0, 0) == 0 && v == PR_TSC_ENABLE);
#else
	(void)rep;
#endif
	return NULL;
}

Test(sanitize, time_stamp_counter_enabled)
{
	in_child(tsc_enabled);
}


static long
oom_adj(const char *set)
{
	char buf[16] = "";
	int fd = open("/proc/self/oom_score_adj", O_RDWR);
	ssize_t n;

	if (fd < 0)
		return -9999;
	if (set != NULL && write(fd, set, strlen(set)) != (ssize_t)strlen(set))
		n = -1;
	else
		n = pread(fd, buf, sizeof(buf) - 1, 0);
	(void)close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -9999;
}

static const char *
oom_lowered(int rep)
{
	CHECK(oom_adj("1000") == 1000);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(oom_adj(NULL) == 0);
	return NULL;
}

Test(sanitize, raised_oom_score_adj_lowered)
{
	in_child(oom_lowered);
}

/* A negative value only a privileged process can set, and the helper
 * keeps it; where root lacks CAP_SYS_RESOURCE (as on these machines) none
 * can be set, and 0 must stay 0. */
static int want_negative; /* set by the test before it forks */

static const char *
oom_not_raised(int rep)
{
	long want = want_negative ? -300 : 0;

	CHECK(oom_adj(want_negative ? "-300" : "0") == want);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(oom_adj(NULL) == want);
	return NULL;
}

Test(sanitize, oom_score_adj_at_most_0_kept)
{
	want_negative = has_sys_resource();
	in_child(oom_not_raised);
}

static long
session_keyring(void)
{
	return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);
}

static const char *
keyring_replaced(int rep)
{
	const char *step = NULL;
	long before, after;

	CHECK(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) >= 0);
	CHECK(syscall(SYS_add_key, "user", "pfa_unit_key", "secret", 6, KEY_SPEC_SESSION_KEYRING) >= 0);
	CHECK((before = session_keyring()) >= 0);
	CHECK(sanitize_keeping(rep, -1, NULL, 0, NULL) == 0);
	CHECK(session_keyring() == before); /* not yet: it would be the caller's */
	CHECK(inherited_root_reset(&step) == 0);
	CHECK((after = session_keyring()) >= 0 && after != before);
	CHECK(syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", "pfa_unit_key", 0) < 0);
	CHECK(errno == ENOKEY);
	return NULL;
}

Test(inherited, caller_session_keyring_left_once_root)
{
	if (syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) < 0 &&
	    (errno == ENOSYS || errno == EPERM))
		cr_skip_test("no keyrings here");
	in_child(keyring_replaced);
}

/* A real-time policy goes back to SCHED_OTHER (root: setting one needs
 * CAP_SYS_NICE), the nice value kept. */
static const char *
sched_normal(int rep)
{
	struct sched_param sp = { .sched_priority = 5 };
	const char *step = NULL;

	(void)rep;
	CHECK(setpriority(PRIO_PROCESS, 0, 3) == 0);
	CHECK(sched_setscheduler(0, SCHED_FIFO, &sp) == 0);
	CHECK(inherited_root_reset(&step) == 0);
	CHECK(sched_getscheduler(0) == SCHED_OTHER);
	CHECK(getpriority(PRIO_PROCESS, 0) == 3);
	return NULL;
}

Test(inherited, realtime_policy_back_to_normal)
{
	if (geteuid() != 0)
		cr_skip_test("setting SCHED_FIFO needs root");
	in_child(sched_normal);
}
