noinst_LIBRARIES += %D%/libsearcher.a
%C%_libsearcher_a_SOURCES = %D%/searcher.c %D%/searcher.h
