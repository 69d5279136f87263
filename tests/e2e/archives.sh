# Archives: an upload tree with a zip whose names are CP866 (no UTF-8
# flag, as old Windows archivers write them), a zip inside it, a tar.gz
# and a broken zip beside the good ones.  Every member is a source of its
# own, "ARCHIVE!/MEMBER"; what cannot be read is reported and listed by
# `stats --errors`, and the run exits 5.
. "$(dirname "$0")/lib.sh"

UP="$WORK/up"
DB="$WORK/db"
mkdir -p "$UP/2023"
printf 'ПРОТОКОЛ № 8\nсовещания руководителей общеобразовательных организаций\nот 02.03.2022\nРешили:\n1. Обеспечить зеленоглазую каракатицу в отчётах.\nСрок: до 01.04.2022\n' \
	>"$WORK/deep.txt"
"$PROTODEX_CORPUS" docx "$WORK/deep.txt" "$WORK/deep.docx" || fail "make the .docx"

python3 - "$WORK/deep.docx" "$UP" <<'PY' || fail "build the archives"
import io, os, sys, tarfile, zipfile

class RawName(zipfile.ZipInfo):
    """A member name written as raw bytes, without the UTF-8 flag."""
    def __init__(self, raw):
        super().__init__(raw.decode("latin-1"))
        self.raw = raw
    def _encodeFilenameFlags(self):
        return self.raw, self.flag_bits & ~0x800

docx = open(sys.argv[1], "rb").read()
up = sys.argv[2]
text = ("ПРОТОКОЛ\nсовещания руководителей ОО\nот 01.02.2023\nРешили:\n"
        "1. Провести мониторинг объективности ВПР.\nСрок: до 01.03.2023\n").encode()
tar_text = ("ПРОТОКОЛ\nзаседания методического совета\nот 05.05.2023\nРешили:\n"
            "1. Утвердить план пурпурного семинара.\n").encode()

inner = io.BytesIO()
with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(RawName("Протокол №8.docx".encode("cp866")), docx)
with zipfile.ZipFile(os.path.join(up, "upload.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(RawName("Вложение.zip".encode("cp866")), inner.getvalue())
    z.writestr(RawName("Протокол №3.txt".encode("cp866")), text)
    z.writestr(RawName("Скан.png".encode("cp866")), b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
with tarfile.open(os.path.join(up, "2023", "protocols.tar.gz"), "w:gz",
                  format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo("май/протокол.txt")
    ti.size = len(tar_text)
    t.addfile(ti, io.BytesIO(tar_text))
good = io.BytesIO()
with zipfile.ZipFile(good, "w", zipfile.ZIP_STORED) as z:
    z.writestr("a.txt", b"x" * 300)
open(os.path.join(up, "broken.zip"), "wb").write(good.getvalue()[:150])
open(os.path.join(up, "plain.txt"), "wb").write(text.replace(b"01.02.2023", b"02.02.2023"))
PY

check_status "index the uploads" 5 "$PROTODEX" index --db "$DB" "$UP"
check_contains "the unreadable member is named inside its archive" "$WORK/err" \
	"protodex: skipping '$UP/upload.zip!/Скан.png': PNG image"
check_contains "the broken zip is reported" "$WORK/err" "protodex: skipping '$UP/broken.zip': "
check_contains "members are counted" "$WORK/err" "4 indexed, 0 unchanged, 2 skipped"

# The phrase only in the CP866-named .docx inside the zip inside the zip.
"$PROTODEX" search --db "$DB" --format json 'зеленоглазая каракатица' >"$WORK/hits" ||
	fail "search the nested .docx"
check_contains "found with its full source path" "$WORK/hits" \
	"\"path\":\"$UP/upload.zip!/Вложение.zip!/Протокол №8.docx\""
check_eq "path: finds the nested member by its archives" "1" \
	"$("$PROTODEX" search --db "$DB" --count 'type:protocol путь:"upload.zip!/Вложение.zip"')"
check_eq "path: a member's own name" "1" \
	"$("$PROTODEX" search --db "$DB" --count 'type:protocol path:"Протокол №8.docx"')"
"$PROTODEX" search --db "$DB" --format json 'пурпурный семинар' >"$WORK/hits" ||
	fail "search the tar.gz"
check_contains "tar.gz member" "$WORK/hits" "\"path\":\"$UP/2023/protocols.tar.gz!/май/протокол.txt\""
"$PROTODEX" search --db "$DB" --format json --limit 100 'объективность ВПР' >"$WORK/hits" ||
	fail "search the plain members"
check_contains "CP866 .txt member" "$WORK/hits" "\"path\":\"$UP/upload.zip!/Протокол №3.txt\""
check_contains "the plain file beside" "$WORK/hits" "\"path\":\"$UP/plain.txt\""

check_status "stats --errors" 0 "$PROTODEX" stats --db "$DB" --errors
check_contains "lists the member" "$WORK/out" "$UP/upload.zip!/Скан.png: PNG image"
check_contains "lists the broken zip" "$WORK/out" "$UP/broken.zip: "
check_eq "only those" 2 "$(wc -l <"$WORK/out")"
check_status "stats --errors --format json" 0 "$PROTODEX" stats --db "$DB" --errors --format json
python3 - "$WORK/out" "$UP" <<'PY' || fail "stats --errors JSON"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
paths = sorted(s["path"] for s in d["skipped"])
assert paths == [sys.argv[2] + "/broken.zip", sys.argv[2] + "/upload.zip!/Скан.png"], paths
assert all(s["reason"] for s in d["skipped"]) and d["more"] == 0, d
PY
pass
check_status "stats --help mentions --errors" 0 "$PROTODEX" stats --help
check_contains "--errors documented" "$WORK/out" "--errors"

# Again: the archives are unchanged (the broken zip is tried again), and
# what was skipped inside an unchanged archive is still listed.
check_status "index again" 5 "$PROTODEX" index --db "$DB" "$UP"
check_contains "unchanged archives count once" "$WORK/err" "0 indexed, 3 unchanged, 1 skipped"
check_status "stats --errors after the second run" 0 "$PROTODEX" stats --db "$DB" --errors
check_contains "still lists the member" "$WORK/out" "$UP/upload.zip!/Скан.png"

# A changed archive loses its old members; all good now: exit 0.
rm "$UP/broken.zip"
python3 - "$UP/upload.zip" <<'PY' || fail "rewrite upload.zip"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("new.txt", "ПРОТОКОЛ\nсовещания\nот 03.03.2023\nРешили:\n1. Сделать.\n")
PY
check_status "index the changed upload" 0 "$PROTODEX" index --db "$DB" "$UP"
check_status "the nested .docx is gone" 1 "$PROTODEX" search --db "$DB" 'зеленоглазая каракатица'
check_status "stats --errors, nothing skipped" 0 "$PROTODEX" stats --db "$DB" --errors
check_contains "says so" "$WORK/out" "nothing was skipped"

finish
