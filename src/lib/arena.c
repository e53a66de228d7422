/*
 * arena.c — see arena.h.  MUST: an arena is used by one run at a time;
 * mappings that cannot get their advice still work (only slower).
 */
#include "config.h"

#include <pthread.h>
#include <sys/mman.h>

#include "arena.h"

static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;
static int arena_key_ok;

static void *
map(size_t len, int advice)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, len, advice);
	return p;
}

static void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	if (a->out != NULL)
		(void)munmap(a->out, sizeof(*a->out));
	(void)munmap(a, sizeof(*a));
}

static struct arena *
arena_new(void)
{
	struct arena *a = map(sizeof(*a), MADV_DONTFORK);

	if (a == NULL)
		return NULL;
	if ((a->out = map(sizeof(*a->out), MADV_WIPEONFORK)) == NULL) {
		arena_free(a);
		return NULL;
	}
	return a;
}

static void
destroy(void *p)
{
	arena_free(p);
}

static void
key_init(void)
{
	arena_key_ok = pthread_key_create(&arena_key, destroy) == 0;
}

struct arena *
arena_take(void)
{
	struct arena *a = NULL;

	(void)pthread_once(&arena_once, key_init);
	if (arena_key_ok && (a = pthread_getspecific(arena_key)) == NULL) {
		if ((a = arena_new()) != NULL) {
			a->cached = 1;
			if (pthread_setspecific(arena_key, a) != 0)
				a->cached = 0;
		}
	}
	if (a == NULL || a->in_use)
		a = arena_new();
	if (a != NULL)
		a->in_use = 1;
	return a;
}

void
arena_give(struct arena *a)
{
	if (a == NULL)
		return;
	a->in_use = 0;
	if (!a->cached)
		arena_free(a);
}
