/*
 * evil.c — a shared object the hostile tests try to smuggle into the helper
 * or the operation (LD_PRELOAD, a GCONV_PATH module).  Loading it is enough:
 * its constructor creates MARKDIR/loaded.<uid>.<pid>.  The gconv entry
 * points exist so that iconv accepts it as a module (the control that shows
 * the trap works) and refuse every conversion.  Built by the test itself:
 *   cc -shared -fPIC -DMARKDIR='"/dir"' -o evil.so evil.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void
mark(void)
{
	char path[512];
	int fd;

	snprintf(path, sizeof path, "%s/loaded.%u.%d", MARKDIR, (unsigned)getuid(), (int)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) >= 0)
		close(fd);
}

int gconv_init(void *step);
int gconv(void *step, void *data, const unsigned char **in, const unsigned char *end,
	  unsigned char **out, size_t *irrev, int flush, int safe);

int
gconv_init(void *step)
{
	(void)step;
	return 1; /* __GCONV_NOCONV */
}

int
gconv(void *step, void *data, const unsigned char **in, const unsigned char *end,
      unsigned char **out, size_t *irrev, int flush, int safe)
{
	(void)step, (void)data, (void)in, (void)end, (void)out, (void)irrev, (void)flush, (void)safe;
	return 1;
}
