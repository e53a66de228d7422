# src/helper/policy: fragment of the policy module (see src/helper/local.mk)
