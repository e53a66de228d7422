# Examples: built here against the uninstalled library (so they always
# compile), and by tests/e2e/example.sh and scripts/demo against the
# installed one through pkg-config alone (examples/Makefile.example).
noinst_PROGRAMS += examples/eggman
examples_eggman_SOURCES = examples/eggman.c
examples_eggman_LDADD = libpipeforkas.la
EXTRA_DIST += examples/Makefile.example examples/webmail/webmail.py
