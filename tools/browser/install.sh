#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages: `chromium` (driven by
# playwright-core; never a browser download) and `poppler-utils` (pdftoppm/pdftotext, to render
# the certificate PDFs the tests check). Idempotent; installs only what is missing.
# Needs root (or passwordless sudo) and apt; without them it says why and exits 0, and the
# browser tests skip with that reason (test/support/chromium.ts).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "browser: apt-get not found; install ${missing[*]} by hand for the browser tests" >&2
  exit 0
fi
sudo=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "browser: not root and no passwordless sudo; install ${missing[*]} by hand for the browser tests" >&2
    exit 0
  fi
fi
echo "browser: installing ${missing[*]} with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
