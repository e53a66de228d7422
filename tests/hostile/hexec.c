/*
 * hexec PROG [ENV...] — execve(PROG, {NULL}, {ENV..., NULL}): start PROG
 * with argc == 0 and exactly the environment given, in that order (the
 * shape of pkexec's CVE-2021-4034, where argv[1] aliases envp[0]).  A test
 * program of the hostile suite; it never returns on success.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char *none[] = { NULL };

	if (argc < 2) {
		fputs("usage: hexec PROG [ENV...]\n", stderr);
		return 2;
	}
	execve(argv[1], none, argv + 2);
	perror("hexec: execve");
	return 127;
}
