#include "config.h"
/* Unit tests of the PAM conversation (src/helper/pam_conv.c), the PAM code
 * names and hpam_close on a context PAM never saw. */

#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fake_secret.h"
#include "pam.h"

static struct hpam ctx;
static struct secret pw;

static void
setup(void)
{
	static const char text[] = "correct horse\tbattery staple";

	memset(&ctx, 0, sizeof ctx);
	memset(&pw, 0, sizeof pw);
	memcpy(pw.buf, text, sizeof text - 1);
	pw.len = sizeof text - 1;
	ctx.secret = &pw;
	ctx.tty_fd = -1;
	fake_tty_fail = 0;
	fake_tty_calls = 0;
	fake_tty_prompt[0] = '\0';
}

/* Run the conversation on n messages of the given styles and texts. */
static int
conv(int n, const int *styles, const char *const *texts, struct pam_response **resp)
{
	struct pam_message m[PAM_MAX_NUM_MSG + 1];
	const struct pam_message *mp[PAM_MAX_NUM_MSG + 1];
	int i;

	cr_assert(n >= 0 && n <= PAM_MAX_NUM_MSG + 1);
	for (i = 0; i < n; i++) {
		m[i].msg_style = styles[i];
		m[i].msg = texts[i];
		mp[i] = &m[i];
	}
	return hpam_conv(n, mp, resp, &ctx);
}

static int
conv1(int style, const char *text, struct pam_response **resp)
{
	return conv(1, &style, &text, resp);
}

static void
free_resp(struct pam_response *r, int n)
{
	int i;

	for (i = 0; r && i < n; i++)
		free(r[i].resp);
	free(r);
}

TestSuite(pam_conv, .init = setup);

Test(pam_conv, refuses_bad_counts_before_reading)
{
	static const int bad[] = { 0, -1, INT_MIN, PAM_MAX_NUM_MSG + 1 };
	int styles[PAM_MAX_NUM_MSG + 1];
	const char *texts[PAM_MAX_NUM_MSG + 1];
	struct pam_response *resp;
	size_t i;

	for (i = 0; i < PAM_MAX_NUM_MSG + 1; i++) {
		styles[i] = PAM_TEXT_INFO;
		texts[i] = "hello";
	}
	cr_assert_eq(conv(PAM_MAX_NUM_MSG + 1, styles, texts, &resp), PAM_CONV_ERR);
	cr_assert_null(resp);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		resp = (struct pam_response *)&resp; /* not NULL: must be reset */
		cr_assert_eq(hpam_conv(bad[i], NULL, &resp, &ctx), PAM_CONV_ERR, "n = %d", bad[i]);
		cr_assert_null(resp);
	}
	cr_assert_eq(ctx.nmessages, 0);
	cr_assert_eq(conv(PAM_MAX_NUM_MSG, styles, texts, &resp), PAM_SUCCESS);
	free_resp(resp, PAM_MAX_NUM_MSG);
}

Test(pam_conv, refuses_null_pointers)
{
	const struct pam_message *mp[1] = { NULL };
	struct pam_response *resp;

	cr_assert_eq(hpam_conv(1, NULL, &resp, &ctx), PAM_CONV_ERR);
	cr_assert_eq(hpam_conv(1, mp, &resp, &ctx), PAM_CONV_ERR);
	cr_assert_null(resp);
	cr_assert_eq(conv1(PAM_TEXT_INFO, "x", NULL), PAM_SUCCESS);
	cr_assert_eq(hpam_conv(1, mp, NULL, NULL), PAM_CONV_ERR);
}

Test(pam_conv, records_info_and_error)
{
	static const int styles[] = { PAM_TEXT_INFO, PAM_ERROR_MSG, PAM_TEXT_INFO };
	static const char *const texts[] = { "Welcome", "Your account expires soon", NULL };
	struct pam_response *resp = NULL;

	cr_assert_eq(conv(3, styles, texts, &resp), PAM_SUCCESS);
	cr_assert_not_null(resp);
	cr_assert_null(resp[0].resp);
	cr_assert_null(resp[1].resp);
	free_resp(resp, 3);
	cr_assert_eq(ctx.nmessages, 3);
	cr_assert_str_eq(ctx.messages[0].style, "info");
	cr_assert_str_eq(ctx.messages[0].text, "Welcome");
	cr_assert_str_eq(ctx.messages[1].style, "error");
	cr_assert_str_eq(ctx.messages[1].text, "Your account expires soon");
	cr_assert_str_eq(ctx.messages[2].text, "");
	cr_assert_eq(ctx.messages_dropped, 0);
}

