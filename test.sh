#!/usr/bin/env bash
# Set up everything the tests need, then run the linter and the whole test suite.
# The browser tests drive Debian's Chromium through Playwright (no browser download),
# and the slide tests render decks with Debian's LibreOffice and pdftoppm: these are
# installed here with apt-get when missing and we are root; otherwise those tests skip.
# The external-store tests start Oxigraph's server (pip, test extra) and Debian's Virtuoso
# (virtuoso-opensource-7-bin, installed the same way).
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS=test bash scripts/setup.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource-7-bin)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian packages for the browser, slide and store tests: ${missing[*]} ..." >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            "${missing[@]}" >/dev/null
    else
        echo "Not installed, and not root to install them: ${missing[*]};" \
             "the tests that need them will be skipped." >&2
    fi
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
