#!/usr/bin/env bash
# Set up everything the tests need, then run the linter and the whole test suite.
# The browser tests drive Debian's Chromium through Playwright (no browser download):
# it is installed here with apt-get when missing and we are root.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS=test bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's chromium for the browser tests ..." >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "chromium is not installed and cannot be installed here (not root):" \
             "the browser tests will be skipped." >&2
    fi
fi
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
