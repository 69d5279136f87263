noinst_LIBRARIES += %D%/libsearcher.a
%C%_libsearcher_a_SOURCES = %D%/searcher.c %D%/searcher.h %D%/searcher-int.h \
	%D%/query.c %D%/query.h %D%/fields.c
