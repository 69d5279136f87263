# Russian morphology end to end: lemmas, abbreviations and their expansions
# in both directions, on the seeds plus a few sentences written here (not
# taken from any protocol).
. "$(dirname "$0")/lib.sh"
need_seeds

# The protocols a search finds, each once (a protocol may give several hits).
names() {
	search_names "$@" | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' '
}

# Each input word gets its own, distinct keys.
"$PROTODEX" analyze --keys >"$WORK/keys" <<'EOF2'
ОО
ОУ
о
НОР
нора
МО
МОУ
EOF2
check_eq "seven words, seven lines" 7 "$(wc -l <"$WORK/keys")"
check_eq "ОО ОУ о НОР нора МО МОУ all have distinct keys" 7 \
	"$(tr ' ' '\n' <"$WORK/keys" | sed '/^$/d' | sort -u | wc -l)"
check_eq "inflected forms share the lemma" "школа" "$("$PROTODEX" analyze --keys <<<'школам')"
check_eq "vocabulary: дефициты" "дефицит" "$("$PROTODEX" analyze --keys <<<'дефициты')"
"$PROTODEX" analyze --details 'итоги всероссийских проверочных работ' >"$WORK/details"
check_contains "the expansion carries the concept" "$WORK/details" \
	"$(printf 'concept\tвсероссийских проверочных работ\t:впр\texpansion')"
check_contains "details name the step" "$WORK/details" "$(printf 'итог\tdictionary')"

# The Snowball-only chain, chosen or forced by a missing dictionary.
check_eq "--analyzer snowball" "школ" "$("$PROTODEX" analyze --keys --analyzer snowball <<<'школам')"
PROTODEX_HUNSPELL_DIR="$WORK/none" "$PROTODEX" analyze школам ОО >"$WORK/out" 2>"$WORK/err"
check_eq "without the dictionary: Snowball and abbreviations" "школ :оо" "$(tr '\n' ' ' <"$WORK/out" | sed 's/ $//')"
check_eq "the fallback is announced once" 1 "$(grep -c 'dictionary is not installed' "$WORK/err")"

mkdir "$WORK/extra"
printf 'ПРОТОКОЛ\nСлушали: об итогах всероссийских проверочных работ по математике в школах района.\n' \
	>"$WORK/extra/long-genitive.txt"
printf 'ПРОТОКОЛ\nВсероссийская проверочная работа по русскому языку прошла в срок.\n' \
	>"$WORK/extra/long-nominative.txt"
printf 'ПРОТОКОЛ\nО норе лисы в парке и о нор барсуков.\n' >"$WORK/extra/only-o.txt"
check_status "index the seeds and the sentences" 0 "$PROTODEX" index "$PROTODEX_SEEDS" "$WORK/extra"

vpr_seeds=$(grep -l -w 'ВПР' "$PROTODEX_SEEDS"/*.txt | sed 's|.*/||; s|\.txt$||' | sort | tr '\n' ' ')
check_status "some seed says ВПР" 0 test -n "$vpr_seeds"
want=$(printf '%s\n' $vpr_seeds long-genitive long-nominative | sort | tr '\n' ' ')
check_eq "ВПР finds the long forms" "$want" "$(names ВПР)"
check_eq "the genitive long form finds ВПР" "$want" "$(names 'всероссийских проверочных работ')"
check_eq "the nominative long form finds ВПР" "$want" "$(names 'Всероссийская проверочная работа')"
check_eq "lower-case впр too" "$want" "$(names впр)"
check_eq "a phrase before the concept" "long-genitive " "$(names '"итоги ВПР"')"
check_eq "a phrase after the concept" "long-genitive " "$(names '"ВПР по математике"')"
check_eq "a phrase of the long form" "long-genitive " \
	"$(names '"итоги всероссийской проверочной работы по математике"')"

oo=$(names ОО)
case " $oo " in
*" only-o "*) fail "ОО finds a text that only has «о»" ;;
*) pass ;;
esac
check_status "ОО finds seeds" 0 test -n "$oo"
check_eq "НОР does not find «нор», «норе»" "" "$(names НОР | tr ' ' '\n' | grep -x only-o)"
check_eq "нора finds «норе» and «нор»" "only-o " "$(names нора)"
nor_seeds=$(grep -l -w 'НОР' "$PROTODEX_SEEDS"/*.txt | sed 's|.*/||; s|\.txt$||' | sort | tr '\n' ' ')
for s in $nor_seeds; do
	case " $(names НОР) " in
	*" $s "*) pass ;;
	*) fail "НОР does not find $s" ;;
	esac
done

# The database records the analyser: another chain asks for re-indexing.
PROTODEX_ANALYZER=snowball "$PROTODEX" search ВПР >"$WORK/refused" 2>"$WORK/refused-err"
check_status "a changed analyser is refused" 0 test $? -ne 0
check_contains "and asks for re-indexing" "$WORK/refused-err" "re-index"

finish
