/*
 * answer.h — step 8: the one JSON document on stdout, and the syslog line.
 *
 * The JSON writer streams into a fixed buffer (no allocation, bounded
 * memory whatever the size of a result), escapes every string, and never
 * emits invalid JSON: text that is not valid UTF-8 must go through
 * json_base64 (answer code decides; json_string replaces invalid bytes with
 * U+FFFD as a last resort).  Documented in docs/protocol.md.
 */
#ifndef PFA_HELPER_ANSWER_H
#define PFA_HELPER_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define JSON_DEPTH_MAX 16
#define JSON_BUF (64 * 1024) /* one write(2) per this many bytes of a stream */

/*
 * A top-level value is followed by "\n" (one document, one line).
 * Sticky errors: a failed write (negative errno, e.g. -EPIPE), nesting
 * deeper than JSON_DEPTH_MAX (-EOVERFLOW), misuse that would make invalid
 * JSON (-EINVAL: a key outside an object, a value without its key, an end
 * that does not match, any call but chunk/end inside an open string).
 * After an error every call writes nothing; what was buffered is dropped.
 */
struct json {
	int fd;
	long deadline;      /* json_now_ms() after which a write that would block
			       fails with -ETIMEDOUT; 0 (json_init's) for none */
	int error;          /* sticky negative errno (above), 0 until then */
	int depth;
	unsigned char first[JSON_DEPTH_MAX]; /* no member yet at this depth */
	unsigned char object[JSON_DEPTH_MAX]; /* 1: an object at this depth, 0: an array */
	int after_key;
	int in_string;      /* 1: inside json_string_begin..end, 2: json_base64_begin..end */
	unsigned char pend[3]; /* a UTF-8 sequence not yet complete at a chunk's end,
				  or the 1-2 bytes of a base64 group carried over */
	size_t npend;
	size_t used;
	char buf[JSON_BUF];
};

void json_init(struct json *j, int fd);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
/* A member name inside an object; the next value call is its value. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s, size_t len);
void json_cstring(struct json *j, const char *s); /* NULL -> null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* A string holding the standard base64 (RFC 4648, padded) of data. */
void json_base64(struct json *j, const void *data, size_t len);
/* Streaming pieces of one string value: begin, any number of chunks
 * (escaped as they come; a UTF-8 sequence may span chunks), end. */
void json_string_begin(struct json *j);
void json_string_chunk(struct json *j, const void *s, size_t len);
void json_string_end(struct json *j);
/* Streaming pieces of one base64 string value (1 or 2 bytes are carried
 * between chunks; json_base64 is begin + one chunk + end). */
void json_base64_begin(struct json *j);
void json_base64_chunk(struct json *j, const void *data, size_t len);
void json_base64_end(struct json *j);
/* CLOCK_MONOTONIC in milliseconds (for deadlines). */
long json_now_ms(void);
/* All of buf to fd, retrying on EINTR and short writes; on a non-blocking
 * fd that is full, waiting until deadline (json_now_ms; 0: no deadline).
 * 0, -ETIMEDOUT or another negative errno. */
int json_write_all(int fd, const void *buf, size_t n, long deadline);
/* Write out what is buffered: 0 or the sticky negative errno. */
int json_flush(struct json *j);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int utf8_valid(const void *s, size_t len);

struct answer_stage {
	const char *stage;     /* "authenticate", ... */
	int code;
	const char *code_name; /* "PAM_SUCCESS", ... */
};

struct answer_msg {
	const char *style; /* "info" or "error" */
	const char *text;
};

struct answer {
	enum status status;
	const char *user;   /* the parent's own record; NULL -> null */
	long long uid;      /* < 0 (-1) -> null */
	const char *op;     /* NULL -> null */
	const struct answer_stage *stages; /* -> "pam": {stage: {"code":N,"name":S}};
					      stage names non-NULL and distinct */
	size_t nstages;
	const struct answer_msg *messages; /* -> "messages": [{"style":S,"text":T}] */
	size_t nmessages;
	const char *error;  /* NULL -> null */
	/* Writes the value of "result" (exactly one object); NULL -> {}. */
	void (*result)(struct json *j, void *ctx);
	void *result_ctx;
};

/*
 * Write the whole document to fd and flush it:
 * {"version":1,"op":…,"user":…,"uid":…,"result":{…},"status":…,"error":…,
 *  "pam":{…},"messages":[…]}\n
 * ("result" comes before the outcome so that it can be streamed.)
 * deadline bounds writes to a non-blocking fd that stays full (see
 * json_write_all; 0: none).
 * 0, or a negative errno (the caller closed stdout: EPIPE).  -EINVAL, with
 * nothing written, when a is malformed (NULL or duplicate stage name);
 * -EINVAL too when the result callback does not write exactly one value.
 * Not reentrant (one static buffer): not from a signal handler or a
 * result callback.
 */
int answer_write(int fd, const struct answer *a, long deadline);

/* The same document in two halves around a result the caller streams:
 * answer_begin writes up to and including the "result" key (it uses op,
 * user and uid); the caller then writes exactly one value into j;
 * answer_end writes the rest (status, error, pam, messages), closes and
 * flushes.  0 or the sticky negative error of j (-EINVAL when a is
 * malformed). */
int answer_begin(struct json *j, const struct answer *a);
int answer_end(struct json *j, const struct answer *a);

/* ---- syslog ---------------------------------------------------------- */

#define LOG_FIELD_MAX 64
/* Room for the longest line and its NUL. */
#define LOG_LINE_MAX (sizeof("caller= target= service= op= outcome=") + \
		      5 * (4 * LOG_FIELD_MAX + 3))

/*
 * Format the one line logged per attempt:
 *   caller=C target=T service=S op=O outcome=X
 * Each field: bytes outside printable ASCII, '\\', '"', '=' and ' ' written as
 * \xHH; at most LOG_FIELD_MAX input bytes, then "..." ; NULL -> "-".
 * Always NUL-terminated when outlen > 0 (a line that does not fit is cut
 * before the first escape or byte that does not fit); returns the length
 * written.  Never given the password.
 */
size_t log_format(char *out, size_t outlen, const char *caller, const char *target,
		  const char *service, const char *op, const char *outcome);

/* syslog(LOG_AUTHPRIV | (ok ? LOG_INFO : LOG_NOTICE), "%s", line) under
 * ident "pipefork-as"; nothing when one of fds 0-2 is closed (the syslog
 * socket must never become stdout).  Leaves no fd open; keeps errno. */
void log_attempt(const char *caller, const char *target, const char *service,
		 const char *op, const char *outcome, int ok);

#endif
