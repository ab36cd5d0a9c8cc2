#!/usr/bin/env python3
"""Write a synthetic SKOS vocabulary, for tests and measurements at scale.

What real vocabularies rarely combine, on purpose: several concept schemes,
thousands of declared top concepts (siblings at the top of the tree), a deep
chain of broader concepts, labels in languages other than French and English
(German, and Japanese for a few), accents to fold, alt labels, no definitions,
narrower links stated without their broader, and related links. Deterministic:
the same arguments give the same file.

usage: python scripts/generate_vocabulary.py OUT.nt[.gz] [--tops N] [--depth D]
       [--children C] [--schemes S]

With the defaults: 3,000 top concepts over 3 schemes, each with 2 narrower
concepts, and one chain 40 concepts deep: 9,040 concepts.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

BASE = "http://example.org/synthetic/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
WORDS = ["Straße", "Größe", "Übung", "Käse", "Öffnung", "Bühne", "Mädchen", "Grün",
         "Fluss", "Wald", "Berg", "Stadt", "Hafen", "Brücke", "Turm", "Feld"]


def literal(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}'


def concept(n: int) -> str:
    return f"<{BASE}c{n}>"


def triples(tops: int, depth: int, children: int, schemes: int) -> list[str]:
    lines = []
    scheme_iris = [f"<{BASE}scheme/{s}>" for s in range(schemes)]
    for s, scheme in enumerate(scheme_iris):
        lines.append(f"{scheme} <{RDF_TYPE}> <{SKOS}ConceptScheme> .")
        lines.append(f"{scheme} <{SKOS}prefLabel> {literal(f'Schema {s}', 'de')} .")
    number = 0

    def new(label: str, scheme: str) -> str:
        nonlocal number
        number += 1
        node = concept(number)
        lines.append(f"{node} <{RDF_TYPE}> <{SKOS}Concept> .")
        lines.append(f"{node} <{SKOS}prefLabel> {literal(label, 'de')} .")
        lines.append(f"{node} <{SKOS}inScheme> {scheme} .")
        if number % 50 == 0:
            lines.append(f"{node} <{SKOS}prefLabel> {literal(f'概念 {number}', 'ja')} .")
        return node

    previous_top = None
    for t in range(tops):
        scheme = scheme_iris[t % schemes]
        word = WORDS[t % len(WORDS)]
        top = new(f"{word} {t:05d}", scheme)
        lines.append(f"{top} <{SKOS}topConceptOf> {scheme} .")
        lines.append(f"{scheme} <{SKOS}hasTopConcept> {top} .")
        lines.append(f"{top} <{SKOS}altLabel> {literal(f'Alt {word} {t:05d}', 'de')} .")
        for c in range(children):
            child = new(f"{word} {t:05d}.{c}", scheme)
            if c % 2:  # only narrower stated, as some vocabularies do
                lines.append(f"{top} <{SKOS}narrower> {child} .")
            else:
                lines.append(f"{child} <{SKOS}broader> {top} .")
                lines.append(f"{top} <{SKOS}narrower> {child} .")
        if previous_top is not None and t % 7 == 0:
            lines.append(f"{top} <{SKOS}related> {previous_top} .")
            lines.append(f"{previous_top} <{SKOS}related> {top} .")
        previous_top = top
    parent = concept(1)
    for d in range(depth):
        node = new(f"Tiefe {d + 1:02d}", scheme_iris[0])
        lines.append(f"{node} <{SKOS}broader> {parent} .")
        lines.append(f"{parent} <{SKOS}narrower> {node} .")
        parent = node
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="file to write (.nt, or .nt.gz)")
    parser.add_argument("--tops", type=int, default=3000, help="declared top concepts")
    parser.add_argument("--depth", type=int, default=40, help="length of the deep chain")
    parser.add_argument("--children", type=int, default=2, help="narrower concepts per top")
    parser.add_argument("--schemes", type=int, default=3, help="concept schemes")
    args = parser.parse_args(argv)
    data = ("\n".join(triples(args.tops, args.depth, args.children, max(1, args.schemes)))
            + "\n").encode("utf-8")
    if args.output.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
