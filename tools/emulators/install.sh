#!/usr/bin/env bash
# Installs the local AWS emulators into .emulators/ (git-ignored), each in its own
# Python virtual environment, from the pinned requirement files beside this script.
# Idempotent: a venv is rebuilt only when its requirement file changed.
# Needs only Python >= 3.10 with the venv module, and PyPI.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/emulators"
dest="$root/.emulators"
mkdir -p "$dest"

python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
  echo "emulators: need Python >= 3.10 with the venv module (set PYTHON=/path/to/python3)" >&2
  exit 1
fi

install_venv() {
  local name="$1" requirements="$2"
  local venv="$dest/$name" stamp="$dest/$name/.requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "emulators: installing $name into .emulators/$name ..." >&2
  rm -rf "$venv"
  "$python_bin" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$want" >"$stamp"
}

install_venv moto "$here/moto-requirements.txt"
install_venv kms "$here/kms-requirements.txt"
