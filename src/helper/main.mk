# src/helper/main: fragment of the main module (see src/helper/local.mk)
