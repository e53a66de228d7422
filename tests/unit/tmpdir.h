/*
 * tmpdir.h — a scratch directory per test, for the tests that load real
 * files (policy, capability.conf).  Use tmp_make and tmp_remove as a
 * suite's .init and .fini.
 */
#ifndef PFA_TEST_TMPDIR_H
#define PFA_TEST_TMPDIR_H

#include <stddef.h>
#include <sys/types.h>

extern char tmp[64]; /* the directory of the running test */

void tmp_make(void);
void tmp_remove(void);

/* Skip the test (cleaning up first) unless it runs as root: a file that
 * root owns is needed. */
void need_root(void);

/* tmp/name with len bytes of s, mode set exactly; returns the path (a
 * static buffer, overwritten by the next call). */
const char *put(const char *name, const char *s, size_t len, mode_t mode);

/* put with strlen(s) and mode 0644. */
const char *put_str(const char *name, const char *s);

/* tmp/name holding n newlines, mode 0644 (a file just over a limit). */
const char *put_newlines(const char *name, size_t n);

/* tmp/name (a static buffer of its own). */
const char *path_of(const char *name);

#endif
