/* reader-html: being written. */
typedef int protodex_reader_html_placeholder;
