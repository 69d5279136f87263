noinst_LIBRARIES += %D%/libcorpus.a
%C%_libcorpus_a_SOURCES = \
	%D%/corpus.c %D%/corpus.h %D%/corpus-int.h \
	%D%/gen.c %D%/vocab.c %D%/encode.c \
	%D%/docx-writer.c %D%/docx-writer.h \
	%D%/doc-writers.c %D%/doc-writers.h \
	%D%/uploads.c %D%/zipw.c %D%/zipw.h
%C%_libcorpus_a_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS) $(LIBARCHIVE_CFLAGS)

# The sample-corpus generator: a development tool, built but not installed.
noinst_PROGRAMS += %D%/protodex-corpus
%C%_protodex_corpus_SOURCES = %D%/main.c %D%/cmd.h \
	%D%/cmd-generate.c %D%/cmd-docx.c %D%/cmd-encode.c
%C%_protodex_corpus_LDADD = %D%/libcorpus.a common/libcommon.a $(ZLIB_LIBS) $(LIBARCHIVE_LIBS)
