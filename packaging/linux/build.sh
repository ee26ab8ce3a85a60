#!/usr/bin/env bash
# Build the Linux program: the PyInstaller one-folder bundle, then the .deb around it.
#   bash packaging/linux/build.sh
# → dist/patent-conversion-assistant-<版本>/  and  dist/patent-conversion-assistant_<版本>_<arch>.deb
# DIST=… and WORK=… choose other output and work folders (CI uses temporary ones).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh build
dist=$(realpath -m "${DIST:-dist}")
work=$(realpath -m "${WORK:-build}")
name=$(.venv/bin/python -c "import desktop_app as d; print(d.APP_ID)")
version=$(.venv/bin/python -c "import desktop_app as d; print(d.__version__)")
echo "== PyInstaller: $name $version → $dist/$name-$version/ =="
started=$(date +%s)
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" build_installer.spec
echo "bundle: $(( $(date +%s) - started )) s, $(du -sm "$dist/$name-$version" | cut -f1) MB"
echo "== .deb =="
started=$(date +%s)
deb=$(bash packaging/linux/make-deb.sh "$dist/$name-$version" "$dist")
echo "$deb: $(( $(date +%s) - started )) s, $(du -m "$deb" | cut -f1) MB"
