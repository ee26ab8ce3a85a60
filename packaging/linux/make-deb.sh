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

# What the bundle links against and does not carry (glibc, Qt's X11/xcb and font libraries,
# libstdc++…) becomes Depends. Debian's own dpkg-shlibdeps names the packages. Its versions
# come from this machine's symbols files and can be far newer than the bundle needs (it asks
# libstdc++6 >= 10.2 where the newest symbol used is GLIBCXX_3.4.21, libx11-xcb1 >= 1.8.4 for
# a library unchanged since 1.6), which would make apt on UOS 20 refuse the package; so they
# are dropped, and the two the symbol versions prove are set: libc6 from GLIBC_x.y and
# libstdc++6 from GLIBCXX_3.4.x. The Wayland plugins are optional (the UOS and Kylin desktops
# are X11), so what only they need is Recommends.
elfs=$(find "$opt" -type f \( -name '*.so*' -o -path "$opt/$name" \) -exec sh -c \
       'for f; do [ "$(head -c4 "$f" | tail -c3)" = ELF ] && echo "$f"; done' _ {} +)
optional='/[^/]*([Ww]ayland|WlShell)[^/]*$|/plugins/wayland-'
wayland=$(grep -E "$optional" <<<"$elfs" || true)
core=$(grep -vE "$optional" <<<"$elfs")
# the GLIBC_ and GLIBCXX_ symbol versions the files on stdin need (objdump once, read twice)
versions() { xargs objdump -T 2>/dev/null | { grep -o 'GLIBC_[0-9.]*\|GLIBCXX_[0-9.]*' || true; }; }
# the newest of prefix $1 on stdin; nothing (and no failure) for a file that needs none
newest() { { grep "^$1" || true; } | sed "s/^$1//" | sort -uV | tail -1; }
above_floor() { [ -n "${GLIBC:-}" ] && [ "$(printf '%s\n%s\n' "$1" "$GLIBC" | sort -V | tail -1)" != "$GLIBC" ]; }
needed=$(versions <<<"$elfs")
glibc=$(newest GLIBC_ <<<"$needed")
# the build fails when a file needs a glibc newer than the oldest system the .deb is for
# (GLIBC, 2.28: 统信 UOS 20), instead of apt refusing the package there
if above_floor "$glibc"; then
  echo "the bundle needs glibc $glibc, newer than $GLIBC; these files:" >&2
  while read -r f; do
    v=$(versions <<<"$f" | newest GLIBC_)
    if above_floor "$v"; then echo "  $v ${f#"$opt"/}" >&2; fi
  done <<<"$elfs"
  exit 1
fi
# GLIBCXX_3.4.x → the GCC release whose libstdc++ first had it
glibcxx=$(newest GLIBCXX_ <<<"$needed")
gcc=$(awk -v v="${glibcxx##*.}" 'BEGIN { split("19:4.9 20:4.9 21:5 22:6 23:7 24:7 25:8 26:9 27:9 28:10 29:11 30:12 31:13 32:14", t, " ");
      for (i in t) { split(t[i], p, ":"); if (p[1] == v) print p[2] } }')
echo "newest symbols the bundle uses: GLIBC_$glibc, GLIBCXX_$glibcxx (GCC ${gcc:-?})" >&2
command -v dpkg-shlibdeps >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >/dev/null
shlib=$(mktemp -d)
mkdir -p "$shlib/debian" && printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$name" "$name" > "$shlib/debian/control"
libdirs=()
while read -r d; do libdirs+=("-l$d"); done < <(xargs -n1 dirname <<<"$elfs" | sort -u)
# a library the bundle carries itself (libxcb-util.so.1, see build_installer.spec) is no Depends,
# even where this machine has a package of it
mapfile -t bundled < <(xargs -n1 basename <<<"$elfs" | sort -u | sed 's|^|*/|')
while read -r pkg; do libdirs+=("-x$pkg"); done \
  < <(dpkg -S "${bundled[@]}" 2>/dev/null | grep -v '^diversion' | cut -d: -f1 | tr ',' '\n' | sed 's/ //g' | sort -u)
# shellcheck disable=SC2086
(cd "$shlib" && dpkg-shlibdeps -O --warnings=0 --ignore-missing-info "${libdirs[@]}" \
   -dDepends $core ${wayland:+-dRecommends $wayland}) > "$shlib/vars" 2>"$shlib/err" \
  || { cat "$shlib/err" >&2; exit 1; }
packages() {  # the names in dpkg-shlibdeps' FIELD, without versions, with the two proven ones
  sed -n "s/^shlibs:$1=//p" "$shlib/vars" | tr ',' '\n' | sed 's/ *([^)]*)//g; s/^ *//; s/ *$//' \
    | grep . | sed -e "s/^libc6\$/libc6 (>= $glibc)/" -e "s/^libstdc++6\$/libstdc++6 (>= ${gcc:-4.9})/" \
    | sed 's/^libgcc-s1$/libgcc-s1 | libgcc1/' | paste -sd, | sed 's/,/, /g'
}
# (libgcc_s is libgcc1 on Debian 10 / 统信 UOS 20, libgcc-s1 from Debian 11 on)
depends=$(packages Depends)
# fontconfig: fc-cache and the system's font list, which the bundled fonts.conf includes
depends="$depends, fontconfig"
recommends="libreoffice-writer-nogui | libreoffice-writer, python3-uno, fonts-noto-cjk, fonts-arphic-ukai, fonts-liberation2, xdg-utils"
[ -z "$(packages Recommends)" ] || recommends="$recommends, $(packages Recommends)"
rm -rf "$shlib"
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
