# Documentation: man pages are installed; the markdown files are distributed.
dist_man_MANS += docs/pipeforkas.3
EXTRA_DIST += docs/protocol.md docs/security.md
