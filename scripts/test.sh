#!/usr/bin/env bash
# Install what is needed and run the whole test suite (Qt offscreen, no display needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
