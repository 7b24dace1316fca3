#!/bin/sh
# Add this unpacked fieldapp to your desktop's application menu (no root needed):
#     ./install-user.sh            # or: ./install-user.sh --remove
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
entry="$apps/@DESKTOP_ID@"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$icons/@ICON@.png"
  echo "removed $entry"
  exit 0
fi
mkdir -p "$apps" "$icons"
cp "$here/share/@ICON@.png" "$icons/@ICON@.png"
# The folder inside the entry's quoted Exec argument (Desktop Entry spec): a backslash as
# four, '"' '`' '$' after an escaped backslash, '%' doubled (a single one is a field code).
exec_path=$(printf '%s' "$here" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g')
escaped=$(printf '%s' "$exec_path" | sed 's/[&|\\]/\\&/g')  # for sed's replacement text
sed "s|@HERE@|$escaped|g" "$here/share/@DESKTOP_ID@" > "$entry"
chmod 644 "$entry"
echo "added $entry: start fieldapp from your application menu"
