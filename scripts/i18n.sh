#!/usr/bin/env bash
# UI message catalogs (one gettext catalog, "fieldapp", for the core and the GUI) with pybabel.
#   bash scripts/i18n.sh extract   # fieldapp/**.py -> translations/fieldapp.pot
#   bash scripts/i18n.sh update    # merge the .pot into translations/{ko,zh_Hans,ja}.po
#   bash scripts/i18n.sh compile   # .po -> fieldapp/locale/<locale>/LC_MESSAGES/fieldapp.mo
#   bash scripts/i18n.sh           # all three
# The compiled .mo files are committed: the app and the installer read them as package data.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=${PYBABEL:-.venv/bin/pybabel}
locales=(ko zh_Hans ja)
version=$(.venv/bin/python -c "import fieldapp; print(fieldapp.__version__)")

extract() {
  # hidden directories (.venv) are skipped by pybabel's default --ignore-dirs
  "$pybabel" extract -F translations/babel.cfg -o translations/fieldapp.pot \
    --project fieldapp --version "$version" --copyright-holder "fieldapp" \
    --msgid-bugs-address "" --add-location file --sort-by-file --width 100 .
}

update() {
  for locale in "${locales[@]}"; do
    if [ -f "translations/$locale.po" ]; then
      "$pybabel" update -i translations/fieldapp.pot -o "translations/$locale.po" -l "$locale" \
        --width 100 --no-fuzzy-matching --ignore-obsolete
    else
      "$pybabel" init -i translations/fieldapp.pot -o "translations/$locale.po" -l "$locale" \
        --width 100
    fi
  done
}

compile() {
  for locale in "${locales[@]}"; do
    mkdir -p "fieldapp/locale/$locale/LC_MESSAGES"
    "$pybabel" compile -i "translations/$locale.po" \
      -o "fieldapp/locale/$locale/LC_MESSAGES/fieldapp.mo" -l "$locale" --statistics
  done
}

case "${1:-all}" in
  extract) extract ;;
  update) update ;;
  compile) compile ;;
  all) extract; update; compile ;;
  *) echo "usage: $0 [extract|update|compile]" >&2; exit 2 ;;
esac
