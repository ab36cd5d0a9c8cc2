#!/usr/bin/env bash
# Render the training deck to PNG, to look at it: `crmkg slides`, then LibreOffice
# (soffice --headless --convert-to pdf), then pdftoppm (1280 px wide pages).
#
#   scripts/render_slides.sh [--docs] [crmkg slides options: --lang en --collection ID …]
#
# Writes build/slides/deck.pptx, deck.pdf and page-NN.png (OUT=DIR to write elsewhere).
# --docs also refreshes docs/slides/*.png: one slide of each kind, as README shows them.
# Needs Debian's libreoffice-impress and poppler-utils, and .venv (./run.sh or ./test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

docs=false
if [[ "${1:-}" == "--docs" ]]; then
    docs=true
    shift
fi
for tool in soffice pdftoppm; do
    if ! command -v "$tool" >/dev/null; then
        echo "render_slides: $tool is missing (apt-get install libreoffice-impress poppler-utils)" >&2
        exit 1
    fi
done

out="${OUT:-build/slides}"
mkdir -p "$out"
rm -f "$out"/page-*.png "$out"/deck.pdf
.venv/bin/crmkg slides "$@" -o "$out/deck.pptx"

profile="$(mktemp -d)"  # a LibreOffice profile of its own: works beside a running office
trap 'rm -rf "$profile"' EXIT
soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf \
    --outdir "$out" "$out/deck.pptx" >/dev/null
pdftoppm -png -scale-to-x 1280 -scale-to-y -1 "$out/deck.pdf" "$out/page"
echo "render_slides: $(ls "$out"/page-*.png | wc -l) pages in $out/" >&2

if $docs; then
    .venv/bin/python - "$out" docs/slides <<'PY'
"""Copy one page of each kind to docs/slides/, found by the names of the deck's shapes."""
import sys
from pathlib import Path

from PIL import Image
from pptx import Presentation

out, docs = Path(sys.argv[1]), Path(sys.argv[2])
docs.mkdir(parents=True, exist_ok=True)
deck = Presentation(str(out / "deck.pptx"))
pages = sorted(out.glob("page-*.png"))


def first(prefix: str, start: int = 0) -> int | None:
    for index, slide in enumerate(deck.slides):
        if index >= start and any(s.name.startswith(prefix) for s in slide.shapes):
            return index
    return None


kinds = {
    "title": 0,
    "funnel": first("Stage 1:"),
    "stage": None if first("Position 1") is None else first("Position 1") + 2,  # MQL
    "sales-cycle": first("Step 1:"),
    "nps-scale": first("Segment 1:"),
    "data-parties": first("Item 1: données first party") or first("Item 1: first-party data"),
    "credits": first("Licence"),
    "glossary": first("Glossary"),
}
for name, index in kinds.items():
    if index is None:
        print(f"render_slides: no {name} slide in this deck", file=sys.stderr)
        continue
    with Image.open(pages[index]) as image:
        small = image.convert("RGB").quantize(colors=96, dither=Image.Dither.NONE)
        small.save(docs / f"{name}.png", optimize=True)
    print(f"render_slides: {docs / (name + '.png')} (slide {index + 1})", file=sys.stderr)
PY
fi
