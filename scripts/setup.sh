#!/usr/bin/env bash
# Prepare this checkout: system packages (Debian, when run as root), the 仿宋 font for
# the PDF, a virtual environment in .venv with the Python packages pyproject.toml names.
#   bash scripts/setup.sh               # the program
#   bash scripts/setup.sh test          # the program and the test tools (pyproject's `test` extra)
#   bash scripts/setup.sh test build    # … and PyInstaller (the `build` extra)
#   bash scripts/setup.sh fonts         # fetch the 仿宋 font again (after a first install without it)
#
# Works offline after the first successful run: every step first checks whether its
# work is already done (dpkg-query, a font file, a stamp in .venv holding the hash of
# pyproject.toml and the extras installed), and only then goes to the network. pip is
# never upgraded, and the program itself is not pip-installed (no build backend, no
# setuptools download): a .pth file in .venv puts this checkout on sys.path.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
EXTRAS=()
RETRY_FONT=
for arg in "$@"; do
  case $arg in
    test|build) EXTRAS+=("$arg") ;;
    fonts) RETRY_FONT=1 ;;  # fetch the 仿宋 again after a first install that could not
    *) echo "未知参数：$arg（可用：test、build、fonts）" >&2; exit 2 ;;
  esac
done

DEB_PACKAGES=(
  # Python's own venv module (Debian keeps it apart from python3)
  python3-venv
  # Qt offscreen and xcb platform plugins
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  # Chinese glyphs for the interface and the PDF
  fonts-noto-cjk
  # stand-ins for the book's Windows fonts in the PDF (resources/fonts/fonts.conf):
  # 楷体 → AR PL UKai CN, Times New Roman → Liberation Serif (仿宋: see FANGSONG below)
  fonts-arphic-ukai fonts-liberation2
  # PDF export (python3-uno lets it update the 目录 before export) and its checks
  libreoffice-writer-nogui python3-uno poppler-utils
)

# 仿宋 → FandolFang, the only free 仿宋 in Debian that covers GB2312 (fonts-cwtex-fs is a
# traditional-Chinese 仿宋 lacking 2 379 of GB2312's 6 763 characters). It ships only
# inside texlive-lang-chinese, which with TeX pulls ~117 MB of downloads and ~330 MB on
# disk; instead the one 7 MB font file is taken from that package's archive, once.
FANGSONG_FILE=FandolFang-Regular.otf
FANGSONG_DEB=texlive-lang-chinese
FANGSONG_DIRS=(/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol /usr/local/share/fonts/fandol
               "${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol")

step() { printf '\n== %s ==\n' "$*"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1000000 }'; }  # bytes → "N MB", as apt counts
NOTES=()

