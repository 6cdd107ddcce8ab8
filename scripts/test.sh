#!/usr/bin/env bash
# Runs the whole test suite (after making sure the setup is complete) and the linter.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-demo
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -q "$@"
