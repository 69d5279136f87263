# The project's only C++ code; only this target sees the Xapian C++ flags.
noinst_LIBRARIES += %D%/libxapianc.a
%C%_libxapianc_a_SOURCES = %D%/xapian-c.cc %D%/xapian-c.h
%C%_libxapianc_a_CXXFLAGS = $(AM_CXXFLAGS) $(XAPIAN_CFLAGS)
