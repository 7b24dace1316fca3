#!/usr/bin/env bash
# Packaging smoke test: build the Seoul installers, then use ONLY the frozen executables
# (unpacked from the tarball into a path with a space, Hangul and a '%', run from outside
# the repository with a clean environment) for: forms check, device init with the preset
# key, record, sync push, sync pull into a hub, export (through the frozen export helper
# process); the frozen GUI offscreen in Korean (screenshot; again with no system fonts:
# the bundled Noto Sans CJK); the tarball's menu entry; the .deb unpacked with
# `dpkg -x` and started from there (CLI and GUI under Xvfb). Also compiles the NSIS script.
#   bash packaging/smoke.sh            # results in build/smoke/ (screenshots, results.json)
# Skipped, with the reason printed, when PyInstaller is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
py=${PYTHON:-$repo/.venv/bin/python}
if ! "$py" -c "import PyInstaller" >/dev/null 2>&1; then
  echo "smoke: SKIPPED: PyInstaller is not installed in $py (pip install -e '.[packaging]')"
  exit 0
fi
out="$repo/build/smoke"
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d /tmp/fieldapp-smoke.XXXXXX)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "smoke: $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

# --- build time: the team's IT makes the project key pair and builds with its public half --
export FIELDAPP_KEY_PASSPHRASE="smoke project key passphrase"
fp=$("$py" -m fieldapp keys create --out "$work/keys" | sed -n 's/^project key //p')
step "project key $fp (build-time step, from the source tree)"
t0=$SECONDS
"$py" packaging/build.py --team seoul --project-key "$work/keys/project.pub" --fast \
  --expect-fingerprint "$fp" --out "$out/dist" --work "$repo/build" > "$out/build.log" 2>&1 \
  || { tail -30 "$out/build.log"; fail "build"; }
build_s=$((SECONDS - t0))
grep '^build:\|^  ' "$out/build.log" | grep -v WARNING || true
tarball=$(ls "$out"/dist/fieldapp-seoul-*-linux-*.tar.gz | grep -v portable | head -1)
deb=$(ls "$out"/dist/fieldapp-seoul_*.deb | head -1)

# --- the frozen app, unpacked where no source tree is near ----------------------------------
place="$work/현장 앱 50%"
mkdir -p "$place"
tar -xzf "$tarball" -C "$place"
app=$(ls -d "$place"/fieldapp-seoul-*)
forms="$app/_internal/questionnaires"
frozen() {  # run a frozen executable with a clean environment, outside the repository
  (cd "$work" && env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
     FIELDAPP_PASSPHRASE="smoke device passphrase" FIELDAPP_KEY_PASSPHRASE="$FIELDAPP_KEY_PASSPHRASE" \
     FIELDAPP_KDF=floor "$@")
}
mkdir -p "$work/home"

frozen "$app/fieldapp" --version | grep -q "fieldapp $("$py" -c 'import fieldapp; print(fieldapp.__version__)')" \
  || fail "--version"
