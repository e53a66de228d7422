# src/helper/cli: fragment of the cli module (see src/helper/local.mk)
