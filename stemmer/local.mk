noinst_LIBRARIES += %D%/libanalysis.a
%C%_libanalysis_a_SOURCES = %D%/stemmer.c %D%/stemmer.h
%C%_libanalysis_a_CFLAGS = $(AM_CFLAGS) $(ICU_CFLAGS)
