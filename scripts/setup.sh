#!/usr/bin/env bash
# Create .venv and install the project into it (editable), once per version of
# pyproject.toml. Sourced by run.sh and test.sh; EXTRAS selects optional groups.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
EXTRAS=${EXTRAS:-}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "crmkg needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
    echo "Set PYTHON=/path/to/python3.11 and run again." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..." >&2
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${EXTRAS:-base}"
if [ ! -f "$stamp" ]; then
    echo "Installing crmkg and its dependencies into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --upgrade pip
    if [ -n "$EXTRAS" ]; then
        .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
    else
        .venv/bin/python -m pip install --quiet -e .
    fi
    touch "$stamp"
fi
