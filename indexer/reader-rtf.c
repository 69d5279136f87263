/* reader-rtf: being written. */
typedef int protodex_reader_rtf_placeholder;
