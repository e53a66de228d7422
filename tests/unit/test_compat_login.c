#include "config.h"
/* Unit tests of compat_read (src/helper/compat/login.c): the deadline, the
 * cancel fd, and what it does not do (read past its request). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "compat/login.h"

static long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Test(compat_read, data_then_eof)
{
	char buf[8];
	int p[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	cr_assert_eq(write(p[1], "abc", 3), 3);
	close(p[1]);
	cr_assert_eq(compat_read(p[0], buf, 2, compat_deadline(1000), -1), 2, "at most n bytes");
	cr_assert_eq(compat_read(p[0], buf, sizeof(buf), compat_deadline(1000), -1), 1);
	cr_assert_eq(compat_read(p[0], buf, sizeof(buf), compat_deadline(1000), -1), 0);
	close(p[0]);
}

Test(compat_read, deadline_is_kept)
{
	char buf[8];
	long t0 = ms_now(), took;
	int p[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	cr_assert_eq(compat_read(p[0], buf, sizeof(buf), compat_deadline(250), -1), -ETIMEDOUT);
	took = ms_now() - t0;
	cr_assert(took >= 240 && took < 2000, "took %ld ms", took);
	cr_assert_eq(compat_read(p[0], buf, sizeof(buf), compat_deadline(0), -1), -ETIMEDOUT,
		     "a past deadline reads nothing");
	close(p[0]);
	close(p[1]);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

Test(compat_read, a_signal_does_not_end_the_wait)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	char buf[8];
	int p[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	cr_assert_eq(compat_read(p[0], buf, sizeof(buf), compat_deadline(300), -1), -ETIMEDOUT);
	close(p[0]);
	close(p[1]);
}

Test(compat_read, cancel_fd_wins_over_data)
{
	char buf[8];
	int p[2], c[2];

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(c, O_CLOEXEC), 0);
	cr_assert_eq(write(p[1], "abc", 3), 3);
	cr_assert_eq(write(c[1], "s", 1), 1);
	cr_assert_eq(compat_read(p[0], buf, sizeof(buf), compat_deadline(1000), c[0]), -ECANCELED);
	cr_assert_eq(read(p[0], buf, sizeof(buf)), 3, "nothing was read");
	close(p[0]);
	close(p[1]);
	close(c[0]);
	close(c[1]);
}

Test(compat_read, wipe)
{
	struct compat_login l;

	memset(&l, 0x5a, sizeof(l));
	compat_login_wipe(&l);
	for (size_t i = 0; i < sizeof(l); i++)
		cr_assert_eq(((unsigned char *)&l)[i], 0);
}
