#!/usr/bin/env bash
# Set up everything the tests need, then run the linter and the whole test suite.
# The browser tests drive Debian's Chromium through Playwright (no browser download),
# and the slide tests render decks with Debian's LibreOffice and pdftoppm: these are
# installed here with apt-get when missing and we are root; otherwise those tests skip.
# The external-store tests start Oxigraph's server (pip, test extra) and Debian's Virtuoso
# (virtuoso-opensource-7-bin, installed the same way). The accessibility tests inject
# axe-core, which npm installs into .cache/axe/.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS=test bash scripts/setup.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-impress)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource-7-bin)
command -v npm >/dev/null 2>&1 || missing+=(npm)
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
# axe-core, which the accessibility tests inject into the pages (pinned; never fetched by a
# test or a page): installed beside the project, in .cache/axe/
AXE_VERSION=4.14.1
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
    echo "Installing axe-core $AXE_VERSION for the accessibility tests ..." >&2
    npm install --silent --no-audit --no-fund --prefix .cache/axe "axe-core@$AXE_VERSION" >/dev/null \
        || echo "axe-core could not be installed: the accessibility checks will be skipped." >&2
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
