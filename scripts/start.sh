#!/usr/bin/env bash
# Install what is needed and open the program (the bundled 示例 draft is one click away).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m desktop_app "$@"
