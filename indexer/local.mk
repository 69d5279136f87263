noinst_LIBRARIES += %D%/libindexer.a
%C%_libindexer_a_SOURCES = \
	%D%/reader.c %D%/reader.h %D%/reader-int.h \
	%D%/charset.c \
	%D%/zip.c %D%/zip.h \
	%D%/reader-txt.c %D%/reader-docx.c \
	%D%/indexer.c %D%/indexer.h
%C%_libindexer_a_CFLAGS = $(AM_CFLAGS) $(ICU_CFLAGS) $(LIBXML_CFLAGS) $(ZLIB_CFLAGS)
