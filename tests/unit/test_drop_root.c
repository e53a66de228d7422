/*
 * Root tests of the credential drop (drop.c, child.c) through pfa_run, in
 * the private lab (tests/lab): the child's /proc/self/status, regaining
 * root, inherited fds, granted capabilities, a drop that fails.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <linux/keyctl.h>
#include <signal.h>
#include <stdlib.h>
#include <pwd.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "unit.h"

static int
cb_status(pfa_out *out, void *arg)
{
	char buf[8192];
	int fd = open("/proc/self/status", O_RDONLY), hostfd = arg ? *(int *)arg : -1;
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

	if (n <= 0)
		return 1;
	close(fd);
	pfa_out_write(out, buf, (size_t)n);
	pfa_out_int(out, "dumpable", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	if (hostfd >= 0)
		pfa_out_int(out, "hostfd_open", fcntl(hostfd, F_GETFD) != -1);
	return 0;
}

static pfa_identity *
alice(void)
{
	pfa_identity *id;
	cr_assert_eq(pfa_identity_from_name("pfa_alice", 0, &id), 0, "lab user missing");
	return id;
}

static void
expect(const char *status, const char *key, const char *want)
{
	char got[512];
	cr_assert_eq(status_field(status, key, got, sizeof(got)), 0, "%s missing", key);
	cr_assert_str_eq(got, want, "%s", key);
}

Test(drop, status_shows_every_id_and_no_capability)
{
	pfa_identity *id = alice();
	struct pfa_result *r;
	const char *st;
	char want[256], groups[256] = "";
	struct group *team = getgrnam("pfa_team");
	const gid_t *g;
	size_t n = pfa_identity_groups(id, &g);
	int64_t v;
	int shadow = open("/etc/shadow", O_RDONLY); /* a root-only fd of the host */

	cr_assert_geq(shadow, 0);
	cr_assert_not_null(team);
	cr_assert_eq(pfa_run(id, NULL, cb_status, &shadow, &r), 0, "%s",
		     pfa_strerror(pfa_result_code(r)));
	st = pfa_result_data(r, 0, NULL);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", pfa_identity_uid(id), pfa_identity_uid(id),
		 pfa_identity_uid(id), pfa_identity_uid(id));
	expect(st, "Uid", want);
	snprintf(want, sizeof(want), "%u\t%u\t%u\t%u", pfa_identity_gid(id), pfa_identity_gid(id),
		 pfa_identity_gid(id), pfa_identity_gid(id));
	expect(st, "Gid", want);
	for (size_t i = 0; i < n; i++)
		snprintf(groups + strlen(groups), sizeof(groups) - strlen(groups), "%u ", g[i]);
	if (n > 0)
		groups[strlen(groups) - 1] = '\0';
	cr_assert_eq(n, 2, "own group and pfa_team");
	expect(st, "Groups", groups);
	expect(st, "CapInh", "0000000000000000");
	expect(st, "CapPrm", "0000000000000000");
	expect(st, "CapEff", "0000000000000000");
	expect(st, "CapBnd", "0000000000000000");
	expect(st, "CapAmb", "0000000000000000");
	expect(st, "NoNewPrivs", "1");
	cr_assert_eq(pfa_result_get_int(r, "dumpable", &v), 0);
	cr_assert_eq(v, 0);
	cr_assert_eq(pfa_result_get_int(r, "hostfd_open", &v), 0);
	cr_assert_eq(v, 0, "the host's fd on /etc/shadow reached the child");
	pfa_result_free(r);
	pfa_identity_free(id);
	close(shadow);
}