Test(pam_conv, null_resp_allowed_for_messages_only)
{
	cr_assert_eq(conv1(PAM_TEXT_INFO, "Authentication succeeded", NULL), PAM_SUCCESS);
	cr_assert_eq(ctx.nmessages, 1);
	cr_assert_eq(conv1(PAM_PROMPT_ECHO_OFF, "Password: ", NULL), PAM_CONV_ERR);
	cr_assert_eq(ctx.secret_used, 0, "a refused call must not spend the secret");
}

Test(pam_conv, first_echo_off_gets_the_secret)
{
	struct pam_response *resp = NULL;

	cr_assert_eq(conv1(PAM_PROMPT_ECHO_OFF, "Password: ", &resp), PAM_SUCCESS);
	cr_assert_not_null(resp);
	cr_assert_not_null(resp[0].resp);
	cr_assert_eq(resp[0].resp_retcode, 0);
	cr_assert_eq(strlen(resp[0].resp), pw.len);
	cr_assert_eq(memcmp(resp[0].resp, pw.buf, pw.len), 0);
	cr_assert_neq(resp[0].resp, pw.buf, "a copy, for libpam to free");
	free_resp(resp, 1);
	cr_assert_eq(fake_tty_calls, 0);
}

Test(pam_conv, second_echo_off_refused)
{
	struct pam_response *resp = NULL;

	cr_assert_eq(conv1(PAM_PROMPT_ECHO_OFF, "Password: ", &resp), PAM_SUCCESS);
	free_resp(resp, 1);
	cr_assert_eq(conv1(PAM_PROMPT_ECHO_OFF, "Password again: ", &resp), PAM_CONV_ERR);
	cr_assert_null(resp);
}

/* The first answer is made, then the third message fails: it must be wiped
 * and freed (run under valgrind to see it). */
Test(pam_conv, failure_frees_earlier_answers)
{
	static const int styles[] = { PAM_PROMPT_ECHO_OFF, PAM_TEXT_INFO, PAM_PROMPT_ECHO_OFF };
	static const char *const texts[] = { "Password: ", "one more", "OTP: " };
	struct pam_response *resp = NULL;

	cr_assert_eq(conv(3, styles, texts, &resp), PAM_CONV_ERR);
	cr_assert_null(resp);
	cr_assert_eq(ctx.secret_used, 1);
}

Test(pam_conv, echo_on_refused_without_tty)
{
	struct pam_response *resp = NULL;

	cr_assert_eq(conv1(PAM_PROMPT_ECHO_ON, "login: ", &resp), PAM_CONV_ERR);
	cr_assert_null(resp);
	cr_assert_eq(fake_tty_calls, 0);
	cr_assert_eq(ctx.secret_used, 0, "the secret never answers an echo-on prompt");
}

Test(pam_conv, prompts_refused_without_secret_or_tty)
{
	struct pam_response *resp = NULL;

	ctx.secret = NULL;
	cr_assert_eq(conv1(PAM_PROMPT_ECHO_OFF, "Password: ", &resp), PAM_CONV_ERR);
	cr_assert_null(resp);
}

Test(pam_conv, echo_on_goes_to_the_tty)
{
	struct pam_response *resp = NULL;

	ctx.tty_fd = 7;
	cr_assert_eq(conv1(PAM_PROMPT_ECHO_ON, "Token: ", &resp), PAM_SUCCESS);
	cr_assert_str_eq(resp[0].resp, fake_tty_answer);
	cr_assert_str_eq(fake_tty_prompt, "Token: ");
	cr_assert_eq(ctx.secret_used, 0);
	free_resp(resp, 1);
}

