#include "config.h"
/* Unit tests of the pwauth front end's parts that need no root: the stdin
 * parser and reader (src/helper/compat/pwauth_input.c) and the exit code
 * table (pwauth_exit_code). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "compat_test.h"
#include "compat/pwauth.h"
#include "compat/pwauth_input.h"

static int
parse(const char *data, size_t len, struct compat_login *in)
{
	memset(in, 0xa5, sizeof(*in));
	return pwauth_input_parse(data, len, in);
}

Test(pwauth_parse, two_lines)
{
	struct compat_login in;

	cr_assert_eq(parse("alice\nse cret\n", 14, &in), 0);
	cr_assert_str_eq(in.user, "alice");
	cr_assert_str_eq(in.password.buf, "se cret");
	cr_assert_eq(in.password.len, 7);
}

Test(pwauth_parse, password_line_may_end_at_eof)
{
	struct compat_login in;

	cr_assert_eq(parse("alice\npw", 8, &in), 0);
	cr_assert_str_eq(in.password.buf, "pw");
	cr_assert_eq(parse("alice\n\n", 7, &in), 0, "an empty password line");
	cr_assert_eq(in.password.len, 0);
}

Test(pwauth_parse, malformed)
{
	struct compat_login in;

	cr_assert_eq(parse("", 0, &in), -EINVAL);
	cr_assert_eq(parse("alice", 5, &in), -EINVAL, "no line end");
	cr_assert_eq(parse("alice\n", 6, &in), -EINVAL, "no password line");
	cr_assert_eq(parse("\npw\n", 4, &in), -EINVAL, "empty login");
	cr_assert_eq(parse("alice\npw\nmore", 13, &in), -EINVAL, "data after the lines");
	cr_assert_eq(parse("al\0ce\npw\n", 9, &in), -EINVAL, "NUL in the login");
	cr_assert_eq(parse("alice\np\0w\n", 10, &in), -EINVAL, "NUL in the password");
	cr_assert(all_zero(&in, sizeof(in)), "wiped on failure");
}

Test(pwauth_parse, carriage_return_is_part_of_the_line)
{
	struct compat_login in;

	cr_assert_eq(parse("alice\r\npw\r\n", 11, &in), 0);
	cr_assert_str_eq(in.user, "alice\r");
	cr_assert_str_eq(in.password.buf, "pw\r");
}

/* Pitfall 29: a long login is never split into a login and a password. */
Test(pwauth_parse, long_login_is_not_split)
{
	char d[PWAUTH_INPUT_MAX + 2];
	struct compat_login in;

	memset(d, 'u', sizeof(d));
	d[CLI_USER_MAX] = '\n';
	memcpy(d + CLI_USER_MAX + 1, "pw\n", 3);
	cr_assert_eq(parse(d, CLI_USER_MAX + 4, &in), 0, "the longest login");
	cr_assert_eq(strlen(in.user), CLI_USER_MAX);
	memset(d, 'u', sizeof(d));
	d[CLI_USER_MAX + 1] = '\n';
	memcpy(d + CLI_USER_MAX + 2, "pw\n", 3);
	cr_assert_eq(parse(d, CLI_USER_MAX + 5, &in), -EMSGSIZE, "one byte longer");
	cr_assert(all_zero(&in, sizeof(in)));
	memset(d, 'u', sizeof(d));
	cr_assert_eq(parse(d, PWAUTH_INPUT_MAX, &in), -EMSGSIZE, "the longest input, one line");
	d[PWAUTH_INPUT_MAX - 1] = '\n';
	cr_assert_eq(parse(d, PWAUTH_INPUT_MAX, &in), -EMSGSIZE, "the same with its newline");
}

Test(pwauth_parse, password_length_limit)
{
	char d[PWAUTH_INPUT_MAX + 2];
	struct compat_login in;

	memset(d, 'p', sizeof(d));
	memcpy(d, "u\n", 2);
	d[2 + SECRET_MAX] = '\n';
	cr_assert_eq(parse(d, 3 + SECRET_MAX, &in), 0);
	cr_assert_eq(in.password.len, SECRET_MAX);
	memset(d, 'p', sizeof(d));
	memcpy(d, "u\n", 2);
	d[3 + SECRET_MAX] = '\n';
	cr_assert_eq(parse(d, 4 + SECRET_MAX, &in), -EMSGSIZE);
	cr_assert_eq(parse(d, 3 + SECRET_MAX, &in), -EMSGSIZE, "at end of file too");
	cr_assert_eq(parse(d, PWAUTH_INPUT_MAX + 1, &in), -EMSGSIZE);
}