static int
cb_regain(pfa_out *out, void *arg)
{
	cap_t c;
	cap_value_t v = CAP_SETUID;
	(void)arg;

	pfa_out_int(out, "setuid", setuid(0));
	pfa_out_int(out, "setgid", setgid(0));
	pfa_out_int(out, "setresuid", setresuid(0, 0, 0));
	pfa_out_int(out, "seteuid", seteuid(0));
	pfa_out_int(out, "setgroups", setgroups(0, NULL));
	c = cap_get_proc();
	cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_SET);
	cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_SET);
	pfa_out_int(out, "capset", cap_set_proc(c));
	cap_free(c);
	pfa_out_int(out, "ambient", cap_set_ambient(CAP_SETUID, CAP_SET));
	pfa_out_int(out, "nnp_clear", prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
	pfa_out_int(out, "shadow", open("/etc/shadow", O_RDONLY));
	pfa_out_int(out, "uid", getuid());
	return 0;
}

Test(drop, regaining_root_fails_in_the_callback)
{
	pfa_identity *id = alice();
	struct pfa_result *r;
	const char *keys[] = { "setuid", "setgid", "setresuid", "seteuid", "setgroups",
			       "capset", "ambient", "nnp_clear", "shadow" };
	int64_t v;

	cr_assert_eq(pfa_run(id, NULL, cb_regain, NULL, &r), 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cr_assert_eq(pfa_result_get_int(r, keys[i], &v), 0);
		cr_assert_eq(v, -1, "%s succeeded", keys[i]);
	}
	pfa_result_get_int(r, "uid", &v);
	cr_assert_eq(v, pfa_identity_uid(id));
	pfa_result_free(r);
	pfa_identity_free(id);
}

static int
cb_bind81(pfa_out *out, void *arg)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	(void)arg;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(81);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	pfa_out_int(out, "bind", bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 ? 0 : errno);
	close(s);
	return cb_status(out, NULL);
}

Test(drop, granted_capability_is_exactly_kept)
{
	pfa_identity *id = alice();
	struct pfa_result *r;
	const char *st;
	int64_t v;

	cr_assert_eq(pfa_identity_set_caps(id, 1ull << CAP_NET_BIND_SERVICE), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_bind81, NULL, &r), 0, "%s",
		     pfa_strerror(pfa_result_code(r)));
	st = pfa_result_data(r, 0, NULL);
	expect(st, "CapInh", "0000000000000400");
	expect(st, "CapPrm", "0000000000000400");
	expect(st, "CapEff", "0000000000000400");
	expect(st, "CapBnd", "0000000000000400");
	expect(st, "CapAmb", "0000000000000400");
	expect(st, "NoNewPrivs", "1");
	pfa_result_get_int(r, "bind", &v);
	cr_assert_eq(v, 0, "bind to port 81 failed: errno %lld", (long long)v);
	pfa_result_free(r);

	/* The same user without the grant cannot. */
	cr_assert_eq(pfa_identity_set_caps(id, 0), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_bind81, NULL, &r), 0);
	pfa_result_get_int(r, "bind", &v);
	cr_assert_eq(v, EACCES);
	pfa_result_free(r);
	pfa_identity_free(id);
}

/* The child execs cat /proc/self/status: an exec'd program keeps exactly
 * the granted capabilities (ambient), nothing more. */
static int
cb_exec_status(pfa_out *out, void *arg)
{
	static char cat[] = "/bin/cat", status[] = "/proc/self/status";
	char *argv[] = { cat, status, NULL };
	char *envp[] = { NULL };
	(void)out;
	(void)arg;
	execve(argv[0], argv, envp);
	return 127;
}

