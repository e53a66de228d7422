/*
 * fake_secret.c — test stand-ins for cli.c's secret_read_tty and
 * secret_wipe, so the pam tests link without the cli module.  The
 * "terminal" answers fake_tty_answer (or fails when fake_tty_fail is set)
 * and remembers the last prompt it was given.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fake_secret.h"

const char *fake_tty_answer = "from-the-tty";
int fake_tty_fail;
int fake_tty_calls;
char fake_tty_prompt[128];

int
secret_read_tty(int tty_fd, const char *prompt, struct secret *s)
{
	size_t len = strlen(fake_tty_answer);

	(void)tty_fd;
	fake_tty_calls++;
	snprintf(fake_tty_prompt, sizeof fake_tty_prompt, "%s", prompt);
	secret_wipe(s);
	if (fake_tty_fail || len > SECRET_MAX)
		return -EIO;
	memcpy(s->buf, fake_tty_answer, len);
	s->len = len;
	return 0;
}

void
secret_wipe(struct secret *s)
{
	explicit_bzero(s, sizeof *s);
}
