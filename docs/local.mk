# Documentation: man pages are installed; the markdown files are distributed
# (protocol.md from src/helper/answer.mk, security.md from tests/hostile).
dist_man_MANS += docs/pipeforkas.3 docs/pipefork-as.8