frozen "$app/fieldapp" forms check "$forms"/*.xlsx | tee "$out/forms.txt"
[ "$(grep -c '^OK ' "$out/forms.txt")" = 3 ] || fail "forms check"
step "forms check: 3 bundled questionnaires OK"

frozen "$app/fieldapp" device init --data "$work/device" --enumerator S-001 --city seoul \
  > "$out/device.txt"
grep -q "project key $fp" "$out/device.txt" || fail "device init did not use the preset key"
step "device init: preset key $fp, $(grep -o '[0-9]* questionnaire(s) installed' "$out/device.txt")"

cat > "$work/answers.json" <<'EOF'
{"language": "ko", "answers": {"CONSENT": 1, "city": "seoul", "wave": "2012",
 "district": "seoul_mapo", "dong": "성산1동", "DEM01": 2, "DEM02": 44, "DEM03": 3, "DEM04": 3,
 "DEM05": 2, "DEM06": 1, "DEM07": 3000, "DEM08": 2, "ANX1": 3, "ANX2": 4, "ANX3": 2,
 "ANX4": 98, "FAM1": 1, "FAM2": 2, "FAM3": 3, "FAM4": 4, "FAM5": 1, "FAM6": 2, "FAM7": 3,
 "CITY1": 9, "CITY2": 5, "CITY3": 1, "CITY4": 99}}
EOF
for _ in 1 2; do
  frozen "$app/fieldapp" record --data "$work/device" --form "$forms/three_city_2012.xlsx" \
    --answers "$work/answers.json" --finalize >> "$out/interviews.txt"
done
step "record: 2 interviews finalised"

mkdir -p "$work/usb"
frozen "$app/fieldapp" sync push --data "$work/device" --to "$work/usb" | tee "$out/push.txt"
frozen "$app/fieldapp" sync pull --hub "$work/hub" --from "$work/usb" --trust | tee "$out/pull.txt"
grep -q "imported 2 interview record(s)" "$out/pull.txt" || fail "sync pull"

frozen env FIELDAPP_EXPORT_WORKERS=1 FIELDAPP_WORKER_STATS=1 "$app/fieldapp" export \
  --hub "$work/hub" --key "$work/keys/project.key" --out "$work/seoul.xlsx" \
  > "$out/export.txt" 2> "$out/export.err" || { cat "$out/export.err"; fail "export"; }
grep -q "^worker VmHWM" "$out/export.err" || fail "export did not run the frozen helper process"
grep -q "2 interview(s) exported" "$out/export.err" || fail "export count"
frozen "$app/fieldapp" export --hub "$work/hub" --key "$work/keys/project.key" \
  --out "$work/seoul.sav" > /dev/null 2>&1 || fail "export .sav"
# Read the workbook back with a second reader (the source tree's openpyxl: checking only).
"$py" - "$work/seoul.xlsx" <<'EOF' || fail "exported workbook"
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True)
rows = list(wb["data"].iter_rows(values_only=True))
head = rows[0]
assert len(rows) == 3, len(rows)
assert all(r[head.index("dong")] == "성산1동" for r in rows[1:])
assert all(r[head.index("ANX4")] == 98 for r in rows[1:])
EOF
step "sync push → hub pull → export (xlsx through the frozen helper process, sav): 2 interviews"

# --- the frozen GUI: first screen in Korean, offscreen -------------------------------------
frozen env QT_QPA_PLATFORM=offscreen FIELDAPP_SCREENSHOT="$out/seoul-first-run-ko.png" \
  "$app/fieldapp-gui" 2> "$out/gui.err" || { cat "$out/gui.err"; fail "frozen GUI"; }
[ -s "$out/seoul-first-run-ko.png" ] || fail "no screenshot"
step "GUI: $out/seoul-first-run-ko.png"

# --- the same with no system fonts at all (an empty fontconfig): the bundle's Noto Sans CJK
# draws every label (tarball on a system without CJK fonts; look at the screenshot: no tofu)
ls "$app"/_internal/fonts/NotoSansCJK-*.ttc > /dev/null || fail "no fonts in the bundle"
mkdir -p "$work/fc-cache"
printf '<?xml version="1.0"?>\n<fontconfig><cachedir>%s</cachedir></fontconfig>\n' \
  "$work/fc-cache" > "$work/no-fonts.conf"
frozen env QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE="$work/no-fonts.conf" \
  FIELDAPP_SCREENSHOT="$out/seoul-first-run-ko-no-system-fonts.png" "$app/fieldapp-gui" \
  2> "$out/gui-no-fonts.err" || { cat "$out/gui-no-fonts.err"; fail "frozen GUI, no system fonts"; }
[ -s "$out/seoul-first-run-ko-no-system-fonts.png" ] || fail "no screenshot (no system fonts)"
step "GUI with no system fonts (bundled Noto Sans CJK): $out/seoul-first-run-ko-no-system-fonts.png"

# --- portable mode: the marker beside the executable keeps data there ---------------------
touch "$app/fieldapp-portable.txt"
frozen "$app/fieldapp" device init --enumerator S-002 > /dev/null
[ -f "$app/fieldapp-data/keyring.json" ] || fail "portable data folder"
rm -rf "$app/fieldapp-portable.txt" "$app/fieldapp-data"
step "portable: data kept in $(basename "$app")/fieldapp-data"

# --- the tarball's menu entry (install-user.sh), from that folder with a space, Hangul and '%'
menu_home="$work/menu-home"
HOME="$menu_home" XDG_DATA_HOME="" sh "$app/install-user.sh" > /dev/null
menu_entry=$(ls "$menu_home"/.local/share/applications/*.desktop)
grep -q '^Exec=".*현장 앱 50%%/fieldapp-seoul-[^/]*/fieldapp-gui"$' "$menu_entry" \
  || fail "install-user.sh menu entry Exec"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$menu_entry" || fail "tarball menu entry is not valid"