Test(drop, exec_keeps_granted_capabilities_only)
{
	pfa_identity *id = alice();
	struct pfa_opts o;
	struct pfa_result *r;
	int p[2];
	char buf[8192] = "";
	ssize_t n, got = 0;

	cr_assert_eq(pipe(p), 0);
	opts_defaults(&o);
	o.stdio[1] = p[1];
	cr_assert_eq(pfa_identity_set_caps(id, 1ull << CAP_NET_BIND_SERVICE), 0);
	/* exec replaces the child: no END frame, so "exited without result". */
	cr_assert_eq(pfa_run(id, &o, cb_exec_status, NULL, &r), PFA_EEXIT);
	cr_assert_eq(pfa_result_exit_status(r), 0);
	close(p[1]);
	while ((n = read(p[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	expect(buf, "CapInh", "0000000000000400");
	expect(buf, "CapPrm", "0000000000000400");
	expect(buf, "CapEff", "0000000000000400");
	expect(buf, "CapBnd", "0000000000000400");
	expect(buf, "CapAmb", "0000000000000400");
	pfa_result_free(r);
	pfa_identity_free(id);
	close(p[0]);
}

Test(drop, failure_is_reported_with_its_step)
{
	pfa_identity *id = alice();
	struct pfa_result *r;
	cap_t c = cap_get_proc();
	cap_value_t v = CAP_SETGID;
	int step, err;

	/* This test process gives up CAP_SETGID: setgroups must then fail in the
	 * child, and the failure must be reported, not ignored. */
	cr_assert_eq(cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR), 0);
	cr_assert_eq(cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR), 0);
	cr_assert_eq(cap_set_proc(c), 0);
	cap_free(c);
	cr_assert_eq(pfa_run(id, NULL, cb_status, NULL, &r), PFA_EDROP);
	cr_assert_eq(pfa_result_drop_failure(r, &step, &err), 0);
	cr_assert_eq(step, PFA_STEP_SETGROUPS, "step %s", pfa_drop_step_name(step));
	cr_assert_eq(err, EPERM);
	cr_assert_eq(pfa_result_exit_status(r), 126);
	cr_assert_eq(pfa_result_total(r), 0, "the callback never ran");
	pfa_result_free(r);
	pfa_identity_free(id);
}

Test(drop, root_target_only_when_allowed_and_still_powerless)
{
	pfa_identity *id;
	struct pfa_result *r;
	const char *st;

	cr_assert_eq(pfa_identity_from_uid(0, PFA_ALLOW_ROOT, &id), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_status, NULL, &r), 0);
	st = pfa_result_data(r, 0, NULL);
	expect(st, "Uid", "0\t0\t0\t0");
	expect(st, "CapEff", "0000000000000000");
	expect(st, "CapBnd", "0000000000000000");
	expect(st, "NoNewPrivs", "1");
	pfa_result_free(r);
	pfa_identity_free(id);
}

Test(drop, groups_from_pam_replace_the_list)
{
	pfa_identity *id = alice();
	struct pfa_result *r;
	gid_t g[] = { 4242, 100 };

	cr_assert_eq(pfa_identity_set_groups(id, g, 2), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_status, NULL, &r), 0);
	expect(pfa_result_data(r, 0, NULL), "Groups", "100 4242");
	pfa_result_free(r);
	pfa_identity_free(id);
}

/* The callback starts in "/", whatever the host's cwd (a directory the
 * target could not reach would otherwise be a handle it holds). */
static int
cb_cwd(pfa_out *out, void *arg)
{
	char buf[4096];

	(void)arg;
	if (getcwd(buf, sizeof(buf)) == NULL)
		return 1;
	return pfa_out_str(out, "cwd", buf, strlen(buf));
}

Test(drop, callback_starts_in_root_dir)
{
	char dir[] = "/tmp/pfa-cwd-XXXXXX", inner[64], back[4096];
	pfa_identity *id = alice();
	struct pfa_result *r;
	const char *cwd;
	size_t len;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(inner, sizeof(inner), "%s/inner", dir);
	cr_assert_eq(mkdir(inner, 0755), 0);
	cr_assert_eq(chmod(dir, 0700), 0); /* alice cannot pass it */
	cr_assert_not_null(getcwd(back, sizeof(back)));
	cr_assert_eq(chdir(inner), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_cwd, NULL, &r), 0);
	cr_assert_eq(chdir(back), 0);
	cr_assert_eq(pfa_result_get_str(r, "cwd", &cwd, &len), 0);
	cr_assert_str_eq(cwd, "/");
	pfa_result_free(r);
	pfa_identity_free(id);
	rmdir(inner);
	rmdir(dir);
}

