/*
 * eggman — the smallest use of libpipeforkas: run a function as USER and
 * print what it returned, with the uid it ran under.
 *
 *   cc -o eggman eggman.c $(pkg-config --cflags --libs pipeforkas)
 *   sudo ./eggman alice        ->  eggman (from uid 1001)
 *
 * Must run as root: only root can become another user.
 */
#include <stdio.h>
#include <unistd.h>

#include <pipeforkas.h>

/* Runs in the child, as the user, with every privilege gone. */
static int
eggman(pfa_out *out, void *arg)
{
	(void)arg;
	if (pfa_out_int(out, "uid", (int64_t)getuid()) != 0)
		return 1;
	return pfa_out_write(out, "eggman", 6) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	pfa_identity *id = NULL;
	pfa_result *res = NULL;
	const char *said;
	int64_t uid = -1;
	size_t len;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s USER\n", argv[0]);
		return 2;
	}
	if ((r = pfa_identity_from_name(argv[1], 0, &id)) < 0) {
		fprintf(stderr, "eggman: %s: %s\n", argv[1], pfa_strerror(r));
		return 1;
	}
	r = pfa_run(id, NULL, eggman, NULL, &res);
	if (r < 0) {
		int step, err;
		fprintf(stderr, "eggman: %s", pfa_strerror(r));
		if (pfa_result_drop_failure(res, &step, &err) == 0)
			fprintf(stderr, " (at %s, errno %d)", pfa_drop_step_name(step), err);
		fprintf(stderr, "\n");
	} else {
		said = pfa_result_data(res, 0, &len);
		pfa_result_get_int(res, "uid", &uid);
		printf("%.*s (from uid %lld)\n", (int)len, said, (long long)uid);
	}
	pfa_result_free(res);
	pfa_identity_free(id);
	return r < 0 ? 1 : 0;
}
