#include "config.h"
/*
 * The whole PAM flow of src/helper/pam.c against real libpam, pam_matrix and
 * pam_deny, under pam_wrapper (run by test_pam_wrap.sh, which writes the
 * users, the service files and the cwrap environment).  HPAM_LOCK_DIR is a
 * directory of this test's own, fixed at compile time (src/helper/pam.mk).
 */

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_secret.h"
#include "pam.h"
#include "pam_lock.h"

#define FLOOR ((double)HPAM_FAIL_FLOOR_MS / 1000.0)
#define SLACK 2.5 /* seconds over the floor a loaded machine may take */

static struct hpam ctx;
static struct secret pw;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
setup(void)
{
	cr_assert_not_null(getenv("PAM_WRAPPER_SERVICE_DIR"),
			   "run through tests/unit/test_pam_wrap.sh (it sets up cwrap)");
	memset(&ctx, 0, sizeof ctx);
}

static void
teardown(void)
{
	hpam_close(&ctx);
	explicit_bzero(&pw, sizeof pw);
}

TestSuite(pam_wrap, .init = setup, .fini = teardown, .timeout = 30);

/* hpam_start with pass as the secret, then hpam_authenticate, timed. */
static enum status
login(const char *service, const char *user, const char *pass, double *secs)
{
	enum status st;
	double t0;

	memset(&pw, 0, sizeof pw);
	pw.len = strlen(pass);
	memcpy(pw.buf, pass, pw.len);
	cr_assert_eq(hpam_start(&ctx, service, user, "caller", &pw, -1), ST_OK);
	t0 = now();
	st = hpam_authenticate(&ctx);
	*secs = now() - t0;
	return st;
}

static size_t
stage_count(const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < ctx.nstages; i++)
		n += strcmp(ctx.stages[i].name, name) == 0;
	return n;
}

/* The code of the first stage called name; -1 when it did not run. */
static int
stage_code(const char *name)
{
	size_t i;

	for (i = 0; i < ctx.nstages; i++)
		if (strcmp(ctx.stages[i].name, name) == 0)
			return ctx.stages[i].code;
	return -1;
}

