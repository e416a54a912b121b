#!/bin/sh
# Make DIR/hotich: a copy of the bundled hotich package (with the shared code lists beside it, in
# DIR/codelists) changed in every way `chuan diff` reports, for the golden tests of `chuan diff`
# (tests/cli/cases/diff-*). Usage: tests/diff/hotich-next.sh DIR
set -eu
out=$1
mkdir -p "$out"
cp -R standards/hotich "$out/hotich"
mkdir -p "$out/codelists"
cp standards/codelists/*.csv "$out/codelists/"
m=$out/hotich/schema/model.schema.json
jq '
  # fields: QuyenSo renamed in place, GhiChu removed, a required and an optional field added
  .allOf[1].properties |= (with_entries(if .key == "QuyenSo" then .key = "SoQuyen" else . end)
                           | del(.GhiChu)
                           | . + {"SoHoSo": {"type": "string"},
                                  "MaHoSoDienTu": {"type": "string", "pattern": "^[0-9]{10}$"}})
  # required-ness: MaTinh optional, NoiDangKy and SoHoSo required
  | .allOf[0].required = ["LoaiDangKy", "SoDangKy", "NgayDangKy", "NoiDangKy", "SoHoSo"]
  # a birth (then branch of LoaiDangKy = KS) now also needs the place of birth
  | .allOf[0].allOf[0].then.properties.NguoiDuocDangKy.required += ["NoiSinh"]
  # constraints: type widened, maxLength added (narrowed), enum widened, pattern changed
  | .allOf[1].properties.SoDangKy.type = ["string", "integer"]
  | .allOf[1].properties.NoiDangKy.maxLength = 200
  | .allOf[2].properties.LoaiDangKy.enum += ["CN"]
  | .allOf[10].properties.NguoiDuocDangKy.properties.QuocTich.pattern = "^[A-Z]{2,3}$"
  # rules: HT-008 lowered to a warning, HT-013 raised to an error, HT-009 removed, HT-014 added
  | (.allOf[] | select(.rule.id == "HT-008") | .rule.severity) = "warning"
  | (.allOf[] | select(.rule.id == "HT-013") | .rule.severity) = "error"
  | del(.allOf[] | select(.rule.id == "HT-009"))
  | .allOf += [{"rule": {"id": "HT-014", "severity": "warning",
                         "message": {"en": "SoHoSo is short", "vi": "SoHoSo quá ngắn"},
                         "source": "chuan test"},
                "properties": {"SoHoSo": {"minLength": 3}}}]
' "$m" >"$m.new"
mv "$m.new" "$m"
# formats: NDJSON dropped; settings: a date format added, a date moved; the CSV column follows the
# rename
s=$out/hotich/standard.json
jq '.version = "1.1.0" | del(.formats.ndjson)
    | .settings["hotich.date_formats"] += ["yyyy-MM-dd"]
    | .settings["hotich.communes_checked_from"] = "2025-01-01"' "$s" >"$s.new"
mv "$s.new" "$s"
t=$out/hotich/schema/hotich.tableschema.json
jq '(.fields[] | select(.name == "QuyenSo") | .name) = "SoQuyen"' "$t" >"$t.new"
mv "$t.new" "$t"
# code list provinces: 02 removed, 01 (since 2025) retired on 2027-01-01, 99 added, 04 renamed
p=$out/codelists/provinces.csv
sed -e '/^02,/d' -e 's/^01,Hà Nội,2025-07-01,$/01,Hà Nội,2025-07-01,2027-01-01/' \
    -e 's/^04,Cao Bằng,/04,Tỉnh Cao Bằng,/' "$p" >"$p.new"
echo "99,Tỉnh Thử,2027-01-01," >>"$p.new"
mv "$p.new" "$p"
