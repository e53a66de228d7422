/*
 * cli.h — step 2: the command line, and step 4: the secret on stdin.
 *
 *   pipefork-as [--user NAME] [--service NAME] [--timeout SECONDS] [--no-auth]
 *               [--append] [--raw] OP [ARG...]
 *   pipefork-as --version | --help
 *
 * Options come before OP (both "--opt VALUE" and "--opt=VALUE"; full names
 * only, each at most once); "--" ends them; everything after OP belongs to
 * the operation, even if it starts with "-".  Every field is bounded and
 * anything out of bounds is an error: never truncated.  Parsing does no I/O
 * and no privileged work; what the caller may use (--service and --no-auth
 * are root-only) is main's decision.
 */
#ifndef PFA_HELPER_CLI_H
#define PFA_HELPER_CLI_H

#include <stddef.h>

#define CLI_USER_MAX 256
#define CLI_SERVICE_MAX 64   /* [A-Za-z0-9._-]+, not starting with '.' */
#define CLI_OP_MAX 32        /* [a-z0-9_-]+, not starting with '-' */
#define CLI_TIMEOUT_MAX 86400
#define CLI_ARGS_MAX 4096    /* operation arguments */
#define CLI_ARG_LEN_MAX 131072
#define CLI_ARGS_TOTAL_MAX (1024 * 1024)

enum cli_mode { CLI_RUN = 0, CLI_VERSION, CLI_HELP };

struct cli {
	enum cli_mode mode;
	const char *user;    /* NULL when not given; points into argv */
	const char *service; /* NULL when not given */
	long timeout;        /* seconds 1..CLI_TIMEOUT_MAX, or -1 when not given */
	int no_auth;
	int append;
	int raw;             /* --raw: data unencoded on stdout, the JSON on stderr */
	const char *op;      /* NULL only for CLI_VERSION / CLI_HELP */
	char *const *args;   /* the operation's arguments, into argv */
	int nargs;
};

/* Parse argv.  0, or -EINVAL with a one-line reason in err (which never
 * echoes more than 64 bytes of caller input, escaped); on failure c is as
 * cli_init leaves it but for raw, set when --raw is among the options
 * (before or after the one that failed): stdout was promised to the
 * file's bytes, so the answer goes to stderr all the same. */
int cli_parse(int argc, char *const argv[], struct cli *c, char *err, size_t errlen);

/* ---- The secret on stdin -------------------------------------------- */

#define SECRET_MAX 512 /* PAM_MAX_RESP_SIZE */
#define SECRET_WAIT_MS 60000 /* the password line must arrive within this */

struct secret {
	char buf[SECRET_MAX + 1]; /* NUL-terminated */
	size_t len;
};

/*
 * Read the password from fd: the bytes up to the first '\n' or '\0' (which
 * is consumed, not kept) or EOF.  Reads one byte at a time so that not a
 * byte after the terminator is consumed: the rest of fd is the operation's
 * input.  0; -EMSGSIZE when more than SECRET_MAX bytes come before the
 * terminator (nothing is kept); -ENODATA at EOF before any byte;
 * -ETIMEDOUT when the line is not complete SECRET_WAIT_MS after the call;
 * -EINTR when the cancel fd (secret_set_cancel_fd) became readable; another
 * negative errno on a read error.  s is wiped on every failure.
 */
int secret_read(int fd, struct secret *s);

/* A descriptor (the signal self-pipe) whose readability aborts a read
 * with -EINTR; -1 for none (the default). */
void secret_set_cancel_fd(int fd);
/* Tests only: the wait in ms instead of SECRET_WAIT_MS (0: back to it). */
void secret_set_wait_ms(long ms);

/*
 * Prompt on a terminal with echo off and read one line into s (the PAM
 * conversation uses it when stdin is a terminal).  tty_fd is read and
 * written; echo is restored on every path, including a signal (the ones
 * that end or stop a process wait, blocked, until it is); on failure the
 * rest of the typed line is discarded.  0 or a negative errno, as
 * secret_read; -ENOTTY when tty_fd is not a terminal or is a pty master;
 * -ETIMEDOUT also when the prompt cannot be written in that time (output
 * stopped by ^S): nothing waits on the terminal's output.
 */
int secret_read_tty(int tty_fd, const char *prompt, struct secret *s);

/* explicit_bzero the whole struct. */
void secret_wipe(struct secret *s);

#endif
