# src/helper/pam: fragment of the pam module (see src/helper/local.mk)
