/*
 * tchain.c — for tests/hostile/ops.sh: a chain of N processes in which each
 * forks the next from a second thread, not its main one (the kernel lists a
 * child only in the children file of the thread that forked it), and each
 * new process starts its own session; every process then sleeps.  Built by
 * the test: cc -pthread -o tchain tchain.c; run: tchain N
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static int left;

static void node(void);

static void *
fork_next(void *arg)
{
	(void)arg;
	if (fork() == 0) {
		(void)setsid();
		left--;
		node(); /* in the child, this thread is the only one */
	}
	for (;;)
		pause();
	return NULL;
}

static void
node(void)
{
	pthread_attr_t a;
	pthread_t t;

	if (left > 0 && (pthread_attr_init(&a) != 0 || pthread_attr_setstacksize(&a, 65536) != 0 ||
			 pthread_create(&t, &a, fork_next, NULL) != 0))
		_exit(1);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	left = argc > 1 ? atoi(argv[1]) : 0;
	(void)setsid();
	node();
	return 0;
}
