# src/helper/answer: fragment of the answer module (see src/helper/local.mk)
