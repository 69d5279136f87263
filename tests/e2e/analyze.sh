# protodex analyze: one analysis chain, shown term by term.
. "$(dirname "$0")/lib.sh"

a=$(echo 'Объективности проверочных работ' | "$PROTODEX" analyze)
b=$(echo 'объективность проверочная работа' | "$PROTODEX" analyze)
check_eq "inflected forms print the same terms" "$b" "$a"
check_eq "three terms, one per line" 3 "$(printf '%s\n' "$a" | wc -l)"

s1=$("$PROTODEX" analyze школам)
s2=$("$PROTODEX" analyze школ)
check_eq "школам and школ share a term" "$s2" "$s1"

check_eq "ё folds to е" "$("$PROTODEX" analyze 'Ещё')" "$("$PROTODEX" analyze 'еще')"
check_status "й is not folded to и" 0 test "$("$PROTODEX" analyze 'мой')" != "$("$PROTODEX" analyze 'мои')"

"$PROTODEX" analyze 'МБОУ «СОШ №6», ПЭТ-2, 2022-2023 уч. год, пункт 1.4' >"$WORK/terms"
for t in '№6' 'пэт-2' '2022-2023' '1.4'; do
	check_contains "special token kept whole" "$WORK/terms" "$t"
done

"$PROTODEX" analyze --details 'Срок: до 01.12.2021' >"$WORK/details"
check_contains "details show surface and term" "$WORK/details" "$(printf 'Срок\tсрок')"
check_contains "dates are one number token" "$WORK/details" "$(printf 'number\t01.12.2021\t01.12.2021')"

# Input in windows-1251 is recognised and gives the same terms.
printf 'Объективности проверочных работ\n' >"$WORK/u8.txt"
"$PROTODEX_CORPUS" encode windows-1251 "$WORK/u8.txt" "$WORK/cp.txt"
check_eq "windows-1251 input analysed the same" "$a" "$("$PROTODEX" analyze <"$WORK/cp.txt")"

check_status "analyze --help" 0 "$PROTODEX" analyze --help
check_contains "help names the command" "$WORK/out" "usage: protodex analyze"
check_status "empty input is fine" 0 "$PROTODEX" analyze </dev/null

finish
