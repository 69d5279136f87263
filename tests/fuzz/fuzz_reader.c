/*
 * Fuzz target: the readers on arbitrary bytes.  Every input goes through
 * format detection and reader_read_buffer; inputs that open as a zip also
 * have each member extracted, so the zip reader is fuzzed on its own and
 * not only through word/document.xml.  Since mutations of a real DOCX
 * mostly break its CRC, every input is also wrapped, as it is, into a
 * stored word/document.xml with the right CRC, which lets the fuzzer
 * reach the XML walker directly.  A crash, or a broken invariant checked
 * below (abort), is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "indexer/reader.h"
#include "indexer/zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small, so inflating a lying member costs little per run. */
#define MEMBER_MAX (4u << 20)

static void
check_doc(const reader_doc_t *doc, reader_status_t st)
{
	size_t total = 0;
	if (st != READER_OK) {
		if (doc->n_paras != 0 || doc->error[0] == '\0')
			abort();
		return;
	}
	if (doc->n_paras == 0 || doc->error[0] != '\0' || !doc->encoding)
		abort();
	for (size_t i = 0; i < doc->n_paras; i++) {
		const reader_para_t *p = &doc->paras[i];
		if (!p->text || p->len == 0 || strlen(p->text) != p->len)
			abort();
		if (p->kind != READER_PARA && p->kind != READER_CELL)
			abort();
		total += p->len;
	}
	if (total != doc->text_bytes)
		abort();
}

static void
put16(strbuf_t *sb, unsigned v)
{
	strbuf_addch(sb, v & 0xff);
	strbuf_addch(sb, (v >> 8) & 0xff);
}

static void
put32(strbuf_t *sb, uint32_t v)
{
	put16(sb, v & 0xffff);
	put16(sb, v >> 16);
}

/* A one-member stored zip: data as word/document.xml. */
static void
wrap_as_docx(const uint8_t *data, size_t size, strbuf_t *zip)
{
	static const char name[] = "word/document.xml";
	uint32_t crc = (uint32_t)crc32(0, data, (uInt)size);
	size_t cd;
	put32(zip, 0x04034b50);
	put16(zip, 20);
	put16(zip, 0);
	put16(zip, 0);
	put32(zip, 0);
	put32(zip, crc);
	put32(zip, (uint32_t)size);
	put32(zip, (uint32_t)size);
	put16(zip, sizeof name - 1);
	put16(zip, 0);
	strbuf_add(zip, name, sizeof name - 1);
	strbuf_add(zip, data, size);
	cd = zip->len;
	put32(zip, 0x02014b50);
	put16(zip, 20);
	put16(zip, 20);
	put16(zip, 0);
	put16(zip, 0);
	put32(zip, 0);
	put32(zip, crc);
	put32(zip, (uint32_t)size);
	put32(zip, (uint32_t)size);
	put16(zip, sizeof name - 1);
	for (int i = 0; i < 4; i++)
		put16(zip, 0);
	put32(zip, 0);
	put32(zip, 0);
	strbuf_add(zip, name, sizeof name - 1);
	put32(zip, 0x06054b50);
	put32(zip, 0);
	put16(zip, 1);
	put16(zip, 1);
	put32(zip, (uint32_t)(zip->len - 12 - cd));
	put32(zip, (uint32_t)cd);
	put16(zip, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	strbuf_t wrapped = STRBUF_INIT;
	reader_doc_t doc;
	reader_status_t st;
	zip_t z;
	char err[256];

	(void)reader_detect_format("fuzz.bin", data, size);
	reader_doc_init(&doc);
	st = reader_read_buffer("fuzz.bin", data, size, &doc);
	check_doc(&doc, st);
	reader_doc_release(&doc);

	if (zip_open(&z, data, size, err, sizeof err) == ZIP_OK) {
		for (size_t i = 0; i < z.n_entries; i++) {
			char *out;
			size_t out_len;
			zip_status_t zst = zip_extract_at(&z, i, MEMBER_MAX, &out,
							  &out_len, err, sizeof err);
			if ((zst == ZIP_OK) != (out != NULL))
				abort();
			if (zst != ZIP_OK && err[0] == '\0')
				abort();
			free(out);
		}
		zip_close(&z);
	}

	if (size < (1u << 20)) {
		wrap_as_docx(data, size, &wrapped);
		st = reader_read_buffer("fuzz.docx", wrapped.buf, wrapped.len, &doc);
		check_doc(&doc, st);
		reader_doc_release(&doc);
		strbuf_release(&wrapped);
	}
	return 0;
}