static const char *
env_get(const char *name)
{
	size_t len = strlen(name);
	char **e;

	for (e = ctx.env; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

static void
assert_stages(const char *const *names, size_t n, size_t from)
{
	size_t i;

	cr_assert_geq(ctx.nstages, from + n);
	for (i = 0; i < n; i++) {
		const struct hpam_stage *s = &ctx.stages[from + i];
		cr_assert_str_eq(s->name, names[i]);
		cr_assert_eq(s->code, PAM_SUCCESS, "%s: %s", s->name, hpam_code_name(s->code));
	}
}

/* alice's initgroups list as the helper resolves it before PAM. */
static const gid_t alice_groups[] = { 1001, 2000 };

/* A login that must fail like a wrong password, padded to the floor. */
static void
failed_login(const char *service, const char *user, const char *pass)
{
	double secs;
	enum status st = login(service, user, pass, &secs);

	cr_assert_eq(st, ST_AUTH_FAILED, "status %d", st);
	cr_assert_eq(stage_code("authenticate"), PAM_AUTH_ERR);
	cr_assert_geq(secs, FLOOR, "a failure took %.3f s", secs);
	cr_assert_lt(secs, FLOOR + SLACK, "a failure took %.3f s", secs);
}

Test(pam_wrap, right_password_runs_every_stage)
{
	static const char *const open_stages[] = {
		"start", "set_ruser", "set_fail_delay", "authenticate", "acct_mgmt",
		"user_check", "initgroups", "setcred", "open_session", "getenvlist",
	};
	static const char *const close_stages[] = { "close_session", "setcred_delete", "end" };
	gid_t groups[64];
	double secs;
	int i, n, in_wheel = 0;

	cr_assert_eq(login("pfa_plain", "alice", "secret", &secs), ST_OK);
	cr_assert_lt(secs, FLOOR, "a success is not padded (%.3f s)", secs);
	cr_assert_eq(ctx.secret_used, 1);
	cr_assert_eq(hpam_account(&ctx), ST_OK);
	cr_assert_eq(hpam_open(&ctx, alice_groups, 2), ST_OK);
	cr_assert_eq(ctx.nstages, 10);
	assert_stages(open_stages, 10, 0);
	cr_assert(ctx.has_cred && ctx.has_session);
	cr_assert_str_eq(env_get("HOMEDIR"), "/home/alice"); /* pam_matrix session */
	cr_assert_str_eq(env_get("CRED"), "/tmp/alice");     /* pam_matrix setcred */

	n = getgroups(64, groups);
	cr_assert_eq(n, 2, "exactly the list given (pam_matrix adds none): %d", n);
	for (i = 0; i < n; i++)
		in_wheel |= groups[i] == 2000;
	cr_assert(in_wheel, "hpam_open set the list it was given");

	hpam_close(&ctx);
	assert_stages(close_stages, 3, 10);
	cr_assert_null(ctx.h);
	cr_assert_null(ctx.env);
}

Test(pam_wrap, wrong_password_is_padded_and_reported)
{
	failed_login("pfa_verbose", "bob", "hunter3");
	cr_assert_eq(ctx.nmessages, 1);
	cr_assert_str_eq(ctx.messages[0].style, "error");
	cr_assert_str_eq(ctx.messages[0].text, "Authentication failed");
	hpam_close(&ctx);
	cr_assert_eq(stage_count("close_session"), 0);
	cr_assert_eq(stage_count("setcred_delete"), 0);
	cr_assert_eq(stage_count("end"), 1);
}

Test(pam_wrap, unknown_user_looks_like_a_wrong_password)
{
	failed_login("pfa_plain", "nosuchuser", "secret");
	cr_assert_eq(ctx.secret_used, 1, "the password is asked for all the same");
}

Test(pam_wrap, verbose_module_messages_are_recorded)
{
	double secs;

	cr_assert_eq(login("pfa_verbose", "bob", "hunter2", &secs), ST_OK);
	cr_assert_eq(ctx.nmessages, 1);
	cr_assert_str_eq(ctx.messages[0].style, "info");
	cr_assert_str_eq(ctx.messages[0].text, "Authentication succeeded");
}

Test(pam_wrap, account_denied_by_pam_deny)
{
	double secs;

	cr_assert_eq(login("pfa_denyacct", "carol", "pw-carol", &secs), ST_OK);
	/* pam_deny's account hook returns PAM_AUTH_ERR: documented as
	 * ST_AUTH_FAILED in pam.h */
	cr_assert_eq(hpam_account(&ctx), ST_AUTH_FAILED);
	cr_assert_eq(stage_code("acct_mgmt"), PAM_AUTH_ERR, "%s",
		     hpam_code_name(stage_code("acct_mgmt")));
	cr_assert_eq(stage_count("user_check"), 0);
}

/* A refusal of the account stage after the right password takes as long as
 * a wrong password (the attempt is held until hpam_account ends it). */
Test(pam_wrap, account_refusal_is_padded)
{
	double secs, t0 = now();

	cr_assert_eq(login("pfa_denyacct", "carol", "pw-carol", &secs), ST_OK);
	cr_assert_lt(secs, FLOOR, "authenticate alone is not padded (%.3f s)", secs);
	cr_assert_eq(hpam_account(&ctx), ST_AUTH_FAILED);
	secs = now() - t0;
	cr_assert_geq(secs, FLOOR, "the refusal is padded (%.3f s)", secs);
	cr_assert_lt(secs, FLOOR + SLACK, "%.3f s", secs);
}

/* After a good account stage the slot is free at once (a slow session
 * must not hold it), and a later failure of the request is padded to the
 * attempt's deadline all the same; a success is not. */
Test(pam_wrap, later_failure_padded_without_the_slot)
{
	struct hpam_attempt other;
	double secs, t0 = now();

	cr_assert_eq(login("pfa_plain", "alice", "secret", &secs), ST_OK);
	cr_assert_eq(hpam_account(&ctx), ST_OK);
	secs = now();
	cr_assert_eq(hpam_attempt_begin(&other, "alice"), 0);
	hpam_attempt_end(&other, 1);
	cr_assert_lt(now() - secs, 1.0, "the slot is free after the account stage");
	hpam_attempt_done(&ctx, 0); /* e.g. open_session failed */
	secs = now() - t0;
	cr_assert_geq(secs, FLOOR, "a later failure is padded (%.3f s)", secs);
	cr_assert_lt(secs, FLOOR + SLACK, "%.3f s", secs);
	hpam_close(&ctx);

	memset(&ctx, 0, sizeof ctx);
	t0 = now();
	cr_assert_eq(login("pfa_plain", "alice", "secret", &secs), ST_OK);
	cr_assert_eq(hpam_account(&ctx), ST_OK);
	hpam_attempt_done(&ctx, 1);
	hpam_attempt_done(&ctx, 0); /* the request failed later, after success */
	hpam_close(&ctx);
	cr_assert_lt(now() - t0, 1.0, "nothing is padded once the steps succeeded");
}

Test(pam_wrap, renamed_user_is_refused)
{
	double secs;

	cr_assert_eq(setenv("PAM_USER", "mallory", 1), 0); /* read by pam_set_items */
	cr_assert_eq(login("pfa_setuser", "dave", "pw-dave", &secs), ST_OK);
	cr_assert_eq(hpam_account(&ctx), ST_DENIED);
	cr_assert_eq(stage_code("acct_mgmt"), PAM_SUCCESS);
	cr_assert_eq(stage_code("user_check"), PAM_PERM_DENIED);
}

Test(pam_wrap, close_twice_closes_once)
{
	double secs;

	cr_assert_eq(login("pfa_plain", "alice", "secret", &secs), ST_OK);
	cr_assert_eq(hpam_account(&ctx), ST_OK);
	cr_assert_eq(hpam_open(&ctx, alice_groups, 2), ST_OK);
	errno = EXDEV;
	hpam_close(&ctx);
	hpam_close(&ctx);
	cr_assert_eq(errno, EXDEV);
	cr_assert_eq(stage_count("close_session"), 1);
	cr_assert_eq(stage_count("setcred_delete"), 1);
	cr_assert_eq(stage_count("end"), 1);
	cr_assert_eq(hpam_open(&ctx, alice_groups, 2), ST_INTERNAL_ERROR, "nothing to open after close");
}

Test(pam_wrap, terminal_prompts_and_pam_tty)
{
	const void *item = NULL;
	char *slave;
	int m, s, fds[2];

	m = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert_geq(m, 0);
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	slave = ptsname(m);
	cr_assert_not_null(slave);
	s = open(slave, O_RDWR | O_NOCTTY);
	cr_assert_geq(s, 0);

	fake_tty_answer = "secret";
	cr_assert_eq(hpam_start(&ctx, "pfa_plain", "alice", NULL, NULL, s), ST_OK);
	cr_assert_eq(stage_count("set_ruser"), 0);
	cr_assert_eq(stage_code("set_tty"), PAM_SUCCESS);
	cr_assert_eq(pam_get_item(ctx.h, PAM_TTY, &item), PAM_SUCCESS);
	cr_assert_str_eq(item, slave);
	cr_assert_eq(hpam_authenticate(&ctx), ST_OK);
	cr_assert_eq(fake_tty_calls, 1);
	cr_assert_str_eq(fake_tty_prompt, "Password: ");
	hpam_close(&ctx);

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(hpam_start(&ctx, "pfa_plain", "alice", NULL, NULL, fds[0]), ST_INTERNAL_ERROR);
	cr_assert_eq(stage_code("ttyname"), PAM_SYSTEM_ERR);
	close(fds[0]);
	close(fds[1]);
	close(s);
	close(m);
}

/* A caller kills its attempt as soon as it guesses the answer is "wrong":
 * the next attempt on that slot still waits out the killed one's floor. */
Test(pam_wrap, killing_an_attempt_does_not_free_its_slot)
{
	struct hpam_attempt a;
	double t0, waited;
	pid_t pid;
	int fds[2];
	char c;

	cr_assert_eq(hpam_slot("erin"), hpam_slot("ERIN"));
	cr_assert_lt(hpam_slot("erin"), HPAM_LOCK_SLOTS);
	cr_assert_eq(pipe(fds), 0);
	t0 = now();
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (hpam_attempt_begin(&a, "erin") == 0 && write(fds[1], "x", 1) == 1)
			pause();
		_exit(1);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &c, 1), 1, "the child took the slot");
	cr_assert_eq(kill(pid, SIGKILL), 0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	close(fds[0]);

	cr_assert_eq(hpam_attempt_begin(&a, "ERIN"), 0);
	waited = now() - t0;
	hpam_attempt_end(&a, 1);
	cr_assert_geq(waited, FLOOR, "waited %.3f s", waited);
	cr_assert_lt(waited, FLOOR + SLACK, "waited %.3f s", waited);

	t0 = now(); /* the success cleared the stored deadline */
	cr_assert_eq(hpam_attempt_begin(&a, "erin"), 0);
	hpam_attempt_end(&a, 1);
	cr_assert_lt(now() - t0, 1.0);
}

/* Remove HPAM_LOCK_DIR, whatever it is now (never following a symlink). */
static void
remove_lock_dir(void)
{
	char path[4096];
	struct stat st;
	unsigned i;

	if (lstat(HPAM_LOCK_DIR, &st) != 0) {
		cr_assert_eq(errno, ENOENT, "%s: %s", HPAM_LOCK_DIR, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		cr_assert_eq(unlink(HPAM_LOCK_DIR), 0);
		return;
	}
	for (i = 0; i < HPAM_LOCK_SLOTS; i++) {
		snprintf(path, sizeof path, "%s/slot-%02u", HPAM_LOCK_DIR, i);
		unlink(path);
	}
	cr_assert_eq(rmdir(HPAM_LOCK_DIR), 0, "%s: %s", HPAM_LOCK_DIR, strerror(errno));
}

/* hpam_attempt_begin's result for a user; the attempt is ended at once. */
static int
try_lock(void)
{
	struct hpam_attempt a;
	int r = hpam_attempt_begin(&a, "x");

	hpam_attempt_end(&a, 1);
	return r;
}

Test(pam_wrap, lock_dir_is_made_or_refused)
{
	struct stat st;
	int fd, r;

	remove_lock_dir();
	cr_assert_eq(try_lock(), 0);
	cr_assert_eq(lstat(HPAM_LOCK_DIR, &st), 0);
	cr_assert(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700 && st.st_uid == 0);

	remove_lock_dir();
	cr_assert_eq(mkdir(HPAM_LOCK_DIR ".real", 0700), 0);
	cr_assert_eq(symlink(HPAM_LOCK_DIR ".real", HPAM_LOCK_DIR), 0);
	r = try_lock();
	cr_assert(r == -ENOTDIR || r == -ELOOP, "a symlink is refused: %d", r);
	cr_assert_eq(unlink(HPAM_LOCK_DIR), 0);
	cr_assert_eq(rmdir(HPAM_LOCK_DIR ".real"), 0);

	cr_assert_eq(mkdir(HPAM_LOCK_DIR, 0700), 0);
	cr_assert_eq(chmod(HPAM_LOCK_DIR, 0755), 0);
	cr_assert_eq(try_lock(), -EPERM, "mode 0755 is refused");
	cr_assert_eq(chmod(HPAM_LOCK_DIR, 0700), 0);
	cr_assert_eq(chown(HPAM_LOCK_DIR, 1001, 1001), 0);
	cr_assert_eq(try_lock(), -EPERM, "another owner is refused");
	remove_lock_dir();

	fd = open(HPAM_LOCK_DIR, O_WRONLY | O_CREAT | O_EXCL, 0700);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(try_lock(), -ENOTDIR, "a file is refused");
	remove_lock_dir();
}

Test(pam_wrap, no_lock_no_attempt)
{
	double secs;

	remove_lock_dir();
	cr_assert_eq(mkdir(HPAM_LOCK_DIR ".real", 0700), 0);
	cr_assert_eq(symlink(HPAM_LOCK_DIR ".real", HPAM_LOCK_DIR), 0);
	memset(&pw, 0, sizeof pw);
	cr_assert_eq(hpam_start(&ctx, "pfa_plain", "alice", "caller", &pw, -1), ST_OK);
	secs = now();
	cr_assert_eq(hpam_authenticate(&ctx), ST_INTERNAL_ERROR);
	secs = now() - secs;
	cr_assert_eq(stage_code("lock"), PAM_SYSTEM_ERR);
	cr_assert_eq(stage_count("authenticate"), 0);
	cr_assert_eq(ctx.secret_used, 0);
	cr_assert_geq(secs, FLOOR, "an internal failure is padded too (%.3f s)", secs);
	remove_lock_dir();
	cr_assert_eq(rmdir(HPAM_LOCK_DIR ".real"), 0, "nothing was made behind the symlink");
}

/* A front end's refusal without a slot fails as an attempt without one
 * does (padded, then an error), never as the plain refusal: a busy slot
 * must not tell a refused system account from an unknown name. */
Test(pam_wrap, refusal_without_a_slot_fails_like_an_attempt)
{
	double secs;
	int r;

	remove_lock_dir();
	cr_assert_eq(mkdir(HPAM_LOCK_DIR ".real", 0700), 0);
	cr_assert_eq(symlink(HPAM_LOCK_DIR ".real", HPAM_LOCK_DIR), 0);
	secs = now();
	r = hpam_refusal_delay("root");
	secs = now() - secs;
	cr_assert(r == -ENOTDIR || r == -ELOOP, "%d", r);
	cr_assert_geq(secs, FLOOR, "padded all the same (%.3f s)", secs);
	remove_lock_dir();
	cr_assert_eq(rmdir(HPAM_LOCK_DIR ".real"), 0);
	cr_assert_eq(hpam_refusal_delay("root"), 0);
}
