# Shared helpers of the end-to-end tests (sourced).  The tests run the
# built binary on real files: the seeds in $PROTODEX_SEEDS and corpora that
# corpus/protodex-corpus generates.  Exit 77 means "skipped" to automake.

set -u
: "${PROTODEX:?run through make check}"
: "${PROTODEX_CORPUS:?run through make check}"

TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/protodex-$TEST_NAME.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PROTODEX_DB="$WORK/default-db"
export NO_COLOR=1
export LC_ALL=C.UTF-8
unset XDG_DATA_HOME

FAILURES=0
CHECKS=0

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
}

pass() {
	CHECKS=$((CHECKS + 1))
}

# check DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass
	else
		fail "$1"
		printf '  expected: %s\n  actual:   %s\n' "$2" "$3" >&2
	fi
}

# check_status DESCRIPTION EXPECTED_STATUS COMMAND...
check_status() {
	local desc=$1 want=$2
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"
	local got=$?
	if [ "$got" = "$want" ]; then
		pass
	else
		fail "$desc: exit status $got, expected $want"
		sed 's/^/  stdout: /' "$WORK/out" | head -5 >&2
		sed 's/^/  stderr: /' "$WORK/err" | head -5 >&2
	fi
}

# check_contains DESCRIPTION FILE TEXT
check_contains() {
	if grep -qF -- "$3" "$2"; then
		pass
	else
		fail "$1: '$3' not in $2"
		sed 's/^/  | /' "$2" | head -10 >&2
	fi
}

need_seeds() {
	if [ ! -d "$PROTODEX_SEEDS" ] || ! ls "$PROTODEX_SEEDS"/*.txt >/dev/null 2>&1; then
		echo "SKIP: no seed protocols in '$PROTODEX_SEEDS'" >&2
		exit 77
	fi
}

# The sorted base names (without directory and extension) of the source
# files whose protocol or decision records a JSON search prints.
search_names() {
	"$PROTODEX" search --format json --limit 10000 "$@" |
		sed -n 's/.*"path":"\([^"]*\)".*/\1/p' |
		sed 's|.*/||; s|\.[^.]*$||' | sort -u | tr '\n' ' '
}

finish() {
	echo "$TEST_NAME: $CHECKS passed, $FAILURES failed"
	[ "$FAILURES" -eq 0 ]
	exit $?
}

# `protodex check`: libxapian 1.4.22's Database::check frees a table object
# through a pointer to a smaller type, inside the library (both the new and
# the delete are in libxapian.so); AddressSanitizer builds would stop there.
protodex_check() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}new_delete_type_mismatch=0" \
		"$PROTODEX" check "$@"
}
