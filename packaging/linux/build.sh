#!/usr/bin/env bash
# Build the Linux program: the PyInstaller one-folder bundle, then the .deb around it.
#   bash packaging/linux/build.sh
# → dist/patent-conversion-assistant-<版本>/  and  dist/patent-conversion-assistant_<版本>_<arch>.deb
# DIST=… and WORK=… choose other output and work folders (CI uses temporary ones).
#
# The bundle runs on glibc 2.28 and newer: 统信 UOS 20 (2.28), 麒麟 V10 (2.31), Debian 11–13.
# It is frozen from a Python built for glibc 2.28 (python-glibc228.sh; kept in
# $WORK/python-glibc228 between builds), with the newest wheels built for glibc 2.28
# (manylinux_2_28: PySide6 6.9, where 6.10 and later need glibc 2.34), and carries no
# library of this machine's: the .deb depends on the target's own (make-deb.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh
. packaging/linux/common.sh
dist=$(realpath -m "${DIST:-dist}")
work=$(realpath -m "${WORK:-build}")
name=$(.venv/bin/python -c "import desktop_app as d; print(d.APP_ID)")
version=$(.venv/bin/python -c "import desktop_app as d; print(d.__version__)")

echo "== Python 3.11 for glibc $GLIBC =="
python=$work/python-glibc$GLIBC
bash packaging/linux/python-glibc228.sh "$python"

echo "== the program's packages, as wheels for glibc $GLIBC =="
# pyproject's dependencies and the `build` extra (PyInstaller)
mapfile -t requirements < <(.venv/bin/python - <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print(*project["dependencies"], *project["optional-dependencies"]["build"], sep="\n")
PY
)
site=$work/site-glibc$GLIBC
rm -rf "$site"
wheels_for_glibc "$site" "${requirements[@]}"
[ -d "$site/PySide6" ] || { echo "the packages for glibc $GLIBC could not be installed" >&2; exit 1; }
PYTHONPATH=$site "$python/bin/python3.11" - <<'PY'
import importlib.metadata as m
print("  " + ", ".join(f"{d} {m.version(d)}" for d in ("PySide6-Essentials", "python-docx", "lxml", "pyinstaller")))
PY

echo "== PyInstaller: $name $version → $dist/$name-$version/ =="
started=$(date +%s)
log=$work/pyinstaller.log
if ! PYTHONPATH=$site "$python/bin/python3.11" -m PyInstaller --noconfirm --log-level WARN \
     --distpath "$dist" --workpath "$work/pyinstaller" build_installer.spec >"$log" 2>&1; then
  tail -30 "$log" >&2; exit 1
fi
# optional Qt plugins (GTK theme, Wayland) whose libraries this machine may lack are expected
grep -v "Library not found: could not resolve" "$log" || true
echo "bundle: $(( $(date +%s) - started )) s, $(du -sm "$dist/$name-$version" | cut -f1) MB"
echo "== .deb =="
started=$(date +%s)
deb=$(GLIBC=$GLIBC bash packaging/linux/make-deb.sh "$dist/$name-$version" "$dist")
echo "$deb: $(( $(date +%s) - started )) s, $(du -m "$deb" | cut -f1) MB"
