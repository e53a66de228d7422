# src/helper/policy: fragment of the policy module (see src/helper/local.mk)
libpfahelper_la_SOURCES += src/helper/policy.h src/helper/policy_int.h \
	src/helper/policy.c src/helper/policy_parse.c
