# End-to-end tests: shell scripts printing TAP, run as root inside the lab
# (tests/lab/runtest), skipped with 77 otherwise.
E2E_TESTS = tests/e2e/example.sh \
	tests/e2e/caps.sh \
	tests/e2e/stalled_reader.sh \
	tests/e2e/compat_apache.sh \
	tests/e2e/compat_checkpassword.sh \
	tests/e2e/compat_dovecot.sh \
	tests/e2e/helper_auth.sh \
	tests/e2e/helper_id.sh \
	tests/e2e/helper_fresh.sh \
	tests/e2e/helper_exec.sh \
	tests/e2e/files_maildir.sh \
	tests/e2e/files_perms.sh \
	tests/e2e/files_write.sh \
	tests/e2e/files_fallback.sh \
	tests/e2e/files_sizes.sh \
	tests/e2e/files_names.sh \
	tests/e2e/files_list.sh \
	tests/e2e/webmail.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/tap.sh tests/e2e/lib.sh \
	tests/e2e/files_lib.sh tests/e2e/rss.py tests/e2e/compat_lib.sh
