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
  # stand-ins for the book's Windows fonts in the PDF (resources/fonts/fonts.conf):
  # 楷体 → AR PL UKai CN, Times New Roman → Liberation Serif, and 仿宋 → FandolFang,
  # the only free 仿宋 covering GB2312 in Debian (TeX Live's; ~100 MB, ~30 s to install)
  fonts-arphic-ukai fonts-liberation2 texlive-lang-chinese
  # PDF export (python3-uno lets it update the 目录 before export) and its checks
  libreoffice-writer-nogui python3-uno poppler-utils
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
