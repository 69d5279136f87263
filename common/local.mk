noinst_LIBRARIES += %D%/libcommon.a
%C%_libcommon_a_SOURCES = \
	%D%/strbuf.c %D%/strbuf.h \
	%D%/util.c %D%/util.h \
	%D%/schema.h %D%/schema.c \
	%D%/docdata.c %D%/docdata.h
