/* reader-external: being written. */
typedef int protodex_reader_external_placeholder;
