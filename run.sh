#!/usr/bin/env bash
# The main job, on a fresh machine: set everything up, check the vocabulary,
# export it to build/ and print its figures. Extra arguments go to `crmkg`.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
if [ $# -gt 0 ]; then
    exec .venv/bin/crmkg "$@"
fi
.venv/bin/crmkg validate
for pair in turtle:ttl rdfxml:rdf jsonld:jsonld ntriples:nt csv:csv; do
    .venv/bin/crmkg export --format "${pair%%:*}" -o "build/vocabulary.${pair##*:}"
done
.venv/bin/crmkg stats
