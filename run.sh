#!/usr/bin/env bash
# The main job, on a fresh machine: set everything up, then serve the web app
# (pages, search, concept map, SPARQL endpoint) on an embedded store, at
# http://127.0.0.1:8000/ . Options go to `crmkg serve` (--host, --port, --config).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/crmkg serve "$@"
