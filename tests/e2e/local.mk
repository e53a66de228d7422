# End-to-end tests: shell scripts printing TAP, run as root inside the lab
# (tests/lab/runtest), skipped with 77 otherwise.
E2E_TESTS = tests/e2e/example.sh \
	tests/e2e/compat_apache.sh \
	tests/e2e/compat_checkpassword.sh \
	tests/e2e/compat_dovecot.sh \
	tests/e2e/helper_auth.sh \
	tests/e2e/helper_id.sh \
	tests/e2e/helper_exec.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/tap.sh tests/e2e/lib.sh tests/e2e/compat_lib.sh
