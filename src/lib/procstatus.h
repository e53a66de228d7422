/*
 * procstatus.h — read the few fields of /proc/self/status the child needs
 * (signal dispositions to reset, bounding and ambient sets, no_new_privs)
 * with three system calls instead of one per signal or capability.
 * Async-signal-safe: open, read, close and plain parsing, no allocation.
 */
#ifndef PFA_PROCSTATUS_H
#define PFA_PROCSTATUS_H

#include <stddef.h>
#include <stdint.h>

struct proc_status {
	uint64_t sig_ign, sig_cgt; /* bit n-1 = signal n */
	uint64_t cap_bnd, cap_amb;
	int no_new_privs;
};

/* Read /proc/self/status.  0, or -1 when it is unavailable or lacks a
 * field (callers then fall back to one system call per item). */
int proc_status_read(struct proc_status *ps);

/* Parse status text (for tests); same result as proc_status_read. */
int proc_status_parse(const char *text, size_t len, struct proc_status *ps);

#endif