Test(pam_conv, terminal_answers_each_prompt)
{
	static const int styles[] = { PAM_PROMPT_ECHO_OFF, PAM_PROMPT_ECHO_OFF };
	static const char *const texts[] = { "Password: ", NULL };
	struct pam_response *resp = NULL;

	ctx.secret = NULL;
	ctx.tty_fd = 0;
	cr_assert_eq(conv(2, styles, texts, &resp), PAM_SUCCESS);
	cr_assert_eq(fake_tty_calls, 2);
	cr_assert_str_eq(resp[0].resp, fake_tty_answer);
	cr_assert_str_eq(resp[1].resp, fake_tty_answer);
	cr_assert_str_eq(fake_tty_prompt, "");
	free_resp(resp, 2);
	fake_tty_fail = 1;
	cr_assert_eq(conv(2, styles, texts, &resp), PAM_CONV_ERR);
	cr_assert_null(resp);
}

Test(pam_conv, unknown_styles_refused)
{
	static const int styles[] = { 0, 5, 7, 99, -1 };
	struct pam_response *resp = NULL;
	size_t i;

	ctx.tty_fd = 0;
	for (i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		cr_assert_eq(conv1(styles[i], "?", &resp), PAM_CONV_ERR, "style %d", styles[i]);
		cr_assert_null(resp);
	}
	cr_assert_eq(fake_tty_calls, 0);
	cr_assert_eq(ctx.secret_used, 0);
}

Test(pam_conv, keeps_32_messages_and_counts_the_rest)
{
	int styles[PAM_MAX_NUM_MSG];
	const char *texts[PAM_MAX_NUM_MSG];
	struct pam_response *resp = NULL;
	int i;

	for (i = 0; i < PAM_MAX_NUM_MSG; i++) {
		styles[i] = i % 2 ? PAM_ERROR_MSG : PAM_TEXT_INFO;
		texts[i] = "line";
	}
	cr_assert_eq(conv(PAM_MAX_NUM_MSG, styles, texts, &resp), PAM_SUCCESS);
	free_resp(resp, PAM_MAX_NUM_MSG);
	cr_assert_eq(conv(8, styles, texts, NULL), PAM_SUCCESS);
	cr_assert_eq(ctx.nmessages, HPAM_MESSAGES_MAX);
	cr_assert_eq(ctx.messages_dropped, 8);
}

Test(pam_conv, cuts_long_messages)
{
	char big[2001];

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_assert_eq(conv1(PAM_ERROR_MSG, big, NULL), PAM_SUCCESS);
	cr_assert_eq(strlen(ctx.messages[0].text), HPAM_MESSAGE_MAX + 3);
	cr_assert_eq(memcmp(ctx.messages[0].text, big, HPAM_MESSAGE_MAX), 0);
	cr_assert_str_eq(ctx.messages[0].text + HPAM_MESSAGE_MAX, "...");

	big[HPAM_MESSAGE_MAX] = '\0'; /* exactly the limit: kept whole */
	cr_assert_eq(conv1(PAM_ERROR_MSG, big, NULL), PAM_SUCCESS);
	cr_assert_str_eq(ctx.messages[1].text, big);
}

Test(pam_conv, cuts_on_a_utf8_boundary)
{
	char big[HPAM_MESSAGE_MAX + 16];

	memset(big, 'a', sizeof big);
	memcpy(big + HPAM_MESSAGE_MAX - 1, "\xc3\xa9", 2); /* straddles the cut */
	big[sizeof big - 1] = '\0';
	cr_assert_eq(conv1(PAM_TEXT_INFO, big, NULL), PAM_SUCCESS);
	cr_assert_eq(strlen(ctx.messages[0].text), HPAM_MESSAGE_MAX - 1 + 3);
	cr_assert_str_eq(ctx.messages[0].text + HPAM_MESSAGE_MAX - 1, "...");
}