# ---- 1. Debian packages -------------------------------------------------------------
if command -v dpkg-query >/dev/null 2>&1; then
  # one dpkg-query for all: ~10 ms, no network
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${DEB_PACKAGES[@]}" 2>/dev/null \
              | awk '/ install ok installed$/ { print $1 }' || true)
  missing=()
  for pkg in "${DEB_PACKAGES[@]}"; do
    grep -qx "$pkg" <<<"$installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "第 1 步：安装系统软件包：${missing[*]}"
    echo "更新软件源列表…"
    apt-get update -qq
    # apt's own estimate, before anything is downloaded
    plan=$(LC_ALL=C apt-get install --no-install-recommends --assume-no "${missing[@]}" 2>/dev/null || true)
    count=$(sed -n 's/.* \([0-9][0-9]*\) newly installed.*/\1/p' <<<"$plan")
    get=$(sed -n 's/^Need to get \([^ ]* [kMG]*B\).*/\1/p' <<<"$plan" | head -1)
    disk=$(sed -n 's/^After this operation, \([^ ]* [kMG]*B\).*/\1/p' <<<"$plan")
    echo "共 ${count:-?} 个软件包（含依赖）：下载 ${get:-?}，安装后占用 ${disk:-?} 磁盘空间。"
    NOTES+=("系统软件包 ${count:-?} 个：下载 ${get:-?}，占用 ${disk:-?}")
    # progress: one line per downloaded and per set-up package, numbered
    if ! LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        -o Dpkg::Use-Pty=0 "${missing[@]}" 2>&1 \
      | awk -v n="${count:-0}" '
          /^Get:/ { g++; printf "  下载 %d/%d  %s\n", g, n, $5; fflush(); next }
          /^Setting up / { s++; if (s % 10 == 0 || s == n) { printf "  安装 %d/%d\n", s, n; fflush() } next }
          /^(E|W):/ { print; fflush() }'; then
      echo "系统软件包安装失败（见上）。" >&2; exit 1
    fi
  elif [ ${#missing[@]} -gt 0 ]; then
    echo "提示：缺少系统软件包 ${missing[*]}；请以 root 运行本脚本，或请管理员安装。" >&2
  fi
fi

# ---- 2. 仿宋 for the PDF -----------------------------------------------------------------
have_fangsong=
for dir in "${FANGSONG_DIRS[@]}"; do [ -f "$dir/$FANGSONG_FILE" ] && have_fangsong=1; done
# tried on the first install only (no stamp yet) or when asked: a later start never waits for the network
if [ -z "$have_fangsong" ] && { [ ! -f .venv/pca-installed ] || [ -n "$RETRY_FONT" ]; } && command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then target=/usr/local/share/fonts/fandol; else target=${FANGSONG_DIRS[2]}; fi
  size=$(apt-cache show --no-all-versions "$FANGSONG_DEB" 2>/dev/null | sed -n 's/^Size: //p' | head -1)
  step "第 2 步：仿宋字体 FandolFang（PDF 正文用）"
  echo "从软件包 $FANGSONG_DEB 中取出一个字体文件（下载 $(mb "${size:-0}")，安装后约 7 MB，"
  echo "不安装 TeX；完整安装该软件包约需下载 117 MB、占用 330 MB）→ $target"
  work=$(mktemp -d)
  if (cd "$work" && apt-get download -q "$FANGSONG_DEB" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) \
     && dpkg-deb --fsys-tarfile "$work"/"$FANGSONG_DEB"_*.deb \
        | tar -x -C "$work" --wildcards "*/fandol/$FANGSONG_FILE"; then
    mkdir -p "$target"
    find "$work" -name "$FANGSONG_FILE" -exec cp {} "$target/" \;
    chmod 644 "$target/$FANGSONG_FILE"
    fc-cache -f "$target" >/dev/null 2>&1 || true
    echo "已安装：$target/$FANGSONG_FILE"
    NOTES+=("仿宋字体 FandolFang：下载 $(mb "${size:-0}")，占用 7 MB（比安装 texlive-lang-chinese 少占约 320 MB）")
  else
    echo "提示：未能取得仿宋字体（需联网）；PDF 中的仿宋将以 Noto Serif CJK（宋体）代替。" >&2
    echo "      联网后运行 bash scripts/setup.sh fonts 再试。" >&2
  fi
  rm -rf "$work"
fi

# ---- 3. Python packages in .venv -------------------------------------------------------
PY=.venv/bin/python
if [ ! -x "$PY" ] || [ ! -e .venv/bin/pip ]; then  # none yet, or a half-made one (no python3-venv)
  echo "创建 Python 虚拟环境 .venv…"
  "${PYTHON:-python3}" -m venv --clear .venv || {
    echo "无法创建 Python 虚拟环境：请安装 python3-venv（Debian：apt-get install python3-venv）。" >&2; exit 1; }
fi
# The stamp: what was installed, for which pyproject.toml. Matching → nothing to do, no network.
key=$(sha256sum pyproject.toml | cut -d' ' -f1)
stamp=.venv/pca-installed
want=("$key" "${EXTRAS[@]}")
if [ -f "$stamp" ] && [ "$(head -1 "$stamp")" = "$key" ]; then
  need=
  for extra in "${EXTRAS[@]}"; do grep -qx "$extra" "$stamp" || need=1; done
else
  need=1
fi
site=$(echo .venv/lib/python3*/site-packages)  # a glob, not a Python start: this runs on every launch
[ -d "$site" ] || site=$("$PY" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
# this checkout on sys.path, so `.venv/bin/python -m desktop_app` works from any folder
[ "$(cat "$site/patent-conversion-assistant.pth" 2>/dev/null)" = "$ROOT" ] \
  || { printf '%s\n' "$ROOT" > "$site/.pca.pth.new" && mv -f "$site/.pca.pth.new" "$site/patent-conversion-assistant.pth"; }
if [ -n "$need" ]; then
  # keep extras installed earlier (test.sh, then start.sh must not forget `test`)
  if [ -f "$stamp" ]; then mapfile -t old < <(tail -n +2 "$stamp"); want+=("${old[@]}"); fi
  mapfile -t extras < <(printf '%s\n' "${want[@]:1}" | sort -u | grep -v '^$' || true)
  reqs=$(mktemp); trap 'rm -f "$reqs"' EXIT
  "$PY" - "${extras[@]}" > "$reqs" <<'EOF'
import sys
try:
    import tomllib
except ImportError:  # Python 3.10: pip reads pyproject.toml itself (fetches its build backend; online anyway)
    print("-e ." + (f"[{','.join(sys.argv[1:])}]" if sys.argv[1:] else ""))
    raise SystemExit
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extra = project.get("optional-dependencies", {})
print("\n".join(project["dependencies"] + [r for e in sys.argv[1:] for r in extra[e]]))
EOF
  step "第 3 步：Python 软件包（$(grep -c . "$reqs") 个及其依赖${extras[*]:+，含 ${extras[*]}}）"
  [ -f "$stamp" ] || echo "首次安装约下载 92 MB（PySide6 为主），安装后 .venv 约占 300 MB。"
  # An update that only asks other versions of packages already installed (a release
  # excluded for a bug): without the network the program still starts with those, and
  # the next start tries again. pip gives up at once then (--retries 0: no network is
  # no network); a first install, or a package not yet installed, keeps pip's retries
  # and must succeed.
  update=$("$PY" - "$reqs" <<'EOF'
import re, sys
from importlib.metadata import PackageNotFoundError, distribution
names = [re.split(r"[<>=!~;\[ ]", line.strip())[0] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
try:
    print("1" if names and all(not n.startswith("-") and distribution(n) for n in names) else "")
except PackageNotFoundError:
    print("")
EOF
)
  if "$PY" -m pip install --disable-pip-version-check ${update:+--retries 0} -r "$reqs" 2>&1 \
       | { grep --line-buffered -v '^Requirement already satisfied' || true; }; then
    # written anew and renamed, never changed in place (a copy of .venv may share its files)
    { echo "$key"; [ ${#extras[@]} = 0 ] || printf '%s\n' "${extras[@]}"; } > "$stamp.new" && mv -f "$stamp.new" "$stamp"
    NOTES+=("Python 环境 .venv：占用 $(du -sm .venv | cut -f1) MB")
  elif [ -n "$update" ]; then
    echo "Python 软件包未能更新（见上，多半是没有联网）：先用已装好的版本启动；联网后再启动一次即可完成更新。" >&2
  else
    echo "Python 软件包安装失败（见上）；首次安装与 pyproject.toml 改动后需联网一次。" >&2; exit 1
  fi
  rm -f "$reqs"
fi

if [ ${#NOTES[@]} -gt 0 ]; then
  step "安装完成"
  printf '  %s\n' "${NOTES[@]}"
  echo "  以后启动不再联网；只有 pyproject.toml 改动后才重新检查 Python 软件包。"
fi
