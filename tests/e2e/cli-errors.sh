# Usage errors, help texts, exit statuses and broken input.
. "$(dirname "$0")/lib.sh"

check_status "no command" 2 "$PROTODEX"
check_contains "usage lists commands" "$WORK/err" "Commands:"
check_status "unknown command" 2 "$PROTODEX" frobnicate
check_contains "names the unknown command" "$WORK/err" "'frobnicate' is not a protodex command"
check_status "--version" 0 "$PROTODEX" --version
check_contains "version printed" "$WORK/out" "protodex "
check_status "--help" 0 "$PROTODEX" --help

for cmd in index search show export stats parse analyze; do
	check_status "$cmd --help" 0 "$PROTODEX" "$cmd" --help
	check_contains "$cmd --help prints usage" "$WORK/out" "usage: protodex $cmd"
	check_status "help $cmd" 0 "$PROTODEX" help "$cmd"
done

check_status "unknown option" 2 "$PROTODEX" search --bogus x
check_contains "unknown option named, --help pointed to" "$WORK/err" "unknown option '--bogus'"
check_contains "points to --help" "$WORK/err" "protodex search --help"
check_status "bad --limit" 2 "$PROTODEX" search --limit many x
check_contains "bad --limit named" "$WORK/err" "--limit"
check_status "bad --format" 2 "$PROTODEX" search --format xml x
check_status "search without query" 2 "$PROTODEX" search
check_status "index without path" 2 "$PROTODEX" index

check_status "search without a database" 3 "$PROTODEX" search --db "$WORK/none" школа
check_contains "says where it looked and what to do" "$WORK/err" "$WORK/none"
check_contains "suggests indexing" "$WORK/err" "protodex index"

# A broken file beside good ones: reported by name, skipped, the rest indexed.
mkdir "$WORK/in"
printf 'Протокол совещания\nРешили: провести мониторинг объективности\n' >"$WORK/in/good.txt"
printf 'PK\003\004 this is not really a zip archive' >"$WORK/in/broken.docx"
head -c 3000 /dev/urandom >"$WORK/in/noise.txt"
: >"$WORK/in/empty.txt"
check_status "index with broken files" 5 "$PROTODEX" index --db "$WORK/db" "$WORK/in"
check_contains "broken docx named" "$WORK/err" "skipping '$WORK/in/broken.docx'"
check_contains "binary .txt named" "$WORK/err" "skipping '$WORK/in/noise.txt'"
check_contains "empty file named" "$WORK/err" "skipping '$WORK/in/empty.txt'"
check_contains "summary counts" "$WORK/err" "1 indexed, 0 unchanged, 3 skipped"
check_status "the good file is searchable" 0 "$PROTODEX" search --db "$WORK/db" объективность
check_contains "good file found" "$WORK/out" "good.txt"
check_status "missing path" 5 "$PROTODEX" index --db "$WORK/db" "$WORK/in/good.txt" "$WORK/nope"
check_contains "missing path named" "$WORK/err" "$WORK/nope"

# A query with nothing to search for is a usage error, not a crash.
check_status "punctuation-only query" 2 "$PROTODEX" search --db "$WORK/db" '!!!'

# A database built by an incompatible analyzer is refused with advice.
if command -v xapian-metadata >/dev/null; then
	xapian-metadata set "$WORK/db" protodex:analyzer old-analyzer-0
	check_status "incompatible database refused" 3 "$PROTODEX" search --db "$WORK/db" объективность
	check_contains "says to re-index" "$WORK/err" "re-index"
	check_status "incompatible database refused by index" 3 "$PROTODEX" index --db "$WORK/db" "$WORK/in/good.txt"
fi

# The database location falls back to $XDG_DATA_HOME/protodex.
unset PROTODEX_DB
export XDG_DATA_HOME="$WORK/xdg"
check_status "index to the XDG location" 0 "$PROTODEX" index "$WORK/in/good.txt"
check_status "database created under XDG_DATA_HOME" 0 test -d "$WORK/xdg/protodex"

finish
