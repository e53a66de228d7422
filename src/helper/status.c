/* status.c — the status table: JSON name and exit code of every outcome.
 * Documented in pipefork-as(8) and docs/protocol.md; keep them in step. */
#include "config.h"

#include "status.h"

static const struct {
	const char *name;
	int code;
} table[ST_COUNT] = {
	[ST_OK] = { "ok", 0 },
	[ST_AUTH_FAILED] = { "auth_failed", 1 },
	[ST_ACCOUNT_EXPIRED] = { "account_expired", 2 },
	[ST_PASSWORD_EXPIRED] = { "password_expired", 3 },
	[ST_ACCOUNT_LOCKED] = { "account_locked", 4 },
	[ST_DENIED] = { "denied", 5 },
	[ST_BAD_REQUEST] = { "bad_request", 6 },
	[ST_CONFIG_ERROR] = { "config_error", 7 },
	[ST_OP_FAILED] = { "op_failed", 8 },
	[ST_TIMEOUT] = { "timeout", 9 },
	[ST_CRASHED] = { "crashed", 10 },
	[ST_INTERNAL_ERROR] = { "internal_error", 11 },
};

const char *
status_name(enum status st)
{
	if ((unsigned)st >= ST_COUNT)
		st = ST_INTERNAL_ERROR;
	return table[st].name;
}

int
status_exit_code(enum status st)
{
	if ((unsigned)st >= ST_COUNT)
		st = ST_INTERNAL_ERROR;
	return table[st].code;
}
