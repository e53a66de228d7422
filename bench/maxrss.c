/*
 * maxrss CMD [ARG...] — run CMD (stdio passed through) and print its peak
 * resident set size on stderr as "maxrss_kib N" (wait4's ru_maxrss).  This
 * wrapper is tiny so that its own pages, counted before the exec, do not
 * hide the measured program's.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	int st;
	pid_t pid;

	if (argc < 2)
		return 2;
	if ((pid = fork()) == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid)
		return 1;
	fprintf(stderr, "maxrss_kib %ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
