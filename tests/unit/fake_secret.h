/* fake_secret.h — knobs of the fake terminal in fake_secret.c. */
#ifndef PFA_FAKE_SECRET_H
#define PFA_FAKE_SECRET_H

extern const char *fake_tty_answer;
extern int fake_tty_fail;
extern int fake_tty_calls;
extern char fake_tty_prompt[128];

#endif
