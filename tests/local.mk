# Tests: Criterion suites per module (tests/unit), end-to-end scripts that
# run the built binary on real files (tests/e2e), and fuzz targets
# (tests/fuzz) that `make check` replays over their regression inputs.

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	PROTODEX='$(abs_top_builddir)/protodex'; \
	PROTODEX_CORPUS='$(abs_top_builddir)/corpus/protodex-corpus'; \
	PROTODEX_SEEDS="$${PROTODEX_SEEDS:-$(abs_top_srcdir)/../shared/seeds}"; \
	TESTS_SRCDIR='$(abs_top_srcdir)/tests'; \
	TESTS_BUILDDIR='$(abs_top_builddir)/tests'; \
	export PROTODEX PROTODEX_CORPUS PROTODEX_SEEDS TESTS_SRCDIR TESTS_BUILDDIR;

UNIT_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
UNIT_LIBS = $(CRITERION_LIBS)

if HAVE_CRITERION
check_PROGRAMS += \
	tests/unit/test_common \
	tests/unit/test_xapian_c \
	tests/unit/test_stemmer \
	tests/unit/test_readers \
	tests/unit/test_corpus \
	tests/unit/test_cli \
	tests/unit/test_gazetteer \
	tests/unit/test_dates \
	tests/unit/test_protocol \
	tests/unit/test_query \
	tests/unit/test_searcher
TESTS += \
	tests/unit/test_common \
	tests/unit/test_xapian_c \
	tests/unit/test_stemmer \
	tests/unit/test_readers \
	tests/unit/test_corpus \
	tests/unit/test_cli \
	tests/unit/test_gazetteer \
	tests/unit/test_dates \
	tests/unit/test_protocol \
	tests/unit/test_query \
	tests/unit/test_searcher
endif

