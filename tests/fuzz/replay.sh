# Replay every fuzz target over its regression inputs, the seeds and a
# small generated corpus: what once crashed a parser must not again.
. "$(dirname "$0")/../e2e/lib.sh"

"$PROTODEX_CORPUS" generate --out "$WORK/gen" --count 20 --seed 3 >/dev/null ||
	fail "generate inputs"
ran=0
for bin in "$TESTS_BUILDDIR"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	t=$(basename "$bin")
	ran=$((ran + 1))
	inputs="$WORK/gen"
	[ -d "$TESTS_SRCDIR/fuzz/regress/$t" ] && inputs="$inputs $TESTS_SRCDIR/fuzz/regress/$t"
	[ -d "$PROTODEX_SEEDS" ] && inputs="$inputs $PROTODEX_SEEDS"
	# shellcheck disable=SC2086
	check_status "$t replays its inputs" 0 "$bin" $inputs
done
if [ "$ran" -eq 0 ]; then
	echo "SKIP: no fuzz target built (configured with --enable-fuzzing?)" >&2
	exit 77
fi
finish
