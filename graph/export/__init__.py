"""Export formats: one module per kind of output, one registry of names.

Each exporter turns the built graph (and the model, for flat formats) into
bytes; :func:`graph.files.write_atomically` puts them on disk so that
an interrupted export never leaves a half-written file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph

from graph.formats import RdfSyntax
from graph.vocabulary.model import Vocabulary


@dataclass(frozen=True)
class Exporter:
    name: str
    media_type: str
    extension: str
    render: Callable[[Graph, Vocabulary], bytes]
    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, syntax: RdfSyntax, render: Callable[[Graph, Vocabulary], bytes]) -> Exporter:
        """The exporter of an RDF syntax of graph/formats.py: its name, aliases, suffix."""
        return cls(syntax.name, syntax.media_type, "." + syntax.suffix, render,
                   tuple(name for name in syntax.names if name != syntax.name))


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    for key in (exporter.name, *exporter.aliases):
        EXPORTERS[key] = exporter
    return exporter


def exporter_for(name: str) -> Exporter:
    try:
        return EXPORTERS[name.lower()]
    except KeyError:
        raise KeyError(f"unknown export format '{name}'; choose one of "
                       + ", ".join(format_names())) from None


def format_names() -> list[str]:
    return sorted({e.name for e in EXPORTERS.values()})


# The modules register their formats on import.
from graph.export import csv_glossary, flashcards, jsonld, map_html, rdf  # noqa: E402, F401
