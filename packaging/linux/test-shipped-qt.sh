#!/usr/bin/env bash
# Run the window tests (pytest -m gui) on the Python and Qt the .deb ships: the glibc 2.28
# Python from python-glibc228.sh and the manylinux_2_28 wheels build.sh installed (PySide6
# 6.9, where the development environment has the newest). A Qt difference between the two
# (Qt 6.9's file dialog labels had no shortcut letters) fails here, not on an officer's desk.
#   bash packaging/linux/test-shipped-qt.sh WORK      (WORK: the folder build.sh used)
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/linux/common.sh
work=$(realpath "${1:-build}")
python=$work/python-glibc$GLIBC/bin/python3.11
site=$work/site-glibc$GLIBC
[ -x "$python" ] && [ -d "$site/PySide6" ] || { echo "run packaging/linux/build.sh first (WORK=$work)" >&2; exit 1; }
tests=$work/site-tests
if [ ! -d "$tests/pytestqt" ] || [ ! -f "$tests/pytest_timeout.py" ]; then
  rm -rf "$tests"  # made before a tool was added: made again
  # the test tools that run tests (the linters of the `test` extra are not needed here)
  mapfile -t tools < <(.venv/bin/python - <<'PY'
import re, tomllib
test = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["test"]
wanted = ("pytest", "pytest-qt", "pytest-timeout", "hypothesis", "openxml-audit")
print(*(r for r in test if re.split(r"[<>=!~ \[]", r)[0] in wanted), sep="\n")
PY
)
  wheels_for_glibc "$tests" "${tools[@]}"
fi
echo "PySide6 $(PYTHONPATH=$site "$python" -c 'import PySide6; print(PySide6.__version__)'), Python $("$python" -c 'import platform; print(platform.python_version())')"
# the wheels build.sh installed come first, so pip's copies of shared packages do not mix
PYTHONPATH=$PWD:$site:$tests QT_QPA_PLATFORM=offscreen \
  "$python" -m pytest -q -p no:cacheprovider -m gui
