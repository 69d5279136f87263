/* archive: being written. */
typedef int protodex_archive_placeholder;
