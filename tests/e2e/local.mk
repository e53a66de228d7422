# End-to-end tests: shell scripts printing TAP, run as root inside the lab
# (tests/lab/runtest), skipped with 77 otherwise.
E2E_TESTS = tests/e2e/example.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/tap.sh
