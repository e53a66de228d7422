# src/helper/sanitize: fragment of the sanitize module (see src/helper/local.mk)
