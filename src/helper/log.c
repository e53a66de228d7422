/*
 * log.c — the one syslog line per attempt (PITFALLS 15: log injection).
 *
 * MUST: the format string given to syslog(3) is the constant "%s"; every
 * field is escaped so that the line is printable ASCII whose only spaces,
 * '=' and '"' are the separators we write (no newline, no terminal escape,
 * no forged "outcome=ok"); at most LOG_FIELD_MAX bytes of each field are
 * read; out is never overrun and always NUL-terminated when outlen > 0.
 * MUST: no fd outlives log_attempt, and nothing is logged while one of fds
 * 0-2 is closed: the syslog socket would take its number and the answer
 * would go to syslog.  No LOG_NDELAY (the socket is opened by syslog() and
 * closed by closelog() in the same call), no LOG_CONS (no /dev/console from
 * a setuid program), no LOG_PERROR (stderr is the caller's).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <syslog.h>

#include "answer.h"

struct line {
	char *p;
	size_t size, len;
	int full; /* something did not fit: append nothing more */
};

/* Append all of s[0..n) or, when it does not fit with the NUL, nothing. */
static void
add(struct line *l, const char *s, size_t n)
{
	if (l->full || l->size - l->len <= n) {
		l->full = 1;
		return;
	}
	memcpy(l->p + l->len, s, n);
	l->len += n;
	l->p[l->len] = '\0';
}

/* Bytes that stand for themselves in a field. */
static int
log_plain(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '=';
}

/* " key=value", the value escaped and cut after LOG_FIELD_MAX bytes. */
static void
add_field(struct line *l, const char *key, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	add(l, key, strlen(key));
	if (v == NULL) {
		add(l, "-", 1);
		return;
	}
	for (i = 0; i < LOG_FIELD_MAX && v[i] != '\0'; i++) {
		unsigned char c = (unsigned char)v[i];
		char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

		if (log_plain(c))
			add(l, v + i, 1);
		else
			add(l, e, sizeof(e));
	}
	if (i == LOG_FIELD_MAX && v[i] != '\0')
		add(l, "...", 3);
}

size_t
log_format(char *out, size_t outlen, const char *caller, const char *target,
	   const char *service, const char *op, const char *outcome)
{
	struct line l = { .p = out, .size = outlen };

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	add_field(&l, "caller=", caller);
	add_field(&l, " target=", target);
	add_field(&l, " service=", service);
	add_field(&l, " op=", op);
	add_field(&l, " outcome=", outcome);
	return l.len;
}

void
log_attempt(const char *caller, const char *target, const char *service,
	    const char *op, const char *outcome, int ok)
{
	char line[LOG_LINE_MAX];
	int fd, saved = errno;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1)
			goto out;
	log_format(line, sizeof(line), caller, target, service, op, outcome);
	openlog("pipefork-as", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_AUTHPRIV | (ok ? LOG_INFO : LOG_NOTICE), "%s", line);
	closelog();
out:
	errno = saved;
}