Test(pwauth_read, stops_after_the_second_line)
{
	struct compat_login in;
	char rest[16];
	int wfd, fd = pipe_with("dave\npw\nNEXT", 12, &wfd);
	ssize_t n;

	cr_assert_eq(pwauth_input_read(fd, 2000, -1, &in), 0, "no end of file needed");
	cr_assert_str_eq(in.user, "dave");
	cr_assert_str_eq(in.password.buf, "pw");
	n = read(fd, rest, sizeof(rest));
	cr_assert_eq(n, 4, "nothing after the second line was consumed");
	close(fd);
	close(wfd);
}

Test(pwauth_read, end_of_file_ends_the_password)
{
	struct compat_login in;
	int fd = pipe_with("dave\npw", 7, NULL);

	cr_assert_eq(pwauth_input_read(fd, 2000, -1, &in), 0);
	cr_assert_str_eq(in.password.buf, "pw");
	close(fd);
}

Test(pwauth_read, oversize_input_is_an_error)
{
	char big[2048];
	struct compat_login in;
	int fd;

	memset(big, 'x', sizeof(big));
	fd = pipe_with(big, sizeof(big), NULL);
	cr_assert_eq(pwauth_input_read(fd, 2000, -1, &in), -EMSGSIZE);
	cr_assert(all_zero(&in, sizeof(in)));
	close(fd);
	big[300] = '\n';
	fd = pipe_with(big, sizeof(big), NULL);
	cr_assert_eq(pwauth_input_read(fd, 2000, -1, &in), -EMSGSIZE, "a 300-byte login");
	close(fd);
}

Test(pwauth_read, a_writer_that_stalls_times_out)
{
	struct compat_login in;
	int wfd, fd = pipe_with("dave\npw", 7, &wfd);

	cr_assert_eq(pwauth_input_read(fd, 300, -1, &in), -ETIMEDOUT);
	cr_assert(all_zero(&in, sizeof(in)));
	close(fd);
	close(wfd);
}

Test(pwauth_codes, table)
{
	cr_assert_eq(pwauth_exit_code(ST_OK), 0);
	cr_assert_eq(pwauth_exit_code(ST_AUTH_FAILED), 1);
	cr_assert_eq(pwauth_exit_code(ST_DENIED), 3);
	cr_assert_eq(pwauth_exit_code(ST_ACCOUNT_EXPIRED), 4);
	cr_assert_eq(pwauth_exit_code(ST_PASSWORD_EXPIRED), 5);
	cr_assert_eq(pwauth_exit_code(PWAUTH_NOLOGIN), 6);
	cr_assert_eq(pwauth_exit_code(ST_ACCOUNT_LOCKED), 7);
	cr_assert_eq(pwauth_exit_code(PWAUTH_CALLER_DENIED), 50);
	cr_assert_eq(pwauth_exit_code(ST_BAD_REQUEST), 51);
	cr_assert_eq(pwauth_exit_code(ST_CONFIG_ERROR), 52);
	cr_assert_eq(pwauth_exit_code(ST_OP_FAILED), 52);
	cr_assert_eq(pwauth_exit_code(ST_TIMEOUT), 52);
	cr_assert_eq(pwauth_exit_code(ST_CRASHED), 52);
	cr_assert_eq(pwauth_exit_code(ST_INTERNAL_ERROR), 52);
	cr_assert_eq(pwauth_exit_code(PWAUTH_NOT_ROOT), 53);
}

Test(pwauth_codes, only_ok_is_zero_and_unknown_fails_closed)
{
	int o;

	for (o = -2; o < PWAUTH_OUTCOMES + 3; o++)
		if (o != ST_OK)
			cr_assert_neq(pwauth_exit_code(o), 0, "outcome %d reads as success", o);
	cr_assert_eq(pwauth_exit_code(-1), 52);
	cr_assert_eq(pwauth_exit_code(PWAUTH_OUTCOMES), 52);
}
