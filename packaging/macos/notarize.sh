#!/usr/bin/env bash
# Notarise and staple a signed .dmg (macOS only; see packaging/macos/README.md).
#   APPLE_ID=… APPLE_TEAM_ID=… APPLE_APP_PASSWORD=… bash packaging/macos/notarize.sh DMG
set -euo pipefail
dmg=${1:?usage: notarize.sh DMG}
: "${APPLE_ID:?set APPLE_ID}" "${APPLE_TEAM_ID:?set APPLE_TEAM_ID}"
: "${APPLE_APP_PASSWORD:?set APPLE_APP_PASSWORD (an app-specific password)}"
xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
  --password "$APPLE_APP_PASSWORD" --wait
xcrun stapler staple "$dmg"
spctl --assess --type open --context context:primary-signature -v "$dmg"
