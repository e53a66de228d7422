/*
 * op_exec.c — "exec CMD [ARG...]": the child runs CMD as the user, in the
 * user's home, with the operation's environment (env.h), the caller's input
 * (what followed the password line) on stdin, and returns its exit code or
 * signal and its stdout and stderr, each cut at the policy's max_output
 * (then *_truncated is true; the rest is read and discarded so the command
 * never blocks on a full pipe; once the command has exited, what its pipes
 * hold is taken and a process it left holding them is not waited for).
 * A CMD without '/' is looked up in
 * ENV_SAFE_PATH, never in the caller's PATH.  A CMD that cannot be executed
 * makes the operation fail with the errno name.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env.h"
#include "ops.h"

#define EXEC_CHUNK 65536

/* Resolve cmd into path (PATH_MAX); 0 or an errno. */
static int
resolve(const char *cmd, char *path)
{
	const char *dir = ENV_SAFE_PATH;
	int err = ENOENT;

	if (strchr(cmd, '/') != NULL) {
		size_t len = strlen(cmd);
		if (len >= PATH_MAX)
			return ENAMETOOLONG;
		memcpy(path, cmd, len + 1);
		return 0;
	}
	while (*dir != '\0') {
		size_t n = strcspn(dir, ":");
		if (snprintf(path, PATH_MAX, "%.*s/%s", (int)n, dir, cmd) < PATH_MAX) {
			if (access(path, X_OK) == 0)
				return 0;
			if (errno != ENOENT)
				err = errno;
		}
		dir += n + (dir[n] == ':');
	}
	return err;
}

struct stream {
	int fd;
	unsigned channel;
	size_t sent;
	int truncated;
};

/* Forward one read of s, up to max bytes in all: 1 after data, 0 at EOF
 * (or an error), -1 when nothing is there now. */
static int
pump(pfa_out *out, struct stream *s, size_t max, char *buf)
{
	ssize_t n = read(s->fd, buf, EXEC_CHUNK);
	size_t take;

	if (n < 0)
		return errno == EINTR ? 1 : errno == EAGAIN ? -1 : 0;
	if (n == 0)
		return 0;
	take = (size_t)n;
	if (take > max - s->sent) {
		take = max - s->sent;
		s->truncated = 1;
	}
	if (take > 0 && pfa_out_write_channel(out, s->channel, buf, take) == 0)
		s->sent += take;
	return 1;
}

/* The command exited: take what its pipes hold now, without waiting for an
 * EOF that a process it left behind may never give. */
static void
drain(pfa_out *out, struct stream *s, size_t max, char *buf)
{
	int budget = 64;

	(void)fcntl(s->fd, F_SETFL, O_NONBLOCK);
	while (budget-- > 0 && pump(out, s, max, buf) > 0)
		;
}

/* Forward both streams until both end or the command exits. */
static void
collect(pfa_out *out, int ofd, int efd, pid_t pid, size_t max)
{
	struct stream s[2] = { { ofd, OP_CH_STDOUT, 0, 0 }, { efd, OP_CH_STDERR, 0, 0 } };
	static char buf[EXEC_CHUNK];
	int open_streams = 2, pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	while (open_streams > 0) {
		struct pollfd p[3];
		for (int i = 0; i < 2; i++) {
			p[i].fd = s[i].fd;
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		p[2].fd = pidfd;
		p[2].events = POLLIN;
		p[2].revents = 0;
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[2].revents != 0) {
			for (int i = 0; i < 2; i++)
				if (s[i].fd >= 0)
					drain(out, &s[i], max, buf);
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (s[i].fd < 0 || p[i].revents == 0)
				continue;
			if (pump(out, &s[i], max, buf) == 0) {
				close(s[i].fd);
				s[i].fd = -1;
				open_streams--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (s[i].fd >= 0)
			close(s[i].fd);
	if (pidfd >= 0)
		close(pidfd);
	pfa_out_int(out, "stdout_truncated", s[0].truncated);
	pfa_out_int(out, "stderr_truncated", s[1].truncated);
}

/* The grandchild: stdout/stderr to the pipes, the caller's rlimits back
 * (sanitize.h: the command runs under them, as under su), exec; errno to
 * errfd. */
__attribute__((noreturn)) static void
run_cmd(const char *path, const struct op_ctx *c, int o, int e, int errfd)
{
	int err, r;

	if (dup2(o, 1) == 1 && dup2(e, 2) == 2) {
		if ((r = sanitize_apply_rlimits(c->lim, c->nlim)) == 0)
			execve(path, c->args, c->env);
		else
			errno = -r;
	}
	err = errno;
	(void)!write(errfd, &err, sizeof(err));
	_exit(127);
}

static int
exec_child(pfa_out *out, void *arg)
{
	const struct op_ctx *c = arg;
	char path[PATH_MAX], msg[512];
	int o[2], e[2], ep[2], err = 0, st;
	pid_t pid;

	op_enter(c);
	if ((err = resolve(c->args[0], path)) != 0)
		goto fail;
	if (pipe2(o, O_CLOEXEC) != 0 || pipe2(e, O_CLOEXEC) != 0 || pipe2(ep, O_CLOEXEC) != 0) {
		err = errno;
		goto fail;
	}
	if ((pid = fork()) < 0) {
		err = errno;
		goto fail;
	}
	if (pid == 0)
		run_cmd(path, c, o[1], e[1], ep[1]);
	close(o[1]);
	close(e[1]);
	close(ep[1]);
	if (read(ep[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		err = 0;
	close(ep[0]);
	if (err == 0)
		collect(out, o[0], e[0], pid, c->max_output);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (err != 0)
		goto fail;
	if (WIFEXITED(st))
		pfa_out_int(out, "exit_code", WEXITSTATUS(st));
	else
		pfa_out_int(out, "signal", WTERMSIG(st));
	return 0;
fail:
	snprintf(msg, sizeof(msg), "%.200s: %s: %s", c->args[0],
		 strerrorname_np(err) != NULL ? strerrorname_np(err) : "EUNKNOWN", strerror(err));
	pfa_out_message(out, msg);
	return 2;
}

static void
render_exec(struct json *j, const pfa_result *res)
{
	static const char *const streams[] = { "stdout", "stderr" };
	int64_t v;
	size_t len;
	char key[32];

	if (pfa_result_get_int(res, "signal", &v) == 0) {
		json_key(j, "signal");
		json_int(j, (long long)v);
	} else {
		op_render_int(j, res, "exit_code");
	}
	for (unsigned i = 0; i < 2; i++) {
		const void *d = pfa_result_data(res, OP_CH_STDOUT + i, &len);
		op_render_bytes(j, streams[i], d, len);
		snprintf(key, sizeof(key), "%s_truncated", streams[i]);
		json_key(j, key);
		json_bool(j, pfa_result_get_int(res, key, &v) == 0 && v != 0);
	}
}

const struct op op_exec = { "exec", 1, 0, 1, 1, 4096, exec_child, render_exec };
