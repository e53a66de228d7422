/*
 * result.c — the parent's record of a run: what the child sent (data per
 * channel, typed fields, the end code and message, a drop failure; see
 * collect.c) and how the child ended.  Everything in it came from an untrusted child
 * except code, exit_status and signal, which the parent observed itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct pfa_result *
result_new(void)
{
	struct pfa_result *r = calloc(1, sizeof(*r));

	if (r != NULL)
		r->exit_status = -1;
	return r;
}

int
result_add_data(struct pfa_result *r, unsigned channel, const uint8_t *buf, size_t len)
{
	struct pfa_chan *c = &r->chan[channel];

	if (c->cap - c->len < len + 1) {
		size_t ncap = c->cap ? c->cap : 4096;
		uint8_t *nb;
		while (ncap - c->len < len + 1) {
			if (ncap > SIZE_MAX / 2)
				return PFA_ENOMEM;
			ncap *= 2;
		}
		/* Not realloc: the old copy is wiped before it is freed. */
		if ((nb = malloc(ncap)) == NULL)
			return PFA_ENOMEM;
		if (c->buf != NULL) {
			memcpy(nb, c->buf, c->len);
			explicit_bzero(c->buf, c->cap);
			free(c->buf);
		}
		c->buf = nb;
		c->cap = ncap;
	}
	memcpy(c->buf + c->len, buf, len);
	c->len += len;
	c->buf[c->len] = '\0';
	return 0;
}

static struct pfa_field *
field_add(struct pfa_result *r, const char *key, size_t keylen, int *err)
{
	struct pfa_field *f;
	size_t i;

	*err = PFA_EPROTO;
	if (r->nfields >= PFA_FIELDS_MAX)
		return NULL;
	for (i = 0; i < r->nfields; i++)
		if (strlen(r->fields[i].key) == keylen && memcmp(r->fields[i].key, key, keylen) == 0)
			return NULL;
	*err = PFA_ENOMEM;
	if (r->nfields % 16 == 0) {
		f = realloc(r->fields, (r->nfields + 16) * sizeof(*f));
		if (f == NULL)
			return NULL;
		r->fields = f;
	}
	f = &r->fields[r->nfields];
	memset(f, 0, sizeof(*f));
	if ((f->key = strndup(key, keylen)) == NULL)
		return NULL;
	r->nfields++;
	return f;
}

int
result_add_int(struct pfa_result *r, const char *key, size_t keylen, int64_t v)
{
	int err;
	struct pfa_field *f = field_add(r, key, keylen, &err);

	if (f == NULL)
		return err;
	f->type = PFA_FIELD_INT;
	f->ival = v;
	return 0;
}

int
result_add_str(struct pfa_result *r, const char *key, size_t keylen, const uint8_t *v,
	       size_t len)
{
	int err;
	struct pfa_field *f = field_add(r, key, keylen, &err);

	if (f == NULL)
		return err;
	f->type = PFA_FIELD_STR;
	if ((f->str = malloc(len + 1)) == NULL)
		return PFA_ENOMEM;
	if (len > 0)
		memcpy(f->str, v, len);
	f->str[len] = '\0';
	f->len = len;
	return 0;
}

int
pfa_result_code(const pfa_result *res)
{
	return res != NULL ? res->code : PFA_EINVAL;
}

const void *
pfa_result_data(const pfa_result *res, unsigned channel, size_t *len)
{
	static const char empty[1] = "";

	if (len != NULL)
		*len = 0;
	if (res == NULL || channel >= PFA_CHANNELS)
		return NULL;
	if (len != NULL)
		*len = res->chan[channel].len;
	return res->chan[channel].buf != NULL ? (const void *)res->chan[channel].buf : empty;
}

uint64_t pfa_result_total(const pfa_result *res) { return res != NULL ? res->total : 0; }
int pfa_result_callback_code(const pfa_result *res) { return res != NULL ? res->cb_code : 0; }
const char *pfa_result_message(const pfa_result *res) { return res != NULL ? res->message : NULL; }
int pfa_result_exit_status(const pfa_result *res) { return res != NULL ? res->exit_status : -1; }
int pfa_result_signal(const pfa_result *res) { return res != NULL ? res->signal : 0; }
int pfa_result_reaped(const pfa_result *res) { return res != NULL && !res->unreaped; }
size_t pfa_result_field_count(const pfa_result *res) { return res != NULL ? res->nfields : 0; }

int
pfa_result_drop_failure(const pfa_result *res, int *step, int *err)
{
	if (res == NULL || !res->got_dropfail)
		return PFA_EINVAL;
	if (step != NULL)
		*step = res->drop_step;
	if (err != NULL)
		*err = res->drop_err;
	return 0;
}

int
pfa_result_field(const pfa_result *res, size_t i, const char **key, int *type,
		 int64_t *ival, const char **str, size_t *len)
{
	const struct pfa_field *f;

	if (res == NULL || i >= res->nfields)
		return PFA_EINVAL;
	f = &res->fields[i];
	if (key != NULL)
		*key = f->key;
	if (type != NULL)
		*type = f->type;
	if (ival != NULL)
		*ival = f->ival;
	if (str != NULL)
		*str = f->str;
	if (len != NULL)
		*len = f->len;
	return 0;
}

static const struct pfa_field *
find(const pfa_result *res, const char *key, int type)
{
	size_t i;

	if (res == NULL || key == NULL)
		return NULL;
	for (i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].key, key) == 0)
			return res->fields[i].type == type ? &res->fields[i] : NULL;
	return NULL;
}

int
pfa_result_get_int(const pfa_result *res, const char *key, int64_t *value)
{
	const struct pfa_field *f = find(res, key, PFA_FIELD_INT);

	if (f == NULL)
		return PFA_EINVAL;
	if (value != NULL)
		*value = f->ival;
	return 0;
}

int
pfa_result_get_str(const pfa_result *res, const char *key, const char **str, size_t *len)
{
	const struct pfa_field *f = find(res, key, PFA_FIELD_STR);

	if (f == NULL)
		return PFA_EINVAL;
	if (str != NULL)
		*str = f->str;
	if (len != NULL)
		*len = f->len;
	return 0;
}

void
pfa_result_free(pfa_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	/* What a child sent may be secret (a user's file): wipe it. */
	for (i = 0; i < PFA_CHANNELS; i++) {
		if (res->chan[i].buf != NULL)
			explicit_bzero(res->chan[i].buf, res->chan[i].cap);
		free(res->chan[i].buf);
	}
	for (i = 0; i < res->nfields; i++) {
		free(res->fields[i].key);
		if (res->fields[i].str != NULL)
			explicit_bzero(res->fields[i].str, res->fields[i].len);
		free(res->fields[i].str);
	}
	free(res->fields);
	if (res->message != NULL)
		explicit_bzero(res->message, strlen(res->message));
	free(res->message);
	explicit_bzero(res, sizeof(*res));
	free(res);
}
