#!/usr/bin/env bash
# Prepare this checkout on a fresh machine: system libraries (Debian, when run as
# root), a virtual environment in .venv, and the program installed into it.
#   bash scripts/setup.sh          # the program
#   bash scripts/setup.sh test     # the program and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  # Qt offscreen and xcb platform plugins
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  # Chinese glyphs for the interface and the PDF
  fonts-noto-cjk
  # PDF export and its checks
  libreoffice-writer-nogui poppler-utils
)

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=()
  for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif command -v apt-get >/dev/null 2>&1; then
  echo "note: not root, skipping Debian packages (${DEB_PACKAGES[*]})" >&2
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = test ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
