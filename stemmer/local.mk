# The analysis chain.  Its data is embedded in the library at build time by
# stemmer/mkdata (a generator that runs on the build machine):
#   stemmer/data.c       the data files (abbreviations, vocabulary);
#   stemmer/lemma-map.c  the stem -> lemma map, from the hunspell-ru
#                        dictionary configure found (an empty map without).
# Both are generated into the build tree, never distributed.
noinst_LIBRARIES += %D%/libanalysis.a
%C%_libanalysis_a_SOURCES = %D%/stemmer.c %D%/stemmer.h %D%/stemmer-int.h %D%/morph.c
nodist_%C%_libanalysis_a_SOURCES = %D%/data.c %D%/lemma-map.c
%C%_libanalysis_a_CFLAGS = $(AM_CFLAGS) $(ICU_CFLAGS) $(HUNSPELL_CFLAGS)

noinst_PROGRAMS += %D%/mkdata
%C%_mkdata_SOURCES = %D%/mkdata.c
%C%_mkdata_LDADD = $(SNOWBALL_LIBS)

STEMMER_TABLES = %D%/data/abbreviations.tsv %D%/data/vocabulary.tsv
EXTRA_DIST += $(STEMMER_TABLES)
CLEANFILES += %D%/data.c %D%/lemma-map.c

%D%/data.c: $(STEMMER_TABLES) %D%/mkdata$(EXEEXT)
	$(AM_V_GEN)%D%/mkdata$(EXEEXT) embed \
	  stemmer_abbreviations_tsv $(srcdir)/%D%/data/abbreviations.tsv \
	  stemmer_vocabulary_tsv $(srcdir)/%D%/data/vocabulary.tsv >$@.tmp && mv $@.tmp $@

%D%/lemma-map.c: %D%/mkdata$(EXEEXT) $(HUNSPELL_AFF) $(HUNSPELL_DIC)
	$(AM_V_GEN)if test -n "$(HUNSPELL_AFF)"; then \
	  %D%/mkdata$(EXEEXT) map "$(HUNSPELL_AFF)" "$(HUNSPELL_DIC)"; \
	else \
	  %D%/mkdata$(EXEEXT) map - -; \
	fi >$@.tmp && mv $@.tmp $@

# The morphology benchmark (bench/morphology) ships with the sources.
EXTRA_DIST += bench/morphology bench/morphology-gold.js bench/conflation.py
