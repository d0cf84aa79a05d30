#!/usr/bin/env bash
# Installs a pinned cfn-lint into a private venv under .emulators/cfn-lint (git-ignored).
# Idempotent: does nothing when that version is already installed there.
# The infra test (test/infra/cfn-lint.test.ts) runs .emulators/cfn-lint/bin/cfn-lint.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${ROOT}/.emulators/cfn-lint"
PYTHON="${PYTHON:-python3}"

installed_version() {
  "${VENV}/bin/python" -c 'import importlib.metadata as m; print(m.version("cfn-lint"))' 2>/dev/null || true
}

if [[ -x "${VENV}/bin/cfn-lint" && "$(installed_version)" == "${CFN_LINT_VERSION}" ]]; then
  exit 0
fi

if ! command -v "${PYTHON}" >/dev/null 2>&1; then
  echo "cfn-lint install: ${PYTHON} not found (Python 3.9+ is required)" >&2
  exit 1
fi

mkdir -p "$(dirname "${VENV}")"
"${PYTHON}" -m venv "${VENV}"
"${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check "cfn-lint==${CFN_LINT_VERSION}"
echo "cfn-lint ${CFN_LINT_VERSION} installed in ${VENV}"
