#include "config.h"
/* Unit tests of the checkpassword front end's parts that need no root:
 * the fd-3 parser and reader (src/helper/compat/cpw_input.c) and the exit
 * code table (checkpassword_exit_code). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "compat_test.h"
#include "compat/checkpassword.h"
#include "compat/cpw_input.h"

/* Parse len bytes of data into a dirty struct. */
static int
parse(const void *data, size_t len, struct compat_login *in)
{
	memset(in, 0xa5, sizeof(*in));
	return cpw_input_parse(data, len, in);
}

Test(cpw_parse, login_password_timestamp)
{
	static const char d[] = "alice\0s3cret\0<1.2@host>\0";
	struct compat_login in;

	cr_assert_eq(parse(d, sizeof(d) - 1, &in), 0);
	cr_assert_str_eq(in.user, "alice");
	cr_assert_str_eq(in.password.buf, "s3cret");
	cr_assert_eq(in.password.len, 6);
}

Test(cpw_parse, dovecot_empty_timestamp_and_extra_data)
{
	static const char d[] = "bob\0pw\0\0more\0data";
	struct compat_login in;

	cr_assert_eq(parse(d, 6 + 2, &in), 0, "Dovecot's user\\0pass\\0\\0");
	cr_assert_str_eq(in.user, "bob");
	cr_assert_eq(parse(d, sizeof(d) - 1, &in), 0, "data after the timestamp is allowed");
	cr_assert_str_eq(in.password.buf, "pw");
}

Test(cpw_parse, empty_password_is_a_password)
{
	struct compat_login in;

	cr_assert_eq(parse("u\0\0\0", 4, &in), 0);
	cr_assert_eq(in.password.len, 0);
	cr_assert_str_eq(in.user, "u");
}

Test(cpw_parse, missing_terminators)
{
	struct compat_login in;

	cr_assert_eq(parse("", 0, &in), -EINVAL);
	cr_assert(all_zero(&in, sizeof(in)), "wiped on failure");
	cr_assert_eq(parse("alice", 5, &in), -EINVAL);
	cr_assert_eq(parse("alice\0pw", 8, &in), -EINVAL);
	cr_assert_eq(parse("alice\0pw\0", 9, &in), -EINVAL, "no timestamp terminator");
	cr_assert_eq(parse("alice\0pw\0stamp", 14, &in), -EINVAL);
	cr_assert(all_zero(&in, sizeof(in)));
}

Test(cpw_parse, empty_login)
{
	struct compat_login in;

	cr_assert_eq(parse("\0pw\0\0", 5, &in), -EINVAL);
}

Test(cpw_parse, login_length_limit)
{
	char d[CPW_INPUT_MAX];
	struct compat_login in;

	memset(d, 'u', sizeof(d));
	memcpy(d + CLI_USER_MAX, "\0p\0\0", 4);
	cr_assert_eq(parse(d, CLI_USER_MAX + 4, &in), 0);
	cr_assert_eq(strlen(in.user), CLI_USER_MAX);
	memset(d, 'u', sizeof(d));
	memcpy(d + CLI_USER_MAX + 1, "\0p\0\0", 4);
	cr_assert_eq(parse(d, CLI_USER_MAX + 5, &in), -EINVAL, "one byte too long");
	cr_assert(all_zero(&in, sizeof(in)));
}

Test(cpw_parse, size_limit)
{
	char d[CPW_INPUT_MAX + 1];
	struct compat_login in;

	memset(d, 'p', sizeof(d));
	memcpy(d, "u\0", 2);
	d[CPW_INPUT_MAX - 2] = '\0';
	d[CPW_INPUT_MAX - 1] = '\0';
	cr_assert_eq(parse(d, CPW_INPUT_MAX, &in), 0, "exactly 512 bytes");
	cr_assert_eq(in.password.len, CPW_INPUT_MAX - 4);
	cr_assert_eq(parse(d, CPW_INPUT_MAX + 1, &in), -EMSGSIZE, "513 bytes");
	cr_assert(all_zero(&in, sizeof(in)));
}

Test(cpw_read, reads_to_end_of_file)
{
	static const char d[] = "carol\0pass word\0\0trailing";
	struct compat_login in;
	int fd = pipe_with(d, sizeof(d) - 1, NULL);

	cr_assert_eq(cpw_input_read(fd, 2000, -1, &in), 0);
	cr_assert_str_eq(in.user, "carol");
	cr_assert_str_eq(in.password.buf, "pass word");
	close(fd);
}