Test(pam_codes, every_code_has_its_name)
{
	static const struct {
		int code;
		const char *name;
	} codes[] = {
		{ PAM_SUCCESS, "PAM_SUCCESS" },
		{ PAM_OPEN_ERR, "PAM_OPEN_ERR" },
		{ PAM_SYMBOL_ERR, "PAM_SYMBOL_ERR" },
		{ PAM_SERVICE_ERR, "PAM_SERVICE_ERR" },
		{ PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR" },
		{ PAM_BUF_ERR, "PAM_BUF_ERR" },
		{ PAM_PERM_DENIED, "PAM_PERM_DENIED" },
		{ PAM_AUTH_ERR, "PAM_AUTH_ERR" },
		{ PAM_CRED_INSUFFICIENT, "PAM_CRED_INSUFFICIENT" },
		{ PAM_AUTHINFO_UNAVAIL, "PAM_AUTHINFO_UNAVAIL" },
		{ PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN" },
		{ PAM_MAXTRIES, "PAM_MAXTRIES" },
		{ PAM_NEW_AUTHTOK_REQD, "PAM_NEW_AUTHTOK_REQD" },
		{ PAM_ACCT_EXPIRED, "PAM_ACCT_EXPIRED" },
		{ PAM_SESSION_ERR, "PAM_SESSION_ERR" },
		{ PAM_CRED_UNAVAIL, "PAM_CRED_UNAVAIL" },
		{ PAM_CRED_EXPIRED, "PAM_CRED_EXPIRED" },
		{ PAM_CRED_ERR, "PAM_CRED_ERR" },
		{ PAM_NO_MODULE_DATA, "PAM_NO_MODULE_DATA" },
		{ PAM_CONV_ERR, "PAM_CONV_ERR" },
		{ PAM_AUTHTOK_ERR, "PAM_AUTHTOK_ERR" },
		{ PAM_AUTHTOK_RECOVERY_ERR, "PAM_AUTHTOK_RECOVERY_ERR" },
		{ PAM_AUTHTOK_LOCK_BUSY, "PAM_AUTHTOK_LOCK_BUSY" },
		{ PAM_AUTHTOK_DISABLE_AGING, "PAM_AUTHTOK_DISABLE_AGING" },
		{ PAM_TRY_AGAIN, "PAM_TRY_AGAIN" },
		{ PAM_IGNORE, "PAM_IGNORE" },
		{ PAM_ABORT, "PAM_ABORT" },
		{ PAM_AUTHTOK_EXPIRED, "PAM_AUTHTOK_EXPIRED" },
		{ PAM_MODULE_UNKNOWN, "PAM_MODULE_UNKNOWN" },
		{ PAM_BAD_ITEM, "PAM_BAD_ITEM" },
		{ PAM_CONV_AGAIN, "PAM_CONV_AGAIN" },
		{ PAM_INCOMPLETE, "PAM_INCOMPLETE" },
	};
	size_t i;

	cr_assert_eq(sizeof codes / sizeof codes[0], _PAM_RETURN_VALUES);
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		cr_assert_str_eq(hpam_code_name(codes[i].code), codes[i].name);
	cr_assert_str_eq(hpam_code_name(-1), "PAM_UNKNOWN");
	cr_assert_str_eq(hpam_code_name(_PAM_RETURN_VALUES), "PAM_UNKNOWN");
	cr_assert_str_eq(hpam_code_name(INT_MAX), "PAM_UNKNOWN");
	cr_assert_str_eq(hpam_code_name(INT_MIN), "PAM_UNKNOWN");
}

Test(pam_close, zeroed_context_and_env_are_safe)
{
	struct hpam p;
	char **env;

	memset(&p, 0, sizeof p);
	errno = ENOTTY;
	hpam_close(&p);
	cr_assert_eq(errno, ENOTTY);
	cr_assert_eq(p.nstages, 0);

	env = calloc(3, sizeof *env);
	cr_assert_not_null(env);
	env[0] = strdup("KRB5CCNAME=FILE:/tmp/krb5cc_1000");
	env[1] = strdup("HOME=/home/alice");
	p.env = env;
	hpam_close(&p);
	cr_assert_null(p.env);
	hpam_close(&p);
	cr_assert_eq(errno, ENOTTY);
	cr_assert_eq(p.nstages, 0);
}