fi
HOME="$menu_home" sh "$app/install-user.sh" --remove > /dev/null
[ ! -e "$menu_entry" ] || fail "install-user.sh --remove"
step "tarball menu entry: install-user.sh added a valid entry and removed it"

# --- cold start: frozen vs source (first window painted, offscreen; median of 5) ----------
"$py" packaging/coldstart.py "$app" --runs 5 --out "$out/coldstart.json" | sed 's/^/smoke: /'

# --- the .deb: unpacked with dpkg -x into a scratch root and started from there -----------
dpkg-deb -f "$deb" Package Version Depends Recommends > "$out/deb-control.txt"
dpkg-deb -x "$deb" "$work/root"
opt=$(ls -d "$work"/root/opt/fieldapp-seoul)
frozen "$opt/fieldapp" forms check "$opt/_internal/questionnaires/three_city_2012.xlsx" > /dev/null \
  || fail ".deb CLI"
[ -L "$work/root/usr/bin/fieldapp-gui" ] || fail ".deb /usr/bin link"
desktop="$work/root/usr/share/applications/org.fieldapp.FieldApp.desktop"
grep -q "^Exec=/opt/fieldapp-seoul/fieldapp-gui" "$desktop" || fail ".desktop Exec"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail ".deb menu entry is not valid"
else echo "smoke: desktop-file-validate not installed: menu entries not validated"; fi
if command -v Xvfb >/dev/null; then
  Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3> "$work/display" 2> /dev/null &
  xvfb_pid=$!
  for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
  display=":$(cat "$work/display")"
  frozen env DISPLAY="$display" QT_QPA_PLATFORM=xcb FIELDAPP_SCREENSHOT="$out/seoul-deb-xcb.png" \
    "$opt/fieldapp-gui" 2> "$out/deb-gui.err" || { cat "$out/deb-gui.err"; fail ".deb GUI (xcb)"; }
  kill "$xvfb_pid"; xvfb_pid=""
  [ -s "$out/seoul-deb-xcb.png" ] || fail ".deb GUI screenshot"
  step ".deb: unpacked with dpkg -x; CLI ran, GUI started on X11 (xcb): $out/seoul-deb-xcb.png"
else
  echo "smoke: no Xvfb: .deb GUI start skipped"
fi

# --- the Windows installer script, compiled by Debian's makensis (warnings are errors) ----
if command -v makensis >/dev/null; then
  "$py" packaging/windows_pkg.py --check | tee "$out/nsis.txt"
else
  echo "smoke: makensis not installed: NSIS check skipped (apt-get install nsis)"
fi

# --- numbers for packaging/README.md ------------------------------------------------------
"$py" - "$out" "$build_s" "$app" "$tarball" "$deb" <<'EOF'
import json, os, sys
from pathlib import Path
out, build_s, app, tarball, deb = sys.argv[1:]
size = sum(p.stat().st_size for p in Path(app).rglob("*") if p.is_file() and not p.is_symlink())
result = {"build_seconds": round(float(build_s), 1), "bundle_mib": round(size / 2**20, 1),
          "tarball_mib": round(os.path.getsize(tarball) / 2**20, 1),
          "deb_mib": round(os.path.getsize(deb) / 2**20, 1),
          "coldstart": json.load(open(f"{out}/coldstart.json"))["median"]}
json.dump(result, open(f"{out}/results.json", "w"), indent=2)
print("smoke: " + json.dumps(result))
EOF
step "PASSED"
