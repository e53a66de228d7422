/*
 * pam_conv.c — the PAM conversation function (STYLE.md point 8).
 *
 * MUST: n <= 0 or n > PAM_MAX_NUM_MSG is refused before msg is read.
 * MUST: the secret answers one echo-off prompt in the whole request, never
 *       a second one and never an echo-on prompt; other prompts are
 *       answered only by the person at the terminal (tty_fd >= 0), and are
 *       refused otherwise.
 * MUST: info and error texts are recorded bounded: at most
 *       HPAM_MESSAGES_MAX kept (the rest counted), each cut at
 *       HPAM_MESSAGE_MAX bytes (on a UTF-8 boundary) and marked "...".
 * MUST: on every failure each response already made is wiped and freed and
 *       *resp is NULL; responses are calloc'ed for libpam to free.
 * MUST: never exit; never print, but the prompt that secret_read_tty writes
 *       to the terminal.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pam.h"

static void
record_message(struct hpam *p, int style, const char *text)
{
	struct hpam_message *m;
	size_t len, back;

	if (p->nmessages >= HPAM_MESSAGES_MAX) {
		p->messages_dropped++;
		return;
	}
	m = &p->messages[p->nmessages++];
	m->style = style == PAM_ERROR_MSG ? "error" : "info";
	if (!text)
		text = "";
	len = strnlen(text, HPAM_MESSAGE_MAX + 1);
	if (len <= HPAM_MESSAGE_MAX) {
		memcpy(m->text, text, len);
		m->text[len] = '\0';
		return;
	}
	/* text[len] exists: do not keep half of the character it continues */
	len = HPAM_MESSAGE_MAX;
	for (back = 0; back < 3 && len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80; back++)
		len--;
	memcpy(m->text, text, len);
	memcpy(m->text + len, "...", sizeof "...");
}

/* A malloc'ed copy of s for libpam, or NULL. */
static char *
dup_secret(const struct secret *s)
{
	char *copy;

	if (s->len > SECRET_MAX)
		return NULL;
	copy = malloc(s->len + 1);
	if (copy) {
		memcpy(copy, s->buf, s->len);
		copy[s->len] = '\0';
	}
	return copy;
}

static int
answer_secret(struct hpam *p, char **out)
{
	if (p->secret_used)
		return PAM_CONV_ERR;
	p->secret_used = 1;
	*out = dup_secret(p->secret);
	return *out ? PAM_SUCCESS : PAM_BUF_ERR;
}

static int
answer_tty(struct hpam *p, const char *prompt, char **out)
{
	struct secret s;

	if (p->tty_fd < 0)
		return PAM_CONV_ERR;
	if (secret_read_tty(p->tty_fd, prompt ? prompt : "", &s) < 0)
		return PAM_CONV_ERR; /* s is wiped by secret_read_tty */
	*out = dup_secret(&s);
	secret_wipe(&s);
	return *out ? PAM_SUCCESS : PAM_BUF_ERR;
}

static int
answer(struct hpam *p, const struct pam_message *m, struct pam_response *r)
{
	switch (m->msg_style) {
	case PAM_PROMPT_ECHO_OFF:
		if (p->secret)
			return answer_secret(p, &r->resp);
		return answer_tty(p, m->msg, &r->resp);
	case PAM_PROMPT_ECHO_ON:
		return answer_tty(p, m->msg, &r->resp);
	case PAM_ERROR_MSG:
	case PAM_TEXT_INFO:
		record_message(p, m->msg_style, m->msg);
		return PAM_SUCCESS;
	default:
		return PAM_CONV_ERR;
	}
}

static int
is_prompt(const struct pam_message *m)
{
	return m->msg_style != PAM_ERROR_MSG && m->msg_style != PAM_TEXT_INFO;
}

static void
drop_responses(struct pam_response *r, int n)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < n; i++) {
		if (r[i].resp) {
			explicit_bzero(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	}
	free(r);
}

int
hpam_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct hpam *p = data;
	struct pam_response *r = NULL;
	int i, rc = PAM_CONV_ERR;

	if (resp)
		*resp = NULL;
	if (!p || !msg || n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	for (i = 0; i < n; i++) {
		if (!msg[i] || (!resp && is_prompt(msg[i])))
			return PAM_CONV_ERR;
	}
	r = calloc((size_t)n, sizeof *r);
	if (!r)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		if ((rc = answer(p, msg[i], &r[i])) != PAM_SUCCESS)
			goto out;
	}
	if (resp) {
		*resp = r;
		r = NULL;
	}
	rc = PAM_SUCCESS;
out:
	drop_responses(r, n);
	return rc;
}
