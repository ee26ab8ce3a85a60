#!/usr/bin/env bash
# Build the Python the Linux bundle is frozen from: CPython 3.11 that runs on glibc 2.28.
#   bash packaging/linux/python-glibc228.sh PREFIX
# → PREFIX/bin/python3.11 (and libpython3.11.so), reused while PREFIX/.built holds the hash
#   of this script and common.sh.
#
# Why: a PyInstaller bundle needs the newest glibc that any file in it was linked against.
# This machine's Python (Debian 12) needs glibc 2.36, so the .deb would be refused by
# 统信 UOS 20 (glibc 2.28, Debian 10 based) and 麒麟 V10 (2.31). Debian 10 itself is no longer
# served, so instead of building on it, the C code is compiled by zig (PyPI's `ziglang`),
# whose clang links against the exact symbol set of glibc 2.28. The sources are Debian 12's
# own source packages (CPython 3.11.2 with Debian's security patches, zlib, libffi, SQLite,
# bzip2, xz), fetched with `apt-get source`: nothing comes from outside Debian and PyPI.
# The libraries are linked statically into Python's modules, so the bundle carries no
# library of this machine's. OpenSSL is left out: the program never opens a network
# connection, and hashlib falls back to Python's own digests.
set -euo pipefail
prefix=$(realpath -m "${1:?usage: python-glibc228.sh PREFIX}")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
# this script and the glibc it builds for (common.sh) decide whether a built Python is current
stamp=$(cat "$0" "$here/common.sh" | sha256sum | cut -c1-16)
if [ -x "$prefix/bin/python3.11" ] && [ "$(cat "$prefix/.built" 2>/dev/null)" = "$stamp" ]; then
  echo "Python for glibc $GLIBC: $prefix (already built)"
  exit 0
fi

# ---- tools on this machine --------------------------------------------------------
need=()
for tool in make:make patch:patch tclsh:tcl strip:binutils bzip2:bzip2 xz:xz-utils; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi
# PCA_PYTHON_WORK=DIR keeps the sources and libraries between runs (a step whose result is
# there is skipped); by default a temporary folder, removed at the end.
if [ -n "${PCA_PYTHON_WORK:-}" ]; then
  work=$(realpath -m "$PCA_PYTHON_WORK"); mkdir -p "$work"
else
  work=$(mktemp -d /tmp/pca-python228.XXXXXX); trap 'rm -rf "$work"' EXIT
fi
tools=$work/tools
[ -x "$tools/venv/bin/python" ] || python3 -m venv "$tools/venv"
"$tools/venv/bin/pip" install -q --disable-pip-version-check "ziglang==0.13.0"
zig=$("$tools/venv/bin/python" -c "import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), 'zig'))")
# zig keeps its caches here, not in the home folder
export ZIG_GLOBAL_CACHE_DIR=$work/zig-cache ZIG_LOCAL_CACHE_DIR=$work/zig-cache
mkdir -p "$tools/bin"
# -fno-sanitize=undefined: zig's clang would otherwise trap on C code that relies on
# wrap-around, as CPython's and SQLite's do
printf '#!/bin/sh\nexec "%s" cc -target x86_64-linux-gnu.%s -fno-sanitize=undefined "$@"\n' \
  "$zig" "$GLIBC" > "$tools/bin/cc"
printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$zig" > "$tools/bin/ar"
printf '#!/bin/sh\nexec "%s" ranlib "$@"\n' "$zig" > "$tools/bin/ranlib"
chmod +x "$tools"/bin/*
# nothing here is C++: CXX is the C driver, so that configure's C++ probes do not make zig
# build its libc++ (minutes) for nothing
export CC=$tools/bin/cc CXX=$tools/bin/cc AR=$tools/bin/ar RANLIB=$tools/bin/ranlib

# ---- Debian's sources -----------------------------------------------------------------
# A private apt state: deb-src of the machine's own Debian release, nothing written to /etc.
src=$work/src
mkdir -p "$src" "$work/apt/lists/partial"
. /etc/os-release
security=$(apt_uris | grep security | head -1 || true)
{ echo "deb-src $(debian_mirror) $VERSION_CODENAME main"
  [ -z "$security" ] || echo "deb-src $security $VERSION_CODENAME-security main"; } > "$work/apt/sources.list"
apt_src=(-o Dir::Etc::sourcelist="$work/apt/sources.list" -o Dir::Etc::sourceparts=- \
         -o Dir::State::Lists="$work/apt/lists" -o APT::Get::List-Cleanup=0)
apt-get "${apt_src[@]}" update -qq 2>&1 | grep -v unsandboxed || true
cd "$src"
for pkg in python3.11 zlib libffi sqlite3 bzip2 xz-utils; do
  ls "${pkg}"_*.dsc >/dev/null 2>&1 && continue
  # newest version first; a mirror may list a security update whose files it does not serve
  # yet (404), and the version before it is then taken
  for version in $(apt-cache "${apt_src[@]}" showsrc "$pkg" | sed -n "s/^Version: //p" | sort -urV); do
    apt-get "${apt_src[@]}" source -qq --download-only "$pkg=$version" >/dev/null 2>&1 && break
    rm -f "${pkg}"_*
  done
  ls "${pkg}"_*.dsc >/dev/null 2>&1 || { echo "Debian's source of $pkg could not be fetched" >&2; exit 1; }
  echo "source: $(ls "${pkg}"_*.dsc)"
done
unpack() {  # unpack PKG's upstream sources (not Debian's patches) into $src/PKG
  local orig
  rm -rf "${src:?}/$1"
  orig=$(ls "$src/${1}_"*.orig.tar.* | grep -v -e '\.asc$' -e 'orig-' | head -1)
  mkdir -p "$src/$1" && tar xf "$orig" -C "$src/$1" --strip-components=1
}

deps=$work/deps
mkdir -p "$deps/lib" "$deps/include"
export CFLAGS="-O2 -fPIC" CPPFLAGS="-I$deps/include" LDFLAGS="-L$deps/lib"
jobs=$(nproc)
say() { printf '\n== %s ==\n' "$*"; }
started=$(date +%s)
library() {  # library PKG LIBFILE BUILD: unpack PKG, run BUILD in it (log kept), expect deps/lib/LIBFILE
  local pkg=$1 lib=$2 build=$3
  if [ -f "$deps/lib/$lib" ]; then echo "$lib: built before"; return; fi
  unpack "$pkg"
  if ! (cd "$src/$pkg" && eval "$build") >"$work/$pkg.log" 2>&1 || [ ! -f "$deps/lib/$lib" ]; then
    tail -30 "$work/$pkg.log" >&2; echo "building $pkg failed (log: $work/$pkg.log)" >&2; exit 1
  fi
  echo "$lib: $(du -k "$deps/lib/$lib" | cut -f1) KB"
}

say "static libraries for Python's modules"
library zlib libz.a './configure --static --prefix="$deps" && make -j"$jobs" libz.a && make install'
# libffi 3.4.4 calls a function it declares later (tramp.c), which clang 16+ refuses by default
library libffi libffi.a 'CFLAGS="$CFLAGS -Wno-error=implicit-function-declaration" ./configure --disable-shared --enable-static --with-pic --disable-docs \
  --disable-multi-os-directory --prefix="$deps" && make -j"$jobs" && make install'
# SQLite with the options Debian builds its libsqlite3 with
library sqlite3 libsqlite3.a 'CFLAGS="$CFLAGS -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA \
  -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
  -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1 -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_ENABLE_DBSTAT_VTAB \
  -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_LOAD_EXTENSION -DSQLITE_ENABLE_JSON1 \
  -DSQLITE_THREADSAFE=1 -DSQLITE_MAX_VARIABLE_NUMBER=250000" ./configure --disable-shared --enable-static \
  --disable-tcl --disable-readline --prefix="$deps" && make -j"$jobs" libsqlite3.la \
  && cp .libs/libsqlite3.a "$deps/lib/" && cp sqlite3.h sqlite3ext.h "$deps/include/"'
library bzip2 libbz2.a 'make -j"$jobs" libbz2.a CC="$CC" AR="$AR" RANLIB="$RANLIB" \
  CFLAGS="$CFLAGS -D_FILE_OFFSET_BITS=64" && cp bzlib.h "$deps/include/" && cp libbz2.a "$deps/lib/"'
library xz-utils liblzma.a './configure --disable-shared --enable-static --with-pic --disable-xz \
  --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc \
  --disable-nls --prefix="$deps" && make -j"$jobs" && make install'

say "CPython 3.11 with Debian's security patches"
unpack python3.11 && cd "$src/python3.11"
tar xf "$(ls "$src"/python3.11_*.debian.tar.*)" -C "$src/python3.11"
# Debian's series changes install layouts for /usr (dist-packages, multiarch names); only the
# fixes after those are taken: the crash fixes and every CVE patch, in Debian's order.
applied=0
while read -r p; do
  [ -z "$p" ] || [ "${p:0:1}" = "#" ] && continue
  patch -s -p1 --forward --no-backup-if-mismatch < "debian/patches/$p" >/dev/null \
    || { echo "Debian patch $p does not apply" >&2; exit 1; }
  applied=$((applied + 1))
done < <(sed -n '/^shutdown-deadlock.diff$/,$p' debian/patches/series | grep -v -e '^skip-' -e 'test-reliability')
echo "$applied Debian patches applied"
# CVE-2026-4224's fix makes pyexpat use an internal header; Debian builds the module through
# Modules/Setup, setup.py builds it without the define such modules carry (as _asyncio does)
if grep -q '^#include "pycore_ceval.h"' Modules/pyexpat.c && ! grep -q Py_BUILD_CORE_MODULE Modules/pyexpat.c; then
  sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' Modules/pyexpat.c
fi
# zig's linker knows the shared-object name only by its long spelling
sed -i -e 's/-Wl,-h\$(INSTSONAME)/-Wl,-soname,$(INSTSONAME)/' -e 's/-Wl,-h\$@/-Wl,-soname,$@/' Makefile.pre.in
# setup.py adds this machine's /usr/local and multiarch include folders, whose glibc 2.36
# headers would mix with zig's 2.28 ones: the folders given in CPPFLAGS/LDFLAGS are enough
python3 - <<'PY'
import pathlib
setup = pathlib.Path("setup.py")
text = setup.read_text()
old = text[text.index("    def configure_compiler(self):"):text.index("    def init_inc_lib_dirs(self):")]
setup.write_text(text.replace(old, "    def configure_compiler(self):\n        self.add_ldflags_cppflags()\n\n"))
PY
# Modules that need libraries this Python does without: the program uses none of them.
export py_cv_module__ssl=n/a py_cv_module__hashlib=n/a py_cv_module__tkinter=n/a \
       py_cv_module__curses=n/a py_cv_module__curses_panel=n/a py_cv_module_readline=n/a \
       py_cv_module__dbm=n/a py_cv_module__gdbm=n/a py_cv_module_nis=n/a py_cv_module__crypt=n/a \
       py_cv_module__uuid=n/a
export PKG_CONFIG_PATH=$deps/lib/pkgconfig PKG_CONFIG_LIBDIR=$deps/lib/pkgconfig
LIBFFI_CFLAGS="-I$deps/include" LIBFFI_LIBS="-L$deps/lib -lffi" \
LIBSQLITE3_CFLAGS="-I$deps/include" LIBSQLITE3_LIBS="-L$deps/lib -lsqlite3 -lm" \
LIBLZMA_CFLAGS="-I$deps/include" LIBLZMA_LIBS="-L$deps/lib -llzma" \
BZIP2_CFLAGS="-I$deps/include" BZIP2_LIBS="-L$deps/lib -lbz2" \
ZLIB_CFLAGS="-I$deps/include" ZLIB_LIBS="-L$deps/lib -lz" \
LDFLAGS="$LDFLAGS -Wl,-rpath,$prefix/lib" \
  ./configure -q --prefix="$prefix" --enable-shared --without-ensurepip --with-system-expat=no \
  --with-system-libmpdec=no >/dev/null
make -j"$jobs" >"$work/python-make.log" 2>&1 || { tail -40 "$work/python-make.log" >&2; exit 1; }
rm -rf "$prefix"
make -s install >/dev/null 2>&1
# the debugging information is two thirds of the shared objects (38 MB of the bundle)
find "$prefix" -type f \( -name '*.so*' -o -name 'python3.11' \) -exec strip --strip-debug {} +
# what the program needs must be there (a module configure silently skipped is a failure)
"$prefix/bin/python3.11" -c "import sqlite3, zlib, ctypes, bz2, lzma, pyexpat, _decimal, json, hashlib, \
select, mmap, _posixsubprocess, _socket; sqlite3.connect(':memory:').execute('create virtual table t using fts5(a)')"
echo "$stamp" > "$prefix/.built"
echo "Python for glibc $GLIBC: $prefix ($(( $(date +%s) - started )) s, $(du -sm "$prefix" | cut -f1) MB)"
