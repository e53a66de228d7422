/* Unit tests of the child's writer (src/lib/out.c): frames reach the pipe
 * in the order of the calls, and fields wait to share the next write.  The
 * writer runs here on one end of a SOCK_SEQPACKET pair, where every write
 * or writev is one packet, so that writes can be counted. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "internal.h"

/* What the decoder saw, one short line per frame. */
struct seen {
	char log[512];
	int frames;
};

static void
note(struct seen *s, char type, const char *a, char sep, long b, const char *tail)
{
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof(s->log) - n, "%c%s%c%ld%s", type, a, sep, b, tail);
	s->frames++;
}

static int
on_data(void *ctx, unsigned ch, const uint8_t *buf, size_t len)
{
	char t[16] = "";
	memcpy(t, buf, len < sizeof(t) - 1 ? len : sizeof(t) - 1);
	note(ctx, 'D', t, ':', (long)ch, " ");
	return 0;
}

static int
on_int(void *ctx, const char *key, size_t keylen, int64_t v)
{
	char k[64] = "";
	memcpy(k, key, keylen);
	note(ctx, 'I', k, '=', (long)v, " ");
	return 0;
}

static int
on_str(void *ctx, const char *key, size_t keylen, const uint8_t *v, size_t len)
{
	char k[64] = "";
	(void)v;
	memcpy(k, key, keylen);
	note(ctx, 'S', k, ':', (long)len, " ");
	return 0;
}

static int
on_end(void *ctx, int32_t code, const char *msg, size_t len)
{
	(void)msg;
	(void)len;
	note(ctx, 'E', "", '=', (long)code, "");
	return 0;
}

static const struct frame_handler handler = { on_data, on_int, on_str, on_end, NULL };

/* Read every packet from fd until EOF; decode them; return how many. */
static int
drain(int fd, struct seen *s)
{
	static struct frame_decoder d;
	static uint8_t pkt[128 * 1024];
	ssize_t n;
	int packets = 0;

	frame_decoder_init(&d, &handler, s);
	while ((n = read(fd, pkt, sizeof(pkt))) > 0) {
		packets++;
		cr_assert_eq(frame_decoder_feed(&d, pkt, (size_t)n), 0, "%s", s->log);
	}
	cr_assert_eq(n, 0);
	cr_assert_eq(frame_decoder_eof(&d), 0);
	cr_assert(frame_decoder_finished(&d));
	return packets;
}

static struct pfa_out *
writer(int sv[2])
{
	struct pfa_out *out = calloc(1, sizeof(*out));
	int size = 1 << 20;

	cr_assert_not_null(out);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	cr_assert_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)), 0);
	out_init(out, sv[0]);
	return out;
}

Test(out, fields_and_their_end_go_in_one_write)
{
	struct seen s = { .frames = 0 };
	int sv[2];
	struct pfa_out *out = writer(sv);
	char key[8];

	for (int i = 0; i < 17; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		cr_assert_eq(pfa_out_int(out, key, i), 0);
	}
	cr_assert_eq(pfa_out_str(out, "cwd", "/home/u", 7), 0);
	cr_assert_eq(out_finish(out, 0), 0);
	close(sv[0]);
	cr_assert_eq(drain(sv[1], &s), 1, "one writev for 18 fields and END: %s", s.log);
	cr_assert_eq(s.frames, 19);
	cr_assert(strstr(s.log, "Ik0=0 Ik1=1 ") == s.log, "%s", s.log);
	cr_assert(strstr(s.log, "Ik16=16 Scwd:7 E=0") != NULL, "%s", s.log);
	close(sv[1]);
	free(out);
}

