/*
 * Root test: a multithreaded host.  8 threads hammer malloc and getpwnam
 * (so their locks are often held at fork) while 10,000 runs go through
 * pfa_run; none may hang or fail.  Between fork and the callback the child
 * only makes async-signal-safe calls, so a lock held at fork cannot bite.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <pwd.h>
#include <stdatomic.h>

#include "unit.h"

/* Under ASan (scripts/check's sanitizer stage) a run with 8 busy threads
 * is about ten times slower: 1,000 runs there still meet many held locks. */
#ifdef __SANITIZE_ADDRESS__
#define RUNS 1000
#else
#define RUNS 10000
#endif
#define THREADS 8

static atomic_int stop;

static void *
hammer(void *arg)
{
	unsigned long n = 0;
	(void)arg;
	while (!atomic_load(&stop)) {
		void *p = malloc(16 + (n++ % 4096));
		struct passwd *pw = getpwnam("pfa_alice");
		(void)pw;
		free(p);
	}
	return NULL;
}

static int
cb_small(pfa_out *out, void *arg)
{
	(void)arg;
	return pfa_out_write(out, "ok", 2);
}

Test(threads, ten_thousand_runs_with_busy_threads, .timeout = 600)
{
	pthread_t t[THREADS];
	pfa_identity *id;
	pfa_opts *o = pfa_opts_new();
	int fails = 0;

	cr_assert_eq(pfa_identity_from_name("pfa_alice", 0, &id), 0);
	cr_assert_eq(pfa_opts_set_timeout_ms(o, 10000), 0);
	for (int i = 0; i < THREADS; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (int i = 0; i < RUNS; i++) {
		pfa_result *r;
		size_t len;
		if (pfa_run(id, o, cb_small, NULL, &r) != 0 ||
		    strcmp(pfa_result_data(r, 0, &len), "ok") != 0)
			fails++;
		pfa_result_free(r);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	cr_assert_eq(fails, 0, "%d of %d runs failed", fails, RUNS);
	pfa_opts_free(o);
	pfa_identity_free(id);
}
