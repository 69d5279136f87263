noinst_LIBRARIES += %D%/libindexer.a
%C%_libindexer_a_SOURCES = \
	%D%/reader.c %D%/reader.h %D%/reader-int.h \
	%D%/charset.c \
	%D%/zip.c %D%/zip.h \
	%D%/reader-txt.c %D%/reader-docx.c \
	%D%/reader-odt.c %D%/reader-rtf.c %D%/reader-html.c %D%/reader-external.c \
	%D%/archive.c %D%/archive.h \
	%D%/indexer.c %D%/indexer.h %D%/load.c %D%/compact.c \
	%D%/gazetteer.c %D%/gazetteer.h \
	%D%/dates.c %D%/protocol.h %D%/protocol.c \
	%D%/records.c %D%/indexer-int.h %D%/text.h %D%/text.c
nodist_%C%_libindexer_a_SOURCES = %D%/gazetteer-data.c
%C%_libindexer_a_CFLAGS = $(AM_CFLAGS) $(ICU_CFLAGS) $(LIBXML_CFLAGS) $(ZLIB_CFLAGS) \
	$(LIBARCHIVE_CFLAGS)

# Data files compiled into the binary.  EMBED_C writes, on stdout, a C file
# defining `const char $$sym[]` with the text of the file $$src (CRs
# dropped; backslashes, quotes and '?' escaped, the last against
# trigraphs).  A rule sets both shell variables and runs it:
#
#   out.c: $(srcdir)/dir/data.txt
#           $(AM_V_GEN)src=$(srcdir)/dir/data.txt sym=data_txt; \
#           $(EMBED_C) >$@-t && mv -f $@-t $@
#
# The generated file lives in the build tree (VPATH builds, distcheck);
# list it in nodist_..._SOURCES and CLEANFILES, the data in EXTRA_DIST.
EMBED_C = { \
	echo "/* Generated from $$src by make; do not edit. */"; \
	echo "const char $$sym[] = \"\""; \
	tr -d '\r' <"$$src" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' \
		-e 's/^/"/' -e 's/$$/\\n"/'; \
	echo ";"; \
	}

%D%/gazetteer-data.c: $(srcdir)/%D%/data/gazetteer.tsv
	$(AM_V_GEN)$(MKDIR_P) $(@D) && src=$(srcdir)/%D%/data/gazetteer.tsv sym=gazetteer_tsv; \
	$(EMBED_C) >$@-t && mv -f $@-t $@
CLEANFILES += %D%/gazetteer-data.c
EXTRA_DIST += %D%/data/gazetteer.tsv
