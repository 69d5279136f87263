# The one installed binary, linked at the top of the build tree.
bin_PROGRAMS += protodex
protodex_SOURCES = \
	%D%/protodex.c %D%/cli.h %D%/cli.c \
	%D%/output.c %D%/output.h %D%/database.c \
	%D%/cmd-show.c %D%/cmd-export.c %D%/cmd-stats.c \
	%D%/cmd-index.c %D%/cmd-search.c %D%/cmd-analyze.c %D%/cmd-parse.c \
	%D%/cmd-maintain.c %D%/cmd-serve.c
# Linked by the C++ driver because the Xapian shim is C++.
nodist_EXTRA_protodex_SOURCES = %D%/dummy.cc
# PROTODEX_LINK is $(PROTODEX_LIBS), or with --enable-static-deps the same
# libraries linked in (configure.ac).
protodex_LDADD = $(PROTODEX_LINK)
protodex_LDFLAGS = $(PROTODEX_LINK_FLAGS)
EXTRA_protodex_DEPENDENCIES = $(PROTODEX_LOCAL_LIBS)

PROTODEX_LOCAL_LIBS = \
	indexer/libindexer.a searcher/libsearcher.a stemmer/libanalysis.a \
	xapian-c/libxapianc.a common/libcommon.a
PROTODEX_LIBS = $(PROTODEX_LOCAL_LIBS) \
	$(XAPIAN_LIBS) $(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(STEMMER_LIBS)
