/* opts.c — run options and their validation. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
opts_defaults(struct pfa_opts *o)
{
	memset(o, 0, sizeof(*o)); /* 0 or NULL: every field not named below */
	o->timeout_ms = PFA_TIMEOUT_DEFAULT_MS;
	o->max_result = PFA_MAX_RESULT_DEFAULT;
	o->stdio[0] = o->stdio[1] = o->stdio[2] = -1;
	o->cancel_fd = -1;
	o->splice_fd = -1;
}

pfa_opts *
pfa_opts_new(void)
{
	struct pfa_opts *o = calloc(1, sizeof(*o));

	if (o != NULL)
		opts_defaults(o);
	return o;
}

void
pfa_opts_free(pfa_opts *opts)
{
	free(opts);
}

int
pfa_opts_set_timeout_ms(pfa_opts *opts, long ms)
{
	if (opts == NULL || ms < 0 || ms > 86400000L)
		return PFA_EINVAL;
	opts->timeout_ms = ms;
	return 0;
}

int
pfa_opts_set_max_result(pfa_opts *opts, size_t bytes)
{
	if (opts == NULL)
		return PFA_EINVAL;
	opts->max_result = bytes;
	return 0;
}

int
pfa_opts_set_stdio(pfa_opts *opts, int in_fd, int out_fd, int err_fd)
{
	if (opts == NULL || in_fd < -1 || out_fd < -1 || err_fd < -1)
		return PFA_EINVAL;
	opts->stdio[0] = in_fd;
	opts->stdio[1] = out_fd;
	opts->stdio[2] = err_fd;
	return 0;
}

int
pfa_opts_set_sink(pfa_opts *opts, pfa_sink_fn fn, void *ctx)
{
	if (opts == NULL)
		return PFA_EINVAL;
	opts->sink = fn;
	opts->sink_ctx = ctx;
	return 0;
}

int
pfa_opts_set_cancel_fd(pfa_opts *opts, int fd)
{
	if (opts == NULL || fd < -1)
		return PFA_EINVAL;
	opts->cancel_fd = fd;
	return 0;
}

int
pfa_opts_set_keep_keyring(pfa_opts *opts, int keep)
{
	if (opts == NULL || (keep != 0 && keep != 1))
		return PFA_EINVAL;
	opts->keep_keyring = keep;
	return 0;
}

int
pfa_opts_set_splice(pfa_opts *opts, unsigned channel, int fd)
{
	if (opts == NULL || channel >= PFA_CHANNELS || fd < -1)
		return PFA_EINVAL;
	opts->splice_fd = fd;
	opts->splice_channel = channel;
	return 0;
}
