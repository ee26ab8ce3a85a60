#!/usr/bin/env bash
# Wrap the PyInstaller one-folder program in a .deb for Debian, 统信 UOS and 麒麟 Kylin:
#   bash packaging/linux/make-deb.sh dist/patent-conversion-assistant-<版本> dist
# → dist/patent-conversion-assistant_<版本>_<arch>.deb, which installs
#   /opt/patent-conversion-assistant/            the program (nothing else is written there)
#   /usr/bin/patent-conversion-assistant         starts it (also from a terminal: --self-test, export …)
#   /usr/share/applications/….desktop           the menu entry 专利转化申报助手 (办公)
#   /usr/share/icons/hicolor/256x256/apps/….png  its icon
# No maintainer scripts: dpkg removes exactly these files; the officers' drafts stay in
# their home folders (~/.local/share/patent-conversion-assistant/).
set -euo pipefail
bundle=$(realpath "$1")
outdir=$(realpath "${2:-dist}")
here=$(cd "$(dirname "$0")" && pwd)
base=$(basename "$bundle")          # <name>-<version>
name=${base%-*}
version=${base##*-}
arch=$(dpkg --print-architecture)
[ -x "$bundle/$name" ] || { echo "not a one-folder build: $bundle/$name missing" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
opt=$stage/opt/$name
mkdir -p "$opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/DEBIAN" \
         "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/doc/$name"
cp -a "$bundle/." "$opt/"

# 仿宋 for the PDF: the FandolFang file scripts/setup.sh put on this machine, beside the
# bundled fonts.conf, which names its folder (<dir prefix="relative">fandol</dir>).
fonts=$(dirname "$(find "$opt" -path '*/resources/fonts/fonts.conf' | head -1)")
for dir in /usr/local/share/fonts/fandol /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol \
           "$HOME/.local/share/fonts/fandol"; do
  if [ -f "$dir/FandolFang-Regular.otf" ]; then
    mkdir -p "$fonts/fandol" && cp "$dir/FandolFang-Regular.otf" "$fonts/fandol/" && break
  fi
done
[ -f "$fonts/fandol/FandolFang-Regular.otf" ] || echo "warning: FandolFang not found, the .deb has no 仿宋" >&2

cat > "$stage/usr/bin/$name" <<SH
#!/bin/sh
exec /opt/$name/$name "\$@"
SH
chmod 755 "$stage/usr/bin/$name"
install -m 644 "$here/$name.desktop" "$stage/usr/share/applications/$name.desktop"
install -m 644 "$opt/_internal/resources/icons/app.png" "$stage/usr/share/icons/hicolor/256x256/apps/$name.png"
cat > "$stage/usr/share/doc/$name/copyright" <<TXT
专利转化申报助手 $version. Bundles Python, Qt for Python (PySide6, LGPLv3), python-docx and
their dependencies (licences in /opt/$name/_internal), and FandolFang (GPLv3 with font exception).
TXT

# The newest glibc symbol any bundled file needs: an older system is refused by apt
# instead of failing at start (build on the oldest system you ship to).
glibc=$(find "$opt" -type f \( -name '*.so*' -o -name "$name" \) -exec objdump -T {} + 2>/dev/null \
        | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
# What the bundle does not carry: glibc, OpenGL/EGL (the machine's own driver), libxcb,
# fontconfig's configuration; Wayland and the GTK theme are optional Qt plugins.
depends="libc6 (>= ${glibc:-2.31}), libgl1, libegl1, libxcb1, fontconfig"
recommends="libreoffice-writer-nogui | libreoffice-writer, python3-uno, fonts-noto-cjk, fonts-arphic-ukai, fonts-liberation2, xdg-utils, libwayland-client0, libwayland-cursor0, libwayland-egl1"
suggests="cups-client"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CTRL
Package: $name
Version: $version
Architecture: $arch
Maintainer: 专利转化申报助手 <noreply@localhost>
Installed-Size: $size
Depends: $depends
Recommends: $recommends
Suggests: $suggests
Section: editors
Priority: optional
Description: 专利转化申报助手 — 专利转化专项计划申报书编写
 按江苏省专利转化专项计划指南逐页填写建设方案与信用承诺书，草稿自动保存在本机，
 按指南检查，导出 GB/T 9704-2012 版式的 Word 申报书；装有 LibreOffice 时同时导出 PDF。
 离线使用。Writes the application book of a provincial patent-conversion program.
CTRL
mkdir -p "$outdir"
deb="$outdir/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >/dev/null
echo "$deb"