Test(out, frames_keep_the_order_of_the_calls)
{
	static char big[5000];
	struct seen s = { .frames = 0 };
	int sv[2];
	struct pfa_out *out = writer(sv);

	cr_assert_eq(pfa_out_int(out, "a", 1), 0);           /* waits */
	cr_assert_eq(pfa_out_write(out, "x", 1), 0);          /* data buffered */
	cr_assert_eq(pfa_out_int(out, "b", 2), 0);            /* 1: a, x; b waits */
	cr_assert_eq(pfa_out_write_channel(out, 1, "y", 1), 0);
	cr_assert_eq(pfa_out_str(out, "c", big, sizeof(big)), 0); /* 2: b, y; 3: c */
	cr_assert_eq(pfa_out_int(out, "d", 4), 0);
	cr_assert_eq(pfa_out_flush(out), 0);                  /* 4: d */
	cr_assert_eq(pfa_out_flush(out), 0);                  /* nothing waits */
	cr_assert_eq(pfa_out_int(out, "e", 5), 0);
	cr_assert_eq(pfa_out_message(out, "m"), 0);
	cr_assert_eq(out_finish(out, 7), 0);                  /* 5: e, END */
	close(sv[0]);
	cr_assert_eq(drain(sv[1], &s), 5, "%s", s.log);
	cr_assert_str_eq(s.log, "Ia=1 Dx:0 Ib=2 Dy:1 Sc:5000 Id=4 Ie=5 E=7");
	close(sv[1]);
	free(out);
}

Test(out, a_failed_write_fails_every_later_call)
{
	int sv[2];
	struct pfa_out *out = writer(sv);

	cr_assert_eq(pfa_out_int(out, "a", 1), 0); /* only queued: no error yet */
	close(sv[1]);
	signal(SIGPIPE, SIG_IGN);
	cr_assert_eq(pfa_out_flush(out), PFA_ESYS);
	cr_assert_eq(pfa_out_int(out, "b", 2), PFA_ESYS);
	cr_assert_eq(pfa_out_write(out, "x", 1), PFA_ESYS);
	cr_assert_eq(out_finish(out, 0), PFA_ESYS);
	close(sv[0]);
	free(out);
}

/* Whether a packet waits on fd, without taking it. */
static int
packet_waits(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);

	cr_assert(n > 0 || (n < 0 && errno == EAGAIN), "recv: %s", strerror(errno));
	return n > 0;
}

Test(out, a_pipe_is_sent_as_read_a_file_fills_frames)
{
	static char block[8192];
	struct seen s = { .frames = 0 };
	int sv[2], p[2];
	struct pfa_out *out = writer(sv);
	FILE *f = tmpfile();
	size_t moved;

	/* a regular file: its bytes wait to fill the frame, through a full
	 * read, a short one and the end of the file */
	cr_assert_not_null(f);
	memset(block, 'f', sizeof(block));
	cr_assert_eq(fwrite(block, 1, sizeof(block), f), sizeof(block));
	cr_assert_eq(fflush(f), 0);
	rewind(f);
	cr_assert_eq(pfa_out_splice(out, 0, fileno(f), 4096, &moved), 0);
	cr_assert_eq(moved, 4096);
	cr_assert_eq(pfa_out_splice(out, 0, fileno(f), 8192, &moved), 0);
	cr_assert_eq(moved, 4096);
	cr_assert_eq(pfa_out_splice(out, 0, fileno(f), 8192, &moved), 0);
	cr_assert_eq(moved, 0);
	cr_assert_not(packet_waits(sv[1]), "a file's bytes were sent before the frame filled");
	/* a pipe that holds exactly what is asked: those bytes go at once (the
	 * next read could wait), in the frame with what waited (same channel) */
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "abcdefghijklmnop", 16), 16);
	cr_assert_eq(pfa_out_splice(out, 0, p[0], 16, &moved), 0);
	cr_assert_eq(moved, 16);
	cr_assert(packet_waits(sv[1]), "bytes read from a pipe were held back");
	cr_assert_eq(out_finish(out, 0), 0);
	close(sv[0]);
	cr_assert_eq(drain(sv[1], &s), 2, "%s", s.log);
	cr_assert_str_eq(s.log, "Dfffffffffffffff:0 E=0"); /* one frame of 8208 */
	close(p[0]);
	close(p[1]);
	fclose(f);
	close(sv[1]);
	free(out);
}
