/* reader-odt: being written. */
typedef int protodex_reader_odt_placeholder;
