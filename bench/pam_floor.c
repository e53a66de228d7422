/*
 * pam_floor SERVICE USER — `make bench`: what any program pays here that
 * does a request's unavoidable part and nothing else: exec (with libpam),
 * the user's passwd entry and group list (NSS), pam_start (which also
 * loads /etc/pam.d/other and every module it names), authenticate,
 * acct_mgmt, setcred, open_session, one fork and wait, close_session,
 * setcred delete, pam_end.  No checks, no drop, no answer: a floor to read
 * the helper's time against, not a program to use.  Exit 0 when every
 * stage succeeded.
 */
#include <grp.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* No module of the stack it is meant for asks anything. */
static int
conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)n;
	(void)msg;
	(void)resp;
	(void)data;
	return PAM_CONV_ERR;
}

int
main(int argc, char **argv)
{
	struct pam_conv pc = { conv, NULL };
	pam_handle_t *ph = NULL;
	struct passwd *pw;
	gid_t groups[256];
	int n = 256, rc, st = 1;
	pid_t pid;

	if (argc != 3 || (pw = getpwnam(argv[2])) == NULL ||
	    getgrouplist(argv[2], pw->pw_gid, groups, &n) < 0)
		return 2;
	if ((rc = pam_start(argv[1], argv[2], &pc, &ph)) != PAM_SUCCESS)
		return 3;
	if ((rc = pam_authenticate(ph, 0)) == PAM_SUCCESS && (rc = pam_acct_mgmt(ph, 0)) == PAM_SUCCESS &&
	    (rc = pam_setcred(ph, PAM_ESTABLISH_CRED)) == PAM_SUCCESS &&
	    (rc = pam_open_session(ph, 0)) == PAM_SUCCESS) {
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid > 0 && waitpid(pid, &st, 0) != pid)
			st = 1;
		rc = pam_close_session(ph, 0);
		(void)pam_setcred(ph, PAM_DELETE_CRED);
	}
	pam_end(ph, rc);
	return rc == PAM_SUCCESS && st == 0 ? 0 : 4;
}
