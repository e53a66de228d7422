/*
 * arena.h — the per-run working memory of pfa_run, kept per thread.
 *
 * After fork every page the parent writes while the child lives costs a
 * copy-on-write fault and a TLB flush.  The parent's buffers (decoder, read
 * buffer) are therefore in a mapping marked MADV_DONTFORK (the child never
 * sees them), and the child's writer in one marked MADV_WIPEONFORK (the
 * child gets zero pages: out_init sets every field it relies on).  Kept per
 * thread so that a run does not map and zero them again.
 */
#ifndef PFA_ARENA_H
#define PFA_ARENA_H

#include "internal.h"

#define ARENA_READ_CHUNK (256u * 1024)

struct arena {
	struct frame_decoder dec;
	struct collector col;
	uint8_t rbuf[ARENA_READ_CHUNK];
	struct pfa_out *out; /* in its own WIPEONFORK mapping */
	int in_use;
	int cached;          /* owned by the thread cache */
};

/* The calling thread's arena, or a fresh one when that one is in use (a
 * sink that runs pfa_run).  NULL when out of memory. */
struct arena *arena_take(void);
/* Give it back (frees it when it was not the thread's). */
void arena_give(struct arena *a);

#endif
