# Replay every fuzz target over its regression inputs, the seeds and a
# small generated corpus: what once crashed a parser must not again.
. "$(dirname "$0")/../e2e/lib.sh"

"$PROTODEX_CORPUS" generate --out "$WORK/gen" --count 20 --seed 3 >/dev/null ||
	fail "generate inputs"
for t in fuzz_reader fuzz_stemmer; do
	bin="$TESTS_BUILDDIR/fuzz/$t"
	if [ ! -x "$bin" ]; then
		echo "SKIP: $t not built (configured with --enable-fuzzing?)" >&2
		continue
	fi
	inputs="$WORK/gen"
	[ -d "$TESTS_SRCDIR/fuzz/regress/$t" ] && inputs="$inputs $TESTS_SRCDIR/fuzz/regress/$t"
	[ -d "$PROTODEX_SEEDS" ] && inputs="$inputs $PROTODEX_SEEDS"
	# shellcheck disable=SC2086
	check_status "$t replays its inputs" 0 "$bin" $inputs
done
finish
