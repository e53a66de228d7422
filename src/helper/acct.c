/* acct.c — see acct.h. */
#include "config.h"

#include <shadow.h>
#include <string.h>
#include <time.h>

#include "acct.h"

int
acct_shadow_expired(const char *user)
{
	struct spwd sp, *res = NULL;
	char buf[16384];
	long today = (long)(time(NULL) / 86400);
	int expired = 0;

	if (user != NULL && getspnam_r(user, &sp, buf, sizeof(buf), &res) == 0 && res != NULL)
		expired = res->sp_expire != -1 && today >= res->sp_expire;
	explicit_bzero(buf, sizeof(buf)); /* it held the password hash */
	return expired;
}
