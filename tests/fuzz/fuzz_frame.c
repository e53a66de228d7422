/*
 * libFuzzer harness: the pipe frame decoder and the parent's collector,
 * fed arbitrary bytes in arbitrary pieces (the first byte picks the piece
 * size), the way a hostile child could send them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct frame_decoder d;
	static struct collector c;
	struct pfa_opts o;
	struct pfa_result *r;
	size_t step, off = 1;

	if (size < 1)
		return 0;
	step = (size_t)data[0] + 1;
	opts_defaults(&o);
	o.max_result = 1u << 20;
	if ((r = result_new()) == NULL)
		return 0;
	collector_init(&c, &o, r);
	frame_decoder_init(&d, &collector_handler, &c);
	while (off < size) {
		size_t n = size - off < step ? size - off : step;
		if (frame_decoder_feed(&d, data + off, n) < 0)
			break;
		off += n;
	}
	(void)frame_decoder_eof(&d);
	(void)collector_finish(&c);
	/* Whatever was accepted must be readable back consistently. */
	for (size_t i = 0; i < pfa_result_field_count(r); i++) {
		const char *key;
		if (pfa_result_field(r, i, &key, NULL, NULL, NULL, NULL) != 0 || strlen(key) == 0)
			abort();
	}
	for (unsigned ch = 0; ch < PFA_CHANNELS; ch++) {
		size_t len;
		(void)pfa_result_data(r, ch, &len);
	}
	pfa_result_free(r);
	return 0;
}