/* The host's session keyring is not the target's: the callback runs in a
 * new one, unless the host keeps it (pfa_opts_set_keep_keyring). */
static int
cb_key(pfa_out *out, void *arg)
{
	long k = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user",
			 (const char *)arg, 0);

	return pfa_out_int(out, "found", k >= 0) || pfa_out_int(out, "errno", k >= 0 ? 0 : errno);
}

Test(drop, host_session_keyring_not_inherited)
{
	pfa_identity *id = alice();
	pfa_opts *o = pfa_opts_new();
	struct pfa_result *r;
	static char desc[] = "pfa_host_key";
	int64_t found, err;
	long key;

	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0)
		cr_skip_test("no keyrings here: %s", strerror(errno));
	key = syscall(SYS_add_key, "user", "pfa_host_key", "secret", 6, KEY_SPEC_SESSION_KEYRING);
	cr_assert_geq(key, 0);
	/* possessed only: alice may use it through a keyring she holds */
	cr_assert_eq(syscall(SYS_keyctl, KEYCTL_SETPERM, key, 0x3f3f0000), 0);
	cr_assert_eq(pfa_run(id, NULL, cb_key, desc, &r), 0);
	cr_assert_eq(pfa_result_get_int(r, "found", &found), 0);
	cr_assert_eq(pfa_result_get_int(r, "errno", &err), 0);
	cr_assert_eq(found, 0, "the host's key is out of reach");
	cr_assert_eq(err, ENOKEY);
	pfa_result_free(r);
	cr_assert_eq(pfa_opts_set_keep_keyring(o, 1), 0);
	cr_assert_eq(pfa_run(id, o, cb_key, desc, &r), 0);
	cr_assert_eq(pfa_result_get_int(r, "found", &found), 0);
	cr_assert_eq(found, 1, "kept on request (control: the search works)");
	pfa_result_free(r);
	cr_assert_eq(pfa_opts_set_keep_keyring(o, 2), PFA_EINVAL);
	pfa_opts_free(o);
	pfa_identity_free(id);
}

/* The child can become impossible to reap in time: here a tracer that
 * never waits holds its zombie.  pfa_run must give up after the grace
 * period rather than hang, and say so. */
static int
cb_announce_and_sleep(pfa_out *out, void *arg)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%d\n", (int)getpid());

	(void)out;
	(void)arg;
	if (write(1, line, (size_t)n) != n)
		return 1;
	sleep(60);
	return 0;
}

Test(drop, an_unreapable_child_does_not_hang_the_parent, .timeout = 30)
{
	struct pfa_opts o;
	struct pfa_result *r;
	int p[2];
	pid_t tracer;
	double t0;

	cr_assert_eq(pipe(p), 0);
	if ((tracer = fork()) == 0) {
		char buf[32] = "";
		ssize_t n;
		close(p[1]);
		n = read(p[0], buf, sizeof(buf) - 1);
		if (n > 0 && ptrace(PTRACE_SEIZE, (pid_t)atoi(buf), NULL, NULL) == 0)
			sleep(12); /* traced, and never waited for */
		_exit(0);
	}
	close(p[0]);
	opts_defaults(&o);
	o.timeout_ms = 500;
	o.stdio[1] = p[1];
	t0 = unit_now();
	cr_assert_eq(run_nodrop(&o, cb_announce_and_sleep, NULL, &r), PFA_ETIMEOUT);
	cr_assert_lt(unit_now() - t0, 8.0, "the parent waited %.1f s", unit_now() - t0);
	cr_assert_eq(pfa_result_reaped(r), 0, "a traced zombie cannot be reaped");
	pfa_result_free(r);
	close(p[1]);
	kill(tracer, SIGKILL);
	waitpid(tracer, NULL, 0);
}
