#!/usr/bin/env bash
# Install fieldapp on Debian 12 / Ubuntu 22.04+: system packages (Qt's xcb libraries,
# CJK fonts; with --dev also PostgreSQL, Xvfb and LibreOffice for the tests, and PyInstaller,
# binutils and NSIS for the packaging smoke test) and a virtual environment in .venv.
#   bash scripts/bootstrap.sh          # to run the app
#   bash scripts/bootstrap.sh --dev    # to run the tests
set -euo pipefail
cd "$(dirname "$0")/.."
dev=0
[ "${1:-}" = "--dev" ] && dev=1

apt_packages=(python3-venv libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-xinerama0
  libxkbcommon-x11-0 libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-noto-cjk)
if [ "$dev" = 1 ]; then
  # test readers (PSPP, poppler) and the packaging smoke test (binutils, nsis,
  # desktop-file-utils)
  apt_packages+=(postgresql xvfb xauth libreoffice-calc-nogui pspp poppler-utils binutils nsis
    desktop-file-utils)
fi

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
else
  echo "bootstrap: apt-get not found; install Qt's xcb libraries and a CJK font yourself" >&2
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[dev,packaging]'
else
  .venv/bin/python -m pip install -q -e .
fi
echo "bootstrap: done (.venv ready)"
