#!/usr/bin/env bash
# Shared set-up: system packages (when missing) and the Python virtualenv with the pinned stack.
# Sourced by scripts/run and scripts/test; safe to run again (it skips what is already there).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
# Fonts the proposal PDF falls back on for scripts the brand's font lacks (Chinese, Japanese,
# Korean, Arabic, Hebrew, Thai, Devanagari): proposals/pdf/brand.py names them; the
# Dockerfile installs the same packages.
PDF_FONT_PACKAGES=(fonts-noto-core fonts-noto-cjk)

apt_packages() {
  local wanted=("$@") missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "==> Installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

python_312() {
  # .python-version selects 3.12 through pyenv; fall back to any python3.12 on PATH.
  local candidate pyenv_root="${PYENV_ROOT:-${HOME:-/root}/.pyenv}"
  # pyenv may not be initialised in a non-interactive shell (CI): look in its folders too.
  for candidate in "$(cd "$ROOT" && pyenv which python 2>/dev/null || true)" \
    "$(command -v python3.12 || true)" \
    $(ls -d "$pyenv_root"/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n 1); do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 12))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "Python 3.12 is needed (pyenv install 3.12, or a python3.12 on PATH)." >&2
  exit 1
}

python_env() {
  local group="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> Creating virtualenv in .venv"
    "$(python_312)" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$group" hash
  hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    echo "==> Installing Python packages (group: $group)"
    "$VENV/bin/python" -m pip install -q --upgrade "pip>=25.1" 2>&1 | grep -v "is ignored" || true
    (cd "$ROOT" && "$VENV/bin/python" -m pip install -q --group "$group" 2>&1 | grep -v "is ignored" || true)
    "$VENV/bin/python" -c "import django" # fail loudly if the install did not work
    echo "$hash" > "$stamp"
  fi
}
