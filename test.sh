#!/usr/bin/env bash
# Set up everything the tests need, then run the linter and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS=test bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
