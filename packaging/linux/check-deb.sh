#!/usr/bin/env bash
# Install the .deb as an officer's administrator would, run the installed program's
# --self-test, remove it, and check that nothing of it is left and the drafts in the
# user's home folder are untouched. Needs root.
#   bash packaging/linux/check-deb.sh dist/patent-conversion-assistant_<版本>_amd64.deb
#       on this machine (whose packages scripts/setup.sh installed: the Recommends are there)
#   bash packaging/linux/check-deb.sh --bare [SUITE] dist/…deb
#       in a bare Debian root made with debootstrap (minbase, nothing but apt), installed
#       with --no-install-recommends: proves Depends alone start the program. SUITE is
#       this machine's release by default; `bullseye` (Debian 11, glibc 2.31) is the
#       oldest Debian still served, the base of 麒麟 V10's generation.
set -euo pipefail
bare= suite=
if [ "${1:-}" = --bare ]; then
  bare=1; shift
  if [ $# -gt 1 ]; then suite=$1; shift; fi
fi
deb=$(realpath "$1")
name=$(dpkg-deb -f "$deb" Package)

inside() {  # the check itself, run on this machine or inside the bare root
cat <<'SCRIPT'
set -euo pipefail
deb=$1 name=$2 bare=$3
say() { printf '\n== %s ==\n' "$*"; }
say "$(. /etc/os-release && echo "$PRETTY_NAME"), $(getconf GNU_LIBC_VERSION); the package needs $(dpkg-deb -f "$deb" Depends | grep -o 'libc6 ([^)]*)')"
if [ -n "$bare" ]; then apt-get update -qq 2>&1 | grep -v unsandboxed || true; opts=(--no-install-recommends); else opts=(); fi
say "apt-get install ${opts[*]} ./$(basename "$deb")"
started=$(date +%s)
LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get install -y "${opts[@]}" "$deb" 2>&1 \
  | grep -E '^(Need to get|After this operation|Setting up '"$name"'|[0-9]+ upgraded)' || true
dpkg-query -W -f='${Status}\n' "$name" | grep -q "install ok installed"
echo "installed in $(( $(date +%s) - started )) s: $(dpkg-query -W -f='${Installed-Size}' "$name") KB"
for f in "/opt/$name/$name" "/usr/bin/$name" "/usr/share/applications/$name.desktop" \
         "/usr/share/icons/hicolor/256x256/apps/$name.png"; do
  [ -e "$f" ] || { echo "missing after install: $f" >&2; exit 1; }
done
grep -q '^Name\[zh_CN\]=专利转化申报助手$' "/usr/share/applications/$name.desktop"
grep -q '^Categories=Office;' "/usr/share/applications/$name.desktop"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "/usr/share/applications/$name.desktop"; fi
# every library the xcb (X11) platform plugin needs is bundled or comes with Depends
libs=$(LD_LIBRARY_PATH="/opt/$name/_internal" ldd /opt/"$name"/_internal/PySide6/Qt/plugins/platforms/libqxcb.so)
if grep -q "not found" <<<"$libs"; then echo "the X11 plugin lacks: $(grep 'not found' <<<"$libs")" >&2; exit 1; fi
echo "X11 platform plugin: all $(grep -c '=>' <<<"$libs") libraries found"

home=$(mktemp -d)
say "an officer's drafts, made by the installed program in $home"
for run in first second; do  # the first start reads the files from disk, the second from the cache
  started=$(date +%s%N)
  HOME=$home QT_QPA_PLATFORM=offscreen PATENT_APP_QUIT_WHEN_SHOWN=1 timeout -k 5 120 "/usr/bin/$name" 2>/dev/null \
    || { echo "the $run start did not show the window and quit within 120 s (exit code $?)" >&2; exit 1; }
  echo "$run start to the window: $(( ($(date +%s%N) - started) / 1000000 )) ms"
done
[ -f "$home/.local/share/$name/drafts.sqlite3" ] || { echo "no drafts.sqlite3 in $home" >&2; exit 1; }

say "$name --self-test (PATENT_APP_DATA in a temporary folder)"
# the self-test ends itself with every thread's stack if it hangs (selftest.HANG_AFTER_S,
# 420 s); timeout is for a hang before Python runs
HOME=$home PATENT_APP_DATA=$(mktemp -d) QT_QPA_PLATFORM=offscreen timeout -k 10 480 "/usr/bin/$name" --self-test \
  || { echo "--self-test failed or did not end (exit code $?)" >&2; exit 1; }
# the snapshot right before the purge: what the programs themselves wrote under $HOME
# meanwhile (caches, Qt's settings) is not the package's removal touching it
before=$(cd "$home" && find . -type f | sort | xargs sha256sum)

say "apt-get purge $name"
LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get purge -y "$name" 2>&1 | grep -E '^(Removing|Purging|[0-9]+ upgraded)' || true
left=$(ls -d "/opt/$name" "/usr/bin/$name" "/usr/share/applications/$name.desktop" \
       "/usr/share/icons/hicolor/256x256/apps/$name.png" 2>/dev/null || true)
[ -z "$left" ] || { echo "left behind after purge: $left" >&2; exit 1; }
! dpkg-query -W "$name" 2>/dev/null | grep -q .
echo "/opt/$name, the menu entry and the icon are gone"
after=$(cd "$home" && find . -type f | sort | xargs sha256sum)
[ "$before" = "$after" ] || { echo "the user's files changed on removal" >&2; exit 1; }
echo "the user's drafts are untouched: $(wc -l <<<"$after") files in $home"
rm -rf "$home"
say "deb check passed"
SCRIPT
}

if [ -z "$bare" ]; then
  inside | bash -s "$deb" "$name" ""
  exit
fi

command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
. /etc/os-release
. "$(dirname "$0")/common.sh"
mirror=$(debian_mirror)
suite=${suite:-$VERSION_CODENAME}
root=$(mktemp -d /tmp/pca-bare-root.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  if ! mountpoint -q "$root/proc"; then rm -rf "$root"; fi
}
trap cleanup EXIT
printf '\n== bare Debian root: debootstrap --variant=minbase %s %s ==\n' "$suite" "$root"
started=$(date +%s)
debootstrap --variant=minbase "$suite" "$root" "$mirror" > "$root.log" 2>&1 \
  || { tail -20 "$root.log"; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
echo "made in $(( $(date +%s) - started )) s, $(du -sm "$root" | cut -f1) MB"
# this machine's package sources for its own release; another release keeps the
# sources.list debootstrap wrote (the same mirror, that suite)
if [ "$suite" = "$VERSION_CODENAME" ]; then
  rm -f "$root/etc/apt/sources.list"
  cp -a /etc/apt/sources.list /etc/apt/sources.list.d "$root/etc/apt/" 2>/dev/null || true
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"
inside | env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  chroot "$root" bash -s "/tmp/$(basename "$deb")" "$name" 1
