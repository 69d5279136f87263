/*
 * Fuzz target: the readers on arbitrary bytes.  Every input goes through
 * format detection and reader_read_buffer; inputs that open as a zip also
 * have each member extracted, so the zip reader is fuzzed on its own and
 * not only through word/document.xml.  Since mutations of a real DOCX
 * mostly break its CRC, every input is also wrapped, as it is, into a
 * stored word/document.xml with the right CRC, which lets the fuzzer
 * reach the XML walker directly.  An input holding the line
 * "==numbering.xml==" is also cut there: what comes before is
 * word/document.xml, what follows word/numbering.xml (and, after a line
 * "==styles.xml==", word/styles.xml), so list numbering is fuzzed with
 * its parts intact.  Every input is likewise wrapped as the content.xml
 * of an ODT package, and read as the body of an RTF document ("{\rtf1 "
 * input "}").  .doc and PDF inputs would run antiword and pdftotext,
 * which are not ours to fuzz and cost a fork each: they are off (the
 * readers report the programs missing) unless FUZZ_READER_TOOLS is set
 * in the environment.  A crash, or a broken invariant checked below
 * (abort), is a bug.
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

typedef struct part {
	const char *name;
	const uint8_t *data;
	size_t size;
} part_t;

/* A stored zip of parts[0..n). */
static void
wrap_parts(const part_t *parts, size_t n, strbuf_t *zip)
{
	uint32_t crc[3], offset[3];
	size_t cd;
	for (size_t i = 0; i < n; i++) {
		const part_t *p = &parts[i];
		crc[i] = (uint32_t)crc32(0, p->data, (uInt)p->size);
		offset[i] = (uint32_t)zip->len;
		put32(zip, 0x04034b50);
		put16(zip, 20);
		put16(zip, 0);
		put16(zip, 0);
		put32(zip, 0);
		put32(zip, crc[i]);
		put32(zip, (uint32_t)p->size);
		put32(zip, (uint32_t)p->size);
		put16(zip, (unsigned)strlen(p->name));
		put16(zip, 0);
		strbuf_adds(zip, p->name);
		strbuf_add(zip, p->data, p->size);
	}
	cd = zip->len;
	for (size_t i = 0; i < n; i++) {
		const part_t *p = &parts[i];
		put32(zip, 0x02014b50);
		put16(zip, 20);
		put16(zip, 20);
		put16(zip, 0);
		put16(zip, 0);
		put32(zip, 0);
		put32(zip, crc[i]);
		put32(zip, (uint32_t)p->size);
		put32(zip, (uint32_t)p->size);
		put16(zip, (unsigned)strlen(p->name));
		for (int k = 0; k < 4; k++)
			put16(zip, 0);
		put32(zip, 0);
		put32(zip, offset[i]);
		strbuf_adds(zip, p->name);
	}
	put32(zip, 0x06054b50);
	put32(zip, 0);
	put16(zip, (unsigned)n);
	put16(zip, (unsigned)n);
	put32(zip, (uint32_t)(zip->len - 12 - cd));
	put32(zip, (uint32_t)cd);
	put16(zip, 0);
}

/* A one-member stored zip: data as word/document.xml. */
static void
wrap_as_docx(const uint8_t *data, size_t size, strbuf_t *zip)
{
	part_t part = { "word/document.xml", data, size };
	wrap_parts(&part, 1, zip);
}

/* A stored ODT package: data as content.xml. */
static void
wrap_as_odt(const uint8_t *data, size_t size, strbuf_t *zip)
{
	static const char mimetype[] = "application/vnd.oasis.opendocument.text";
	part_t parts[2] = {
		{ "mimetype", (const uint8_t *)mimetype, sizeof mimetype - 1 },
		{ "content.xml", data, size },
	};
	wrap_parts(parts, 2, zip);
}

#define NUMBERING_CUT "\n==numbering.xml==\n"
#define STYLES_CUT "\n==styles.xml==\n"

/*
 * Cut the input into document, numbering and styles parts (see above);
 * 0 if it holds no NUMBERING_CUT.
 */
static int
wrap_with_numbering(const uint8_t *data, size_t size, strbuf_t *zip)
{
	const size_t nl = sizeof NUMBERING_CUT - 1, sl = sizeof STYLES_CUT - 1;
	const uint8_t *cut = memmem(data, size, NUMBERING_CUT, nl), *rest, *styles;
	part_t parts[3];
	size_t n = 2, rest_size;
	if (!cut)
		return 0;
	rest = cut + nl;
	rest_size = size - (size_t)(rest - data);
	parts[0] = (part_t){ "word/document.xml", data, (size_t)(cut - data) };
	parts[1] = (part_t){ "word/numbering.xml", rest, rest_size };
	styles = memmem(rest, rest_size, STYLES_CUT, sl);
	if (styles) {
		parts[1].size = (size_t)(styles - rest);
		parts[2] = (part_t){ "word/styles.xml", styles + sl,
				     rest_size - parts[1].size - sl };
		n = 3;
	}
	wrap_parts(parts, n, zip);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	strbuf_t wrapped = STRBUF_INIT;
	reader_doc_t doc;
	reader_status_t st;
	zip_t z;
	char err[256];

	static int tools_set;
	if (!tools_set) {
		reader_set_tool_path(getenv("FUZZ_READER_TOOLS") ? NULL : "");
		tools_set = 1;
	}
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
		wrap_as_odt(data, size, &wrapped);
		st = reader_read_buffer("fuzz.odt", wrapped.buf, wrapped.len, &doc);
		check_doc(&doc, st);
		reader_doc_release(&doc);
		strbuf_release(&wrapped);
		strbuf_adds(&wrapped, "{\\rtf1 ");
		strbuf_add(&wrapped, data, size);
		strbuf_addch(&wrapped, '}');
		st = reader_read_buffer("fuzz.rtf", wrapped.buf, wrapped.len, &doc);
		check_doc(&doc, st);
		reader_doc_release(&doc);
		strbuf_release(&wrapped);
		if (wrap_with_numbering(data, size, &wrapped)) {
			st = reader_read_buffer("fuzz.docx", wrapped.buf, wrapped.len, &doc);
			check_doc(&doc, st);
			reader_doc_release(&doc);
			strbuf_release(&wrapped);
		}
	}
	return 0;
}
