/* bench/tiny — the "tiny program" the fork+exec route runs: writes "ok". */
#include <unistd.h>

int
main(void)
{
	return write(1, "ok", 2) == 2 ? 0 : 1;
}