# The archive layer (indexer/archive.c) on zips built byte by byte and on
# tar.gz and 7z from libarchive's writer.
if HAVE_CRITERION
check_PROGRAMS += tests/unit/test_archive
TESTS += tests/unit/test_archive
endif
tests_unit_test_archive_SOURCES = tests/unit/test_archive.c
tests_unit_test_archive_CFLAGS = $(UNIT_CFLAGS) $(LIBARCHIVE_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_archive_LDADD = indexer/libindexer.a common/libcommon.a \
	$(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(UNIT_LIBS)

tests_unit_test_query_SOURCES = tests/unit/test_query.c
tests_unit_test_query_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_query_LDADD = searcher/libsearcher.a common/libcommon.a $(ICU_LIBS) $(UNIT_LIBS)

tests_unit_test_searcher_SOURCES = tests/unit/test_searcher.c
nodist_EXTRA_tests_unit_test_searcher_SOURCES = cli/dummy.cc
tests_unit_test_searcher_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_searcher_LDADD = searcher/libsearcher.a stemmer/libanalysis.a \
	xapian-c/libxapianc.a common/libcommon.a \
	$(XAPIAN_LIBS) $(ICU_LIBS) $(STEMMER_LIBS) $(UNIT_LIBS)

tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_common_LDADD = common/libcommon.a $(UNIT_LIBS)

tests_unit_test_xapian_c_SOURCES = tests/unit/test_xapian_c.c
nodist_EXTRA_tests_unit_test_xapian_c_SOURCES = cli/dummy.cc
tests_unit_test_xapian_c_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_xapian_c_LDADD = xapian-c/libxapianc.a common/libcommon.a \
	$(XAPIAN_LIBS) $(UNIT_LIBS)

tests_unit_test_stemmer_SOURCES = tests/unit/test_stemmer.c
tests_unit_test_stemmer_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_stemmer_LDADD = stemmer/libanalysis.a common/libcommon.a \
	$(ICU_LIBS) $(STEMMER_LIBS) $(UNIT_LIBS)

tests_unit_test_readers_SOURCES = tests/unit/test_readers.c
tests_unit_test_readers_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_readers_LDADD = indexer/libindexer.a corpus/libcorpus.a \
	common/libcommon.a $(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(UNIT_LIBS)

tests_unit_test_corpus_SOURCES = tests/unit/test_corpus.c
tests_unit_test_corpus_CFLAGS = $(UNIT_CFLAGS) $(LIBXML_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_corpus_LDADD = corpus/libcorpus.a indexer/libindexer.a \
	common/libcommon.a $(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(UNIT_LIBS)

# CLI argument handling, tested on the CLI's own parsing code.
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c cli/cli.c cli/cli.h
tests_unit_test_cli_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cli_LDADD = common/libcommon.a $(UNIT_LIBS)

tests_unit_test_gazetteer_SOURCES = tests/unit/test_gazetteer.c
tests_unit_test_gazetteer_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_gazetteer_LDADD = indexer/libindexer.a common/libcommon.a \
	$(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(UNIT_LIBS)

tests_unit_test_dates_SOURCES = tests/unit/test_dates.c
tests_unit_test_dates_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_dates_LDADD = indexer/libindexer.a common/libcommon.a \
	$(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(UNIT_LIBS)

tests_unit_test_protocol_SOURCES = tests/unit/test_protocol.c
tests_unit_test_protocol_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_protocol_LDADD = indexer/libindexer.a common/libcommon.a \
	$(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(UNIT_LIBS)

# End-to-end: the real binary on real files.
E2E_TESTS = \
	tests/e2e/analyze.sh \
	tests/e2e/morphology.sh \
	tests/e2e/seeds.sh \
	tests/e2e/corpus.sh \
	tests/e2e/cli-errors.sh \
	tests/e2e/anatomy.sh \
	tests/e2e/records.sh \
	tests/e2e/query.sh \
	tests/e2e/archives.sh \
	tests/e2e/ingest.sh \
	tests/e2e/queries.sh \
	tests/e2e/maintain.sh \
	tests/e2e/incremental.sh \
	tests/e2e/shards.sh \
	tests/e2e/load.sh \
	tests/fuzz/replay.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib.sh tests/e2e/expect.py tests/e2e/compare_records.py \
	tests/e2e/analyst_queries.py tests/e2e/shard_key.py \
	tests/expected tests/corpora/README \
	tests/fuzz/regress

# Fuzz targets.  Every target is built for `make check` with a standalone
# driver that replays files (tests/fuzz/replay.sh feeds it the regression
# inputs and generated files); --enable-fuzzing (CC=clang) builds the same
# sources as libFuzzer binaries, run by `make fuzz FUZZ_SECONDS=N`.
FUZZ_TARGETS = tests/fuzz/fuzz_reader tests/fuzz/fuzz_stemmer tests/fuzz/fuzz_dates \
	tests/fuzz/fuzz_protocol tests/fuzz/fuzz_query tests/fuzz/fuzz_archive \
	tests/fuzz/fuzz_wordlist tests/fuzz/fuzz_stub
FUZZ_LIBS = indexer/libindexer.a stemmer/libanalysis.a common/libcommon.a \
	$(ICU_LIBS) $(LIBXML_LIBS) $(ZLIB_LIBS) $(LIBARCHIVE_LIBS) $(STEMMER_LIBS)
# Targets that reach the searcher, and through it Xapian (linked as C++).
FUZZ_SEARCHER_LIBS = searcher/libsearcher.a xapian-c/libxapianc.a $(FUZZ_LIBS) $(XAPIAN_LIBS)

if ENABLE_FUZZING
FUZZ_ENGINE = -fsanitize=fuzzer
FUZZ_DRIVER =
noinst_PROGRAMS += $(FUZZ_TARGETS)
else
FUZZ_ENGINE =
FUZZ_DRIVER = tests/fuzz/libfuzzdriver.a
check_LIBRARIES = tests/fuzz/libfuzzdriver.a
check_PROGRAMS += $(FUZZ_TARGETS)
endif
tests_fuzz_libfuzzdriver_a_SOURCES = tests/fuzz/standalone.c

tests_fuzz_fuzz_reader_SOURCES = tests/fuzz/fuzz_reader.c
tests_fuzz_fuzz_reader_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_reader_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_reader_LDADD = $(FUZZ_DRIVER) $(FUZZ_LIBS)

tests_fuzz_fuzz_stemmer_SOURCES = tests/fuzz/fuzz_stemmer.c
tests_fuzz_fuzz_stemmer_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_stemmer_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_stemmer_LDADD = $(FUZZ_DRIVER) $(FUZZ_LIBS)

tests_fuzz_fuzz_dates_SOURCES = tests/fuzz/fuzz_dates.c
tests_fuzz_fuzz_dates_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_dates_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_dates_LDADD = $(FUZZ_DRIVER) $(FUZZ_LIBS)

tests_fuzz_fuzz_protocol_SOURCES = tests/fuzz/fuzz_protocol.c
tests_fuzz_fuzz_protocol_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_protocol_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_protocol_LDADD = $(FUZZ_DRIVER) $(FUZZ_LIBS)

tests_fuzz_fuzz_archive_SOURCES = tests/fuzz/fuzz_archive.c
tests_fuzz_fuzz_archive_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_archive_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_archive_LDADD = $(FUZZ_DRIVER) $(FUZZ_LIBS)

tests_fuzz_fuzz_wordlist_SOURCES = tests/fuzz/fuzz_wordlist.c
tests_fuzz_fuzz_wordlist_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_wordlist_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_wordlist_LDADD = $(FUZZ_DRIVER) $(FUZZ_LIBS)

tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c
nodist_EXTRA_tests_fuzz_fuzz_query_SOURCES = cli/dummy.cc
tests_fuzz_fuzz_query_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_query_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_query_LDADD = $(FUZZ_DRIVER) $(FUZZ_SEARCHER_LIBS)

tests_fuzz_fuzz_stub_SOURCES = tests/fuzz/fuzz_stub.c
nodist_EXTRA_tests_fuzz_fuzz_stub_SOURCES = cli/dummy.cc
tests_fuzz_fuzz_stub_CFLAGS = $(AM_CFLAGS) $(FUZZ_ENGINE)
tests_fuzz_fuzz_stub_LDFLAGS = $(FUZZ_ENGINE)
tests_fuzz_fuzz_stub_LDADD = $(FUZZ_DRIVER) $(FUZZ_SEARCHER_LIBS)

FUZZ_SECONDS = 60
fuzz: $(FUZZ_TARGETS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  n=$$(basename $$t); mkdir -p fuzz-work/$$n; \
	  echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
	  ./$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
	    fuzz-work/$$n $(srcdir)/tests/fuzz/regress/$$n; \
	done
.PHONY: fuzz