Test(cpw_read, malformed_and_oversize)
{
	char big[CPW_INPUT_MAX + 100];
	struct compat_login in;
	int fd = pipe_with("x\0y", 3, NULL);

	cr_assert_eq(cpw_input_read(fd, 2000, -1, &in), -EINVAL);
	cr_assert(all_zero(&in, sizeof(in)));
	close(fd);
	memset(big, 0, sizeof(big));
	big[0] = 'u';
	fd = pipe_with(big, sizeof(big), NULL);
	cr_assert_eq(cpw_input_read(fd, 2000, -1, &in), -EMSGSIZE, "more than 512 bytes");
	close(fd);
	fd = pipe_with(big, CPW_INPUT_MAX + 1, NULL);
	cr_assert_eq(cpw_input_read(fd, 2000, -1, &in), -EMSGSIZE, "exactly 513 bytes");
	close(fd);
}

Test(cpw_read, a_writer_that_never_closes_times_out)
{
	struct compat_login in;
	int wfd, fd = pipe_with("u\0p\0\0", 5, &wfd);

	cr_assert_eq(cpw_input_read(fd, 300, -1, &in), -ETIMEDOUT);
	cr_assert(all_zero(&in, sizeof(in)));
	close(fd);
	close(wfd);
}

Test(cpw_read, cancelled)
{
	struct compat_login in;
	int c[2], wfd, fd = pipe_with("u\0p\0\0", 5, &wfd);

	cr_assert_eq(pipe2(c, O_CLOEXEC), 0);
	cr_assert_eq(write(c[1], "s", 1), 1);
	cr_assert_eq(cpw_input_read(fd, 5000, c[0], &in), -ECANCELED);
	close(fd);
	close(wfd);
	close(c[0]);
	close(c[1]);
}

Test(cpw_read, closed_fd)
{
	struct compat_login in;
	int fd = pipe_with("", 0, NULL);

	close(fd);
	cr_assert_eq(cpw_input_read(fd, 500, -1, &in), -EBADF);
}

/* The table, written out again from checkpassword.h's list. */
Test(cpw_codes, authentication)
{
	cr_assert_eq(checkpassword_exit_code(ST_OK, 0), 0);
	cr_assert_eq(checkpassword_exit_code(ST_AUTH_FAILED, 0), 1);
	cr_assert_eq(checkpassword_exit_code(ST_ACCOUNT_EXPIRED, 0), 1);
	cr_assert_eq(checkpassword_exit_code(ST_PASSWORD_EXPIRED, 0), 1);
	cr_assert_eq(checkpassword_exit_code(ST_ACCOUNT_LOCKED, 0), 1);
	cr_assert_eq(checkpassword_exit_code(ST_DENIED, 0), 1, "root, low uid");
	cr_assert_eq(checkpassword_exit_code(ST_BAD_REQUEST, 0), 2);
	cr_assert_eq(checkpassword_exit_code(ST_CONFIG_ERROR, 0), 111);
	cr_assert_eq(checkpassword_exit_code(ST_OP_FAILED, 0), 111);
	cr_assert_eq(checkpassword_exit_code(ST_TIMEOUT, 0), 111);
	cr_assert_eq(checkpassword_exit_code(ST_CRASHED, 0), 111);
	cr_assert_eq(checkpassword_exit_code(ST_INTERNAL_ERROR, 0), 111);
	cr_assert_eq(checkpassword_exit_code(CPW_CALLER_DENIED, 0), 111);
}

Test(cpw_codes, lookup)
{
	cr_assert_eq(checkpassword_exit_code(ST_AUTH_FAILED, 1), 3, "unknown user");
	cr_assert_eq(checkpassword_exit_code(ST_DENIED, 1), 3, "a refused target");
	cr_assert_eq(checkpassword_exit_code(ST_BAD_REQUEST, 1), 111);
	cr_assert_eq(checkpassword_exit_code(CPW_CALLER_DENIED, 1), 111);
}

Test(cpw_codes, no_outcome_but_ok_can_mean_success)
{
	int o;

	for (o = -2; o < CPW_OUTCOMES + 3; o++) {
		int a = checkpassword_exit_code(o, 0), l = checkpassword_exit_code(o, 1);
		cr_assert(l != 0 && l != 2, "a lookup outcome %d reads as success (%d)", o, l);
		if (o != ST_OK)
			cr_assert_neq(a, 0, "outcome %d reads as success", o);
	}
}

Test(cpw_codes, unknown_outcomes_fail_closed)
{
	cr_assert_eq(checkpassword_exit_code(-1, 0), 111);
	cr_assert_eq(checkpassword_exit_code(CPW_OUTCOMES, 0), 111);
	cr_assert_eq(checkpassword_exit_code(1 << 20, 1), 111);
}
