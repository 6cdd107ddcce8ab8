#!/usr/bin/env bash
# Sets up evrak on a fresh Debian machine and runs the main job (`evrak demo`).
# Idempotent: installs only what is missing. `--no-demo` stops after the installation.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=1
[ "${1:-}" = "--no-demo" ] && demo=0

# 1. System packages (LibreOffice, Tesseract + Turkish, fonts, poppler, Redis, ...).
mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/apt-packages.txt)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "evrak kurulum: sistem paketleri kuruluyor: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Python virtual environment with the package (reinstalled when pyproject.toml changes).
py="${PYTHON:-python3}"
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "evrak kurulum: Python 3.11 ya da üstü gerekli ($py: $("$py" --version 2>&1))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=.venv/.evrak-installed
want=$(sha256sum pyproject.toml | cut -c1-64)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "evrak kurulum: Python paketleri kuruluyor"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi

if [ "$demo" = 1 ]; then
  exec .venv/bin/evrak demo
fi
