"""``crmkg import FILE --to DIR``: any SKOS vocabulary → our YAML, and what it cannot hold.

The file is read with pyoxigraph (by its suffix, gzip or not; nothing is ever
fetched: a URL or a JSON-LD remote ``@context`` is refused). Each concept
becomes ``DIR/terms/<id>.yaml``, collections go to ``collections.yaml``, the
resources that ``dct:source`` cites to ``sources.yaml``, the description of the
concept scheme(s) (and of the agents they name) to ``scheme.ttl``, and
``vocabulary.yaml`` (the import profile) says what differs from our own data:
the base URI, the schemes, the languages every concept has, which statements
the build derives (:data:`graph.vocabulary.load.PROFILE_BUILD`).

Every triple of the file is either held by the model or dropped with a reason.
The import then loads and builds ``DIR`` as any other data folder and compares
the result with the file: what the model holds must come back identical (the
report says so, or lists what did not), what was dropped is listed by property
with counts and reasons, and what the build adds that the file did not state
(SKOS inverses a file states only in part, for instance) is listed too. All of
it goes to ``DIR/import-report.md``.

Ids come from the end of each URI (slugified; a clash is settled in URI order,
the later URIs getting a short hash), so that importing the same file again gives
the same files; a URI that is not ``<base>id/<id>`` is kept in the YAML (``uri:``).
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import hashlib
import io
import logging
import os
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.term import Node

from graph import files
from graph.config import Settings, as_namespace
from graph.files import remove_leftovers, sync_folder, write_atomically, write_new_file
from graph.namespaces import CRMKG, DCTERMS, EXT_URI, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD
from graph.query.store import StoreError, is_url, rdf_file_format
from graph.relations import IN_FILES, STAGES, inverse_of
from graph.text import local_name
from graph.vocabulary.load import (
    ID_PATTERN,
    MATCH_KEYS,
    NO_LANGUAGE,
    PROFILE_BUILD,
    PROFILE_FILE,
    SCHEME_FILE,
    load_vocabulary,
)
from graph.vocabulary.yamlfile import DataError, DataErrors

REPORT_FILE = "import-report.md"
#: files and folders an import writes in DIR (``--force`` replaces only these)
WRITTEN = (PROFILE_FILE, SCHEME_FILE, "sources.yaml", "collections.yaml", REPORT_FILE)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
EXT_ONTOLOGY = URIRef(EXT_URI.rstrip("#"))
FOAF = "http://xmlns.com/foaf/0.1/"
DC = "http://purl.org/dc/elements/1.1/"


#: YAML key of each note, in the order of our files
NOTES = {"definition": SKOS.definition, "scopeNote": SKOS.scopeNote,
         "editorialNote": SKOS.editorialNote, "example": SKOS.example,
         "historyNote": SKOS.historyNote, "note": SKOS.note, "changeNote": SKOS.changeNote}
LABELS = {"prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel,
          "hiddenLabel": SKOS.hiddenLabel}
MATCHES = {key: SKOS[key] for key in MATCH_KEYS}
#: typed relations of our extension written in term files: property → (YAML key, whether
#: the pair is reversed: crmkg:measures is measuredBy read the other way)
TYPED = {**{r.iri: (r.key, False) for r in IN_FILES.values()},
         **{inverse_of(r).iri: (r.key, True) for r in IN_FILES.values() if not r.symmetric}}
SYMMETRIC = {r.key for r in IN_FILES.values() if r.symmetric}
#: properties by which a scheme names an agent whose description goes to scheme.ttl too
AGENT_PROPERTIES = {DCTERMS.creator, DCTERMS.publisher, DCTERMS.contributor,
                    DCTERMS.rightsHolder, URIRef(DC + "creator"), URIRef(DC + "publisher"),
                    URIRef(DC + "contributor"), SDO.creator, SDO.publisher, SDO.author,
                    SDO.copyrightHolder, SDO.contributor, SDO.maintainer,
                    URIRef(FOAF + "maker")}
AGENT_CLASSES = {URIRef(FOAF + "Agent"), URIRef(FOAF + "Person"), URIRef(FOAF + "Organization"),
                 SDO.Organization, SDO.Person, DCTERMS.Agent, PROV.Agent,
                 URIRef("http://www.w3.org/ns/org#Organization")}

WELL_KNOWN = {"skos": str(SKOS), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
              "xsd": str(XSD), "dct": str(DCTERMS), "dc": DC, "prov": str(PROV),
              "schema": str(SDO), "crmkg": EXT_URI, "foaf": FOAF}

# why a triple is not held (the report groups by these)
WHY_PROPERTY = "a property of {what} that the model does not hold"
WHY_CLASS = "another class of a {what} (the model holds only {cls})"
WHY_NOT_CONCEPT = "a link to something that is not a concept of the file"
WHY_SELF = "a link from a concept to itself"
WHY_VALUE = "a value the model cannot hold here ({kind})"
WHY_S14 = "a second skos:prefLabel in one language (SKOS S14)"
WHY_S13 = "a label that is also the concept's {other} in that language (SKOS S13)"
WHY_ONE_PER_LANGUAGE = "a second {key} in one language (a {what} holds one)"
WHY_SOURCE = "dct:source citing something that the file does not describe"
WHY_DERIVED = "a {prop} that the build does not derive here ({flag}: false)"
WHY_SCHEME_LINK = "a link from a scheme to a concept or collection (other than " \
                  "skos:hasTopConcept)"
WHY_OTHER = "a resource that is not a concept, collection, scheme or source"
WHY_EXT = "differs from our extension's declarations (ontology/ext.ttl)"
WHY_STAGES = "crmkg:precedes/follows outside the stages of an ordered collection"
WHY_LIST = "an ordered collection's list that is malformed or holds something other " \
           "than concepts"
WHY_MEMBER = "a member that is missing from its ordered collection's list"
WHY_DEPICTS = "a second dct:subject of a collection (it depicts one concept)"
WHY_SOURCE_FIELD = "a detail of a source that the model cannot hold ({detail})"

log = logging.getLogger(__name__)


class ImportFailure(ValueError):
    """The file cannot be imported, or DIR cannot be written: the message says why."""


# --- reading ---------------------------------------------------------------------------------

def file_format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of a file by its suffix, as the app reads it (see graph.query.store)."""
    try:
        return rdf_file_format(path)
    except StoreError as exc:
        raise ImportFailure(str(exc)) from None


@dataclass
class SourceFile:
    """The file read: its graph, the prefixes it declares, and what it held."""

    path: Path
    graph: Graph
    prefixes: dict[str, str]
    format_name: str
    named_graphs: int = 0


def read_rdf(location: str | Path) -> SourceFile:
    """Parse a local RDF file into an rdflib graph (never fetching anything)."""
    text = str(location)
    if is_url(text):
        raise ImportFailure(f"{text}: a URL; crmkg never downloads anything. Download the "
                            "file yourself and give its local path.")
    path = Path(text).expanduser()
    if not path.is_file():
        raise ImportFailure(f"{text}: no such file")
    fmt, compressed = file_format(path)
    try:
        raw = path.read_bytes()
        data = gzip.decompress(raw) if compressed else raw
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ImportFailure(f"{path}: could not be read: {exc}") from None
    if fmt == ox.RdfFormat.RDF_XML and re.search(rb"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", data):
        raise ImportFailure(f"{path}: declares an external XML entity; crmkg never reads "
                            "anything but the file itself. Remove the entity declaration.")
    base = path.resolve().as_uri()
    graph = Graph()
    names: set[str] = set()
    term = _converter()
    try:
        parser = ox.parse(io.BytesIO(data), format=fmt, base_iri=base)
        with _quiet_rdflib():
            add = graph.add
            for quad in parser:
                add((term(quad.subject), term(quad.predicate), term(quad.object)))
                if not isinstance(quad.graph_name, ox.DefaultGraph):
                    names.add(str(quad.graph_name))
        prefixes = dict(getattr(parser, "prefixes", None) or {})
    except SyntaxError as exc:
        message = str(exc)
        if "LoadDocumentCallback" in message or "remote context" in message.lower():
            raise ImportFailure(f"{path}: its JSON-LD refers to a remote @context, and crmkg "
                                "never fetches anything. Put the context inline in the file "
                                f"(or convert it to Turtle). ({message})") from None
        raise ImportFailure(f"{path}: not valid {fmt.name.replace('_', '-')}: {message}") \
            from None
    return SourceFile(path, graph, prefixes, fmt.name.replace("_", "-") +
                      (", gzip" if compressed else ""), len(names))


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a warning for each ill-formed typed literal (YSA has some); the
    literal is kept as it is, so say nothing."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _converter() -> Any:
    """pyoxigraph term → rdflib term (one URIRef object per IRI, to save memory)."""
    iris: dict[str, URIRef] = {}

    def term(value: Any) -> Node:
        if isinstance(value, ox.NamedNode):
            text = value.value
            iri = iris.get(text)
            if iri is None:
                iri = iris[text] = URIRef(text)
            return iri
        if isinstance(value, ox.BlankNode):
            return BNode(value.value)
        if isinstance(value, ox.Literal):
            if value.language:
                return Literal(value.value, lang=value.language)
            datatype = value.datatype.value
            # RDF 1.1: a plain literal is an xsd:string; rdflib keeps them apart, so one form
            return Literal(value.value,
                           datatype=None if datatype == XSD_STRING else URIRef(datatype))
        raise ImportFailure(f"RDF-star triples cannot be imported ({value})")

    return term


# --- ids and text ----------------------------------------------------------------------------

def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def _digest(uri: str, length: int = 6) -> str:
    return hashlib.sha1(uri.encode("utf-8")).hexdigest()[:length]


def assign_ids(uris: Iterable[str], canonical_prefix: str, used: set[str] | None = None,
               ) -> dict[str, str]:
    """A stable, unique id for each URI: ``<prefix><id>`` gives ``id``; otherwise the slug
    of its local name, the first URI (in URI order) keeping it and the others getting
    ``-<6 hex digits of its SHA-1>``."""
    used = set() if used is None else used
    result: dict[str, str] = {}

    def canonical(uri: str) -> str | None:
        if uri.startswith(canonical_prefix):
            rest = uri[len(canonical_prefix):]
            if ID_PATTERN.match(rest):
                return rest
        return None

    ordered = sorted(uris, key=lambda u: (canonical(u) is None, u))
    for uri in ordered:
        wanted = canonical(uri) or slugify(local_name(uri)) or f"id-{_digest(uri, 8)}"
        candidate, length = wanted, 6
        while candidate in used:
            candidate = f"{wanted}-{_digest(uri, length)}"
            length += 2
        used.add(candidate)
        result[uri] = candidate
    return result


# YAML written by hand, so that it looks like our own files: block mappings, flow lists,
# folded blocks for long texts; every scalar quoted when a plain one could be misread.
_WIDTH = 92
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}
#: never in a plain scalar (the first character must be a letter, which rules out the rest)
_PLAIN_FORBIDDEN = set(":#,[]{}?\t")
_BREAKS = {"\x85", "\u2028", "\u2029"}


def _printable(ch: str) -> bool:
    code = ord(ch)
    return (ch in "\t\n\r" or 0x20 <= code <= 0x7E or code == 0x85
            or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)


_PLAIN_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~/:@!$&()*+;=%]*[^:]")


def _plain_ok(text: str) -> bool:
    if _PLAIN_URI.fullmatch(text) and ": " not in text:
        return True
    return (bool(text) and text[0].isalpha() and text == text.strip() and "  " not in text
            and text.lower() not in _YAML_WORDS
            and not any(ch in _PLAIN_FORBIDDEN or ch in _BREAKS or ch == "\n"
                        or not _printable(ch) for ch in text))


def _quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch in _BREAKS or not _printable(ch) or ord(ch) < 0x20:
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code < 0x100 else
                       f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar(value: Any) -> str:
    """One YAML scalar: plain when it reads back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if value is None:
        return "null"
    text = str(value)
    return text if _plain_ok(text) else _quoted(text)


def _foldable(text: str) -> bool:
    return (text == " ".join(text.split()) and text == text.replace("\t", "")
            and all(_printable(ch) and ch not in _BREAKS for ch in text))


def _literal_ok(text: str) -> bool:
    lines = text.split("\n")
    return ("\n" in text and "\r" not in text and not text.endswith("\n")
            and lines[0][:1] not in (" ", "\t", "")
            and all(line == "" or line.strip() for line in lines)
            and all(_printable(ch) and ch not in _BREAKS for ch in text))


def _fold(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def text_lines(prefix: str, text: str, indent: int) -> list[str]:
    """``prefix`` (such as ``"  en:"`` or ``"    -"``) followed by the text: on the same line
    when it fits, else as a folded (or literal) block indented by ``indent``."""
    one = f"{prefix} {scalar(text)}"
    if len(one) <= _WIDTH and "\n" not in text:
        return [one]
    pad = " " * indent
    if _foldable(text):
        return [f"{prefix} >-", *(pad + line for line in _fold(text, _WIDTH - indent))]
    if _literal_ok(text):
        return [f"{prefix} |-", *((pad + line) if line else "" for line in text.split("\n"))]
    return [one]


def flow_list(prefix: str, items: list[Any]) -> list[str]:
    """``prefix [a, b, …]``, wrapped under the opening bracket when long."""
    if not items:
        return [f"{prefix} []"]
    parts = [scalar(item) for item in items]
    lines: list[str] = []
    start = f"{prefix} ["
    pad = " " * len(start)
    current = start
    for i, part in enumerate(parts):
        piece = part + ("]" if i == len(parts) - 1 else ",")
        if current not in (start, pad) and len(current) + 1 + len(piece) > _WIDTH:
            lines.append(current)
            current = pad + piece
        else:
            current += (" " if current not in (start, pad) else "") + piece
    lines.append(current)
    return lines


def comment(text: str) -> str:
    clean = "".join(ch if _printable(ch) and ch not in _BREAKS and ch not in "\n\r\t" else " "
                    for ch in text)
    return ("# " + " ".join(clean.split()))[:_WIDTH * 2]


# --- the mapping -----------------------------------------------------------------------------

@dataclass
class _Item:
    """What the YAML of one concept, collection or source will say."""

    id: str
    uri: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What an import did: counts, and the comparison of the rebuilt graph with the file."""

    source: Path
    target: Path
    triples: int
    concepts: int
    collections: int
    sources: int
    schemes: int
    #: dropped triples by reason and by predicate (CURIEs)
    dropped: Counter[tuple[str, str]]
    #: triples the build states that the file did not, by predicate
    added: Counter[str]
    #: triples the model was meant to hold but that did not come back (should be empty)
    lost: Counter[str]
    held: int
    report_path: Path
    profile: dict[str, Any] = field(default_factory=dict)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    rebuilt_triples: int = 0

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def dropped_by_predicate(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (_reason, predicate), n in self.dropped.items():
            counts[predicate] += n
        return counts


class _Mapper:
    """Decides, triple by triple, what the model holds; builds the YAML and the profile."""

    def __init__(self, source: SourceFile, base_uri: str | None, ext: Graph):
        self.src = source
        self.g = source.graph
        self.ext = ext
        # CURIEs for the report: our usual prefixes first, then those the file declares
        self.prefixes = dict(WELL_KNOWN)
        for prefix, namespace in sorted(source.prefixes.items()):
            if prefix and namespace and namespace not in self.prefixes.values():
                self.prefixes.setdefault(prefix, namespace)
        self.drops: dict[tuple[Node, Node, Node], str] = {}
        self.base_uri = base_uri
        self.renamed: list[tuple[str, str]] = []

    # -- helpers --
    def curie(self, node: Node) -> str:
        text = str(node)
        best, length = None, 0
        for prefix, namespace in self.prefixes.items():
            if text.startswith(namespace) and len(namespace) > length:
                rest = text[len(namespace):]
                if re.fullmatch(r"[A-Za-z_][\w.-]*", rest or "x"):
                    best, length = prefix, len(namespace)
        if best is not None:
            return f"{best}:{text[length:]}"
        return f"<{text}>"

    def drop(self, triple: tuple[Node, Node, Node], why: str) -> None:
        self.drops.setdefault(triple, why)

    # -- the plan --
    def run(self) -> dict[str, bytes]:
        g = self.g
        self.concepts = {s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}
        self.collections = {s for cls in (SKOS.Collection, SKOS.OrderedCollection)
                            for s in g.subjects(RDF.type, cls)
                            if isinstance(s, URIRef) and s not in self.concepts}
        schemes = {s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)}
        for predicate in (SKOS.inScheme, SKOS.topConceptOf):
            schemes |= {o for o in g.objects(None, predicate) if isinstance(o, URIRef)}
        schemes |= {s for s in g.subjects(SKOS.hasTopConcept, None) if isinstance(s, URIRef)}
        self.schemes = schemes - self.concepts - self.collections
        cited = {o for p in (DCTERMS.source,) for o in g.objects(None, p)
                 if isinstance(o, URIRef)}
        self.sources = {o for o in cited if (o, None, None) in g} - self.concepts \
            - self.collections - self.schemes
        self.extension = (EXT_ONTOLOGY, RDF.type, OWL.Ontology) in g
        self.ext_subjects = set(self.ext.subjects()) if self.extension else set()
        self.ext_subjects -= self.concepts | self.collections | self.schemes | self.sources

        self.main = self._main_scheme()
        self.base = self._base()
        used: set[str] = set()
        self.concept_ids = assign_ids(map(str, self.concepts), self.base + "id/", used)
        self.collection_ids = assign_ids(map(str, self.collections),
                                         self.base + "collection/", used)
        self.source_ids = assign_ids(map(str, self.sources), self.base + "source/")
        self.scheme_ids = assign_ids(map(str, sorted(self.schemes)), self.base)
        if self.main is None:  # a file with no scheme at all: one to name, and nothing stated
            self.main = URIRef(self.base + "scheme")
            self.scheme_ids[str(self.main)] = "scheme"
        for uri, new in {**self.concept_ids, **self.collection_ids}.items():
            plain = slugify(local_name(uri))
            if plain and new != plain and not uri.endswith("/" + new):
                self.renamed.append((uri, new))

        self.flags = self._flags()
        self.cid = {URIRef(u): i for u, i in self.concept_ids.items()}
        self.kid = {URIRef(u): i for u, i in self.collection_ids.items()}
        self.sid = {URIRef(u): i for u, i in self.source_ids.items()}
        self.schid = {URIRef(u): i for u, i in self.scheme_ids.items()}
        self.items = {c: _Item(self.cid[c], str(c)) for c in self.concepts}
        self.broader: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.related: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.typed: dict[str, set[tuple[URIRef, URIRef]]] = defaultdict(set)
        self.tops: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.implied_related: set[tuple[URIRef, URIRef]] = set()
        self.list_nodes: set[Node] = set()
        self.metadata = Graph()
        self.metadata_subjects: set[Node] = set()

        collections = self._map_collections()
        for concept in sorted(self.concepts):
            self._map_concept(concept)
        self._map_schemes()
        sources = self._map_sources()
        self._map_extension()
        self._map_others()
        self._finish_concepts()
        return self._files(collections, sources)

    def _main_scheme(self) -> URIRef | None:
        if not self.schemes:
            return None
        g = self.g
        weight: Counter[URIRef] = Counter()
        for scheme in self.schemes:
            weight[scheme] = (sum(1 for _ in g.subjects(SKOS.inScheme, scheme))
                              + sum(1 for _ in g.subjects(SKOS.topConceptOf, scheme))
                              + sum(1 for _ in g.objects(scheme, SKOS.hasTopConcept)))
        return max(sorted(self.schemes), key=lambda s: weight[s])

    def _base(self) -> str:
        if self.base_uri:
            return as_namespace(self.base_uri)
        ours: Counter[str] = Counter()
        for concept in self.concepts:
            match = re.match(r"^(.*/)id/([a-z0-9]+(?:-[a-z0-9]+)*)$", str(concept))
            if match:
                ours[match.group(1)] += 1
        if ours:
            return max(sorted(ours), key=lambda b: ours[b])
        uris = sorted(str(c) for c in self.concepts)
        if uris:
            prefix = _common_prefix(uris[0], uris[-1])
            cut = max(prefix.rfind("/"), prefix.rfind("#"))
            if cut > prefix.find("://") + 2 > 2:
                return prefix[:cut + 1]
        if self.main is not None:
            return as_namespace(str(self.main))
        return "urn:crmkg:imported/"

    def _flags(self) -> dict[str, bool]:
        """What the build derives: what the file states for at least half of the cases."""
        g, concepts = self.g, self.concepts
        links = {(s, o) for s, o in g.subject_objects(SKOS.broader)
                 if s in concepts and o in concepts}
        down = {(o, s) for s, o in g.subject_objects(SKOS.narrower)
                if s in concepts and o in concepts}
        narrower = bool(down) and 2 * len(down) >= len(links | down)
        tops = {(c, s) for c, s in g.subject_objects(SKOS.topConceptOf)
                if c in concepts and s in self.schemes}
        has = {(c, s) for s, c in g.subject_objects(SKOS.hasTopConcept)
               if c in concepts and s in self.schemes}
        has_top = bool(has) and 2 * len(has) >= len(tops | has)
        related = {(s, o) for s, o in g.subject_objects(SKOS.related)
                   if s in concepts and o in concepts}
        pairs = {frozenset(x) for x in related}
        both = sum(1 for p in pairs if len(p) == 2 and all(
            (a, b) in related for a in p for b in p if a != b))
        related_both = bool(pairs) and 2 * both >= len(pairs)
        held = self.concepts | self.collections
        defined = sum(1 for s in held if (s, RDFS.isDefinedBy, self.main) in g)
        cites = [(s, o) for s, o in g.subject_objects(DCTERMS.source)
                 if s in held and o in self.sources]
        derived = sum(1 for s, o in cites if (s, PROV.wasDerivedFrom, o) in g)
        ordered = [k for k in self.collections if (k, RDF.type, SKOS.OrderedCollection) in g]
        listed = stated = 0
        for collection in ordered:
            items = self._list_items(collection)[0] or []
            listed += len(items)
            stated += sum(1 for m in items if (collection, SKOS.member, m) in g)
        return {
            "narrower": narrower,
            "hasTopConcept": has_top,
            "relatedBothWays": related_both,
            "definedBy": bool(defined) and 2 * defined >= len(held),
            "themes": (None, CRMKG.theme, None) in g,
            "provenance": bool(derived) and 2 * derived >= len(cites),
            "extension": self.extension,
            "orderedMembers": stated > 0 and 2 * stated >= listed if listed else True,
        }

    # -- lists --
    def _list_items(self, collection: URIRef) -> tuple[list[URIRef] | None, list[Node]]:
        """The concepts of an ordered collection's memberList and its list nodes, or None."""
        heads = list(self.g.objects(collection, SKOS.memberList))
        if len(heads) != 1:
            return None, []
        node, items, nodes = heads[0], [], []
        seen: set[Node] = set()
        while node != RDF.nil:
            if not isinstance(node, BNode) or node in seen:
                return None, nodes
            seen.add(node)
            nodes.append(node)
            pairs = list(self.g.predicate_objects(node))
            firsts = [o for p, o in pairs if p == RDF.first]
            rests = [o for p, o in pairs if p == RDF.rest]
            others = [p for p, _ in pairs if p not in (RDF.first, RDF.rest, RDF.type)
                      or (p == RDF.type and _ != RDF.List)]
            if (len(firsts) != 1 or len(rests) != 1 or others or firsts[0] not in self.concepts
                    or firsts[0] in items):
                return None, nodes
            items.append(firsts[0])
            node = rests[0]
        return items, nodes

    # -- labels and notes --
    def _texts(self, subject: URIRef, predicate: URIRef, values: list[Node], key: str,
               single: bool, what: str) -> dict[str, Any]:
        """Language → text (``single``) or texts; anything else is dropped."""
        by_lang: dict[str, list[str]] = defaultdict(list)
        for value in values:
            triple = (subject, predicate, value)
            if not isinstance(value, Literal):
                self.drop(triple, WHY_VALUE.format(kind="not a literal"))
            elif value.datatype is not None:
                self.drop(triple, WHY_VALUE.format(kind="a typed literal"))
            elif not str(value).strip():
                self.drop(triple, WHY_VALUE.format(kind="an empty text"))
            else:
                by_lang[value.language or NO_LANGUAGE].append(str(value))
        result: dict[str, Any] = {}
        for lang in sorted(by_lang):
            texts = sorted(by_lang[lang])
            if single:
                result[lang] = texts[0]
                for extra in texts[1:]:
                    self.drop((subject, predicate, _lit(extra, lang)),
                              WHY_S14 if key == "prefLabel" else
                              WHY_ONE_PER_LANGUAGE.format(key=key, what=what))
            else:
                result[lang] = texts
        return result

    def _objects_by_predicate(self, subject: URIRef) -> dict[Node, list[Node]]:
        """The subject's statements, by predicate: each mapped one is popped, the rest reported."""
        by_predicate: dict[Node, list[Node]] = defaultdict(list)
        for predicate, value in self.g.predicate_objects(subject):
            by_predicate[predicate].append(value)
        return by_predicate

    # -- concepts --
    def _map_concept(self, concept: URIRef) -> None:
        item = self.items[concept]
        by_predicate = self._objects_by_predicate(concept)
        f = item.fields
        if item.uri != self.base + "id/" + item.id:
            f["uri"] = item.uri
        labels = {key: self._texts(concept, predicate, by_predicate.pop(predicate, []), key,
                                   key == "prefLabel", "concept")
                  for key, predicate in LABELS.items()}
        # SKOS S13: the three kinds of label are disjoint (in one language)
        for lang, texts in list(labels["altLabel"].items()):
            keep = []
            for text in texts:
                if labels["prefLabel"].get(lang) == text:
                    self.drop((concept, SKOS.altLabel, _lit(text, lang)),
                              WHY_S13.format(other="prefLabel"))
                else:
                    keep.append(text)
            labels["altLabel"][lang] = keep
        for lang, texts in list(labels["hiddenLabel"].items()):
            keep = []
            for text in texts:
                if labels["prefLabel"].get(lang) == text or text in labels["altLabel"].get(lang,
                                                                                          []):
                    self.drop((concept, SKOS.hiddenLabel, _lit(text, lang)),
                              WHY_S13.format(other="prefLabel or altLabel"))
                else:
                    keep.append(text)
            labels["hiddenLabel"][lang] = keep
        for key, value in labels.items():
            value = {lang: texts for lang, texts in value.items() if texts}
            if value:
                f[key] = value
        for key, predicate in NOTES.items():
            texts = self._texts(concept, predicate, by_predicate.pop(predicate, []), key,
                                False, "concept")
            if texts:
                f[key] = {lang: values[0] if len(values) == 1 else values
                          for lang, values in texts.items()}
        notations = []
        for value in by_predicate.pop(SKOS.notation, []):
            if isinstance(value, Literal) and not value.language and str(value):
                notations.append((str(value), str(value.datatype) if value.datatype else None))
            else:
                self.drop((concept, SKOS.notation, value),
                          WHY_VALUE.format(kind="a notation with a language tag"))
        if notations:
            f["notation"] = sorted(notations)
        for value in by_predicate.pop(RDF.type, []):
            if value != SKOS.Concept:
                self.drop((concept, RDF.type, value),
                          WHY_CLASS.format(what="concept", cls="skos:Concept"))
        for value in by_predicate.pop(SKOS.broader, []):
            if value in self.concepts and value != concept:
                self.broader[concept].add(value)
            else:
                self.drop((concept, SKOS.broader, value), self._why_link(concept, value))
        for value in by_predicate.pop(SKOS.narrower, []):
            if value in self.concepts and value != concept:
                self.broader[value].add(concept)
                if not self.flags["narrower"]:
                    self.drop((concept, SKOS.narrower, value),
                              WHY_DERIVED.format(prop="skos:narrower", flag="narrower"))
            else:
                self.drop((concept, SKOS.narrower, value), self._why_link(concept, value))
        for value in by_predicate.pop(SKOS.related, []):
            if value in self.concepts and value != concept:
                self.related[concept].add(value)
            else:
                self.drop((concept, SKOS.related, value), self._why_link(concept, value))
        schemes = set()
        for value in by_predicate.pop(SKOS.inScheme, []):
            if value in self.schemes:
                schemes.add(self.schid[value])
            else:
                self.drop((concept, SKOS.inScheme, value), WHY_VALUE.format(kind="not a URI"))
        item.fields["_inScheme"] = sorted(schemes)
        for value in by_predicate.pop(SKOS.topConceptOf, []):
            if value in self.schemes:
                self.tops[concept].add(value)
            else:
                self.drop((concept, SKOS.topConceptOf, value),
                          WHY_VALUE.format(kind="not a URI"))
        for value in by_predicate.pop(RDFS.isDefinedBy, []):
            if not (self.flags["definedBy"] and value == self.main):
                self.drop((concept, RDFS.isDefinedBy, value),
                          WHY_PROPERTY.format(what="concepts") if value != self.main else
                          WHY_DERIVED.format(prop="rdfs:isDefinedBy", flag="definedBy"))
        self._sources_of(concept, by_predicate, item)
        for value in by_predicate.pop(CRMKG.theme, []):
            if not self.flags["themes"]:
                self.drop((concept, CRMKG.theme, value),
                          WHY_DERIVED.format(prop="crmkg:theme", flag="themes"))
        for predicate, (key, reverse) in TYPED.items():
            for value in by_predicate.pop(predicate, []):
                if value in self.concepts and value != concept:
                    pair = (value, concept) if reverse else (concept, value)
                    if key in SYMMETRIC:
                        pair = tuple(sorted(pair))  # type: ignore[assignment]
                    self.typed[key].add(pair)  # type: ignore[arg-type]
                else:
                    self.drop((concept, predicate, value), self._why_link(concept, value))
        for predicate in (STAGES.iri, inverse_of(STAGES).iri):
            for value in by_predicate.pop(predicate, []):
                forward = (concept, value) if predicate == STAGES.iri else (value, concept)
                if forward not in self.stage_pairs:
                    self.drop((concept, predicate, value), WHY_STAGES)
        for key, predicate in MATCHES.items():
            targets = []
            for value in by_predicate.pop(predicate, []):
                if isinstance(value, URIRef):
                    targets.append(str(value))
                else:
                    self.drop((concept, predicate, value),
                              WHY_VALUE.format(kind="a mapping to something without a URI"))
            if targets:
                f[key] = sorted(targets)
        for predicate, values in by_predicate.items():
            for value in values:
                self.drop((concept, predicate, value), WHY_PROPERTY.format(what="concepts"))

    @staticmethod
    def _why_link(concept: Node, value: Node) -> str:
        return WHY_SELF if value == concept else WHY_NOT_CONCEPT

    def _sources_of(self, subject: URIRef, by_predicate: dict[Node, list[Node]],
                    item: _Item) -> None:
        cited = []
        for value in by_predicate.pop(DCTERMS.source, []):
            if value in self.sources:
                cited.append(value)
            else:
                self.drop((subject, DCTERMS.source, value), WHY_SOURCE)
        for value in by_predicate.pop(PROV.wasDerivedFrom, []):
            if not (self.flags["provenance"] and value in cited):
                self.drop((subject, PROV.wasDerivedFrom, value),
                          WHY_PROPERTY.format(what="concepts and collections")
                          if value not in cited else
                          WHY_DERIVED.format(prop="prov:wasDerivedFrom", flag="provenance"))
        if cited:
            item.fields["sources"] = sorted(self.sid[s] for s in cited)

    # -- collections --
    def _map_collections(self) -> dict[str, dict[str, Any]]:
        g = self.g
        self.stage_pairs: set[tuple[URIRef, URIRef]] = set()
        result: dict[str, dict[str, Any]] = {}
        for collection in sorted(self.collections):
            item = _Item(self.kid[collection], str(collection))
            by_predicate = self._objects_by_predicate(collection)
            f = item.fields
            if item.uri != self.base + "collection/" + item.id:
                f["uri"] = item.uri
            for key in ("prefLabel", "altLabel", "hiddenLabel"):
                texts = self._texts(collection, LABELS[key], by_predicate.pop(LABELS[key], []),
                                    key, key == "prefLabel", "collection")
                if texts:
                    f[key] = texts
            for key in ("definition", "scopeNote"):
                texts = self._texts(collection, NOTES[key], by_predicate.pop(NOTES[key], []),
                                    key, True, "collection")
                if texts:
                    f[key] = texts
            ordered = (collection, RDF.type, SKOS.OrderedCollection) in g
            for value in by_predicate.pop(RDF.type, []):
                if value not in (SKOS.Collection, SKOS.OrderedCollection):
                    self.drop((collection, RDF.type, value),
                              WHY_CLASS.format(what="collection",
                                               cls="skos:Collection or skos:OrderedCollection"))
            members = list(by_predicate.pop(SKOS.member, []))
            heads = by_predicate.pop(SKOS.memberList, [])
            items: list[URIRef] | None = None
            if ordered:
                items, nodes = self._list_items(collection)
                if items is None:
                    for head in heads:
                        self.drop((collection, SKOS.memberList, head), WHY_LIST)
                    self.drop((collection, RDF.type, SKOS.OrderedCollection), WHY_LIST)
                    ordered = False
                else:
                    self.list_nodes.update(nodes)
            elif heads:
                for head in heads:
                    self.drop((collection, SKOS.memberList, head), WHY_LIST)
            if ordered and items is not None:
                for member in members:
                    if member not in items:
                        self.drop((collection, SKOS.member, member), WHY_MEMBER)
                    elif not self.flags["orderedMembers"]:
                        self.drop((collection, SKOS.member, member),
                                  WHY_DERIVED.format(prop="skos:member of an ordered "
                                                     "collection", flag="orderedMembers"))
                f["members"] = [self.cid[m] for m in items]
                pairs = list(zip(items, items[1:], strict=False))
                if pairs and all((a, STAGES.iri, b) in g and (b, inverse_of(STAGES).iri, a) in g
                                 for a, b in pairs):
                    f["stages"] = True
                    self.stage_pairs.update(pairs)
                    for a, b in pairs:
                        self.implied_related.update({(a, b), (b, a)})
            else:
                kept = []
                for member in members:
                    if member in self.concepts:
                        kept.append(self.cid[member])
                    else:
                        self.drop((collection, SKOS.member, member),
                                  WHY_VALUE.format(kind="a member that is not a concept"))
                f["members"] = sorted(kept)
                f["ordered"] = False
            schemes = []
            for value in by_predicate.pop(SKOS.inScheme, []):
                if value in self.schemes:
                    schemes.append(self.schid[value])
                else:
                    self.drop((collection, SKOS.inScheme, value), WHY_NOT_CONCEPT)
            if schemes:
                f["inScheme"] = sorted(schemes)
            for value in by_predicate.pop(RDFS.isDefinedBy, []):
                if not (self.flags["definedBy"] and value == self.main):
                    self.drop((collection, RDFS.isDefinedBy, value),
                              WHY_PROPERTY.format(what="collections"))
            self._sources_of(collection, by_predicate, item)
            subjects = sorted(v for v in by_predicate.pop(DCTERMS.subject, [])
                              if v in self.concepts)
            for value in g.objects(collection, DCTERMS.subject):
                if value not in self.concepts:
                    self.drop((collection, DCTERMS.subject, value), WHY_NOT_CONCEPT)
                elif value != subjects[0]:
                    self.drop((collection, DCTERMS.subject, value), WHY_DEPICTS)
            if subjects:
                f["depicts"] = self.cid[subjects[0]]
            for predicate, values in by_predicate.items():
                for value in values:
                    self.drop((collection, predicate, value),
                              WHY_PROPERTY.format(what="collections"))
            result[item.id] = f
        return dict(sorted(result.items()))

    # -- schemes: their description goes to scheme.ttl --
    def _map_schemes(self) -> None:
        g = self.g
        held = self.concepts | self.collections
        for scheme in sorted(self.schemes):
            for predicate, value in g.predicate_objects(scheme):
                triple = (scheme, predicate, value)
                if predicate == SKOS.hasTopConcept:
                    if value in self.concepts:
                        self.tops[value].add(scheme)
                        if not self.flags["hasTopConcept"]:
                            self.drop(triple, WHY_DERIVED.format(prop="skos:hasTopConcept",
                                                                 flag="hasTopConcept"))
                    else:
                        self.drop(triple, WHY_NOT_CONCEPT)
                elif (predicate == PROV.wasDerivedFrom and value in self.sources
                      and self.flags["provenance"] and scheme == self.main):
                    continue  # derived from the sources
                elif value in held:
                    self.drop(triple, WHY_SCHEME_LINK)
                else:
                    self._describe(triple)
                    if isinstance(value, URIRef) and value not in self.schemes \
                            and value not in self.sources and value not in self.ext_subjects \
                            and (predicate in AGENT_PROPERTIES
                                 or any((value, RDF.type, c) in g for c in AGENT_CLASSES)):
                        for p2, o2 in g.predicate_objects(value):
                            self._describe((value, p2, o2))

    def _describe(self, triple: tuple[Node, Node, Node]) -> None:
        """Into scheme.ttl, with the blank nodes it leads to."""
        if triple in self.metadata:
            return
        self.metadata.add(triple)
        self.metadata_subjects.add(triple[0])
        value = triple[2]
        if isinstance(value, BNode) and value not in self.metadata_subjects:
            self.metadata_subjects.add(value)
            for p2, o2 in self.g.predicate_objects(value):
                self._describe((value, p2, o2))

    # -- sources --
    def _map_sources(self) -> dict[str, dict[str, Any]]:
        g = self.g
        result: dict[str, dict[str, Any]] = {}
        for source in sorted(self.sources):
            item = _Item(self.sid[source], str(source))
            f = item.fields
            if item.uri != self.base + "source/" + item.id:
                f["uri"] = item.uri
            by_predicate: dict[Node, list[Node]] = defaultdict(list)
            for predicate, value in g.predicate_objects(source):
                by_predicate[predicate].append(value)

            def skip(predicate: Node, value: Node, detail: str, source: URIRef = source) -> None:
                self.drop((source, predicate, value), WHY_SOURCE_FIELD.format(detail=detail))

            for value in by_predicate.pop(RDF.type, []):
                if value != DCTERMS.BibliographicResource:
                    self.drop((source, RDF.type, value),
                              WHY_CLASS.format(what="source", cls="dct:BibliographicResource"))
            titles = sorted((v for v in by_predicate.pop(DCTERMS.title, [])),
                            key=lambda v: (str(v), str(getattr(v, "language", ""))))
            title: Literal | None = None
            for value in titles:
                if (title is None and isinstance(value, Literal) and value.datatype is None
                        and str(value).strip() == str(value) and str(value)):
                    title = value
                else:
                    skip(DCTERMS.title, value, "a second or unusual title")
            language = title.language if title is not None else None
            if title is not None:
                f["title"] = str(title)
            for value in by_predicate.pop(DCTERMS.alternative, []):
                prefix = f"{title} — " if title is not None else None
                if (prefix and isinstance(value, Literal) and value.language == language
                        and str(value).startswith(prefix) and "subtitle" not in f
                        and str(value)[len(prefix):].strip() == str(value)[len(prefix):]
                        and str(value)[len(prefix):]):
                    f["subtitle"] = str(value)[len(prefix):]
                else:
                    skip(DCTERMS.alternative, value, "an alternative title other than "
                         "'title — subtitle'")
            for value in by_predicate.pop(DCTERMS.publisher, []):
                if (isinstance(value, Literal) and not value.language and not value.datatype
                        and "publisher" not in f and str(value).strip() == str(value)
                        and str(value)):
                    f["publisher"] = str(value)
                else:
                    skip(DCTERMS.publisher, value, "a publisher that is not one plain text")
            for value in by_predicate.pop(DCTERMS.language, []):
                if (isinstance(value, Literal) and not value.language and not value.datatype
                        and language is not None and str(value) == language):
                    f["language"] = language
                else:
                    skip(DCTERMS.language, value, "a language other than the title's")
            if language is not None:
                f["language"] = language
            for key, predicate in (("kind", DCTERMS.type), ("note", RDFS.comment)):
                texts = self._texts(source, predicate, by_predicate.pop(predicate, []), key,
                                    True, "source")
                if texts:
                    f[key] = texts
            for value in by_predicate.pop(DCTERMS.issued, []):
                day = _date(value)
                if day is not None and "date" not in f:
                    f["date"] = day
                else:
                    skip(DCTERMS.issued, value, "a date that is not one xsd:date")
            for value in by_predicate.pop(DCTERMS.extent, []):
                match = re.fullmatch(r"([1-9][0-9]*) entries", str(value))
                if (match and isinstance(value, Literal) and not value.language
                        and not value.datatype and "terms" not in f):
                    f["terms"] = int(match.group(1))
                else:
                    skip(DCTERMS.extent, value, "an extent other than 'N entries'")
            for predicate, values in by_predicate.items():
                for value in values:
                    self.drop((source, predicate, value), WHY_PROPERTY.format(what="sources"))
            result[item.id] = f
        return dict(sorted(result.items()))

    # -- our extension --
    def _map_extension(self) -> None:
        for subject in sorted(self.ext_subjects, key=str):
            for predicate, value in self.g.predicate_objects(subject):
                if (subject, predicate, value) not in self.ext:
                    self.drop((subject, predicate, value), WHY_EXT)

    # -- everything else --
    def _map_others(self) -> None:
        g = self.g
        handled = (self.concepts | self.collections | self.schemes | self.sources
                   | self.ext_subjects | self.list_nodes | self.metadata_subjects)
        #: kind (classes) → [resources, triples], for the report
        self.other_kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for subject in g.subjects(unique=True):
            if subject in handled:
                continue
            types = sorted(self.curie(t) for t in g.objects(subject, RDF.type))
            kind = ("a blank node" if isinstance(subject, BNode) else
                    " and ".join(types) if types else "no rdf:type")
            self.other_kinds[kind][0] += 1
            for predicate, value in g.predicate_objects(subject):
                self.drop((subject, predicate, value), WHY_OTHER)
                self.other_kinds[kind][1] += 1

    # -- concepts, once every link is known --
    def _finish_concepts(self) -> None:
        main_id = self.schid[self.main]
        typed_related: set[tuple[URIRef, URIRef]] = set(self.implied_related)
        for pairs in self.typed.values():
            for a, b in pairs:
                typed_related.update({(a, b), (b, a)})
        for item in self.items.values():
            item.fields["_schemes"] = item.fields.pop("_inScheme")
        # the schemes most concepts are in are the default; the others are written out
        counts: Counter[tuple[str, ...]] = Counter(tuple(i.fields["_schemes"])
                                                   for i in self.items.values())
        self.default_in_scheme = list(max(sorted(counts), key=lambda k: counts[k])) \
            if counts else []
        for concept, item in self.items.items():
            f = item.fields
            schemes = f.pop("_schemes")
            ordered: dict[str, Any] = {}
            for key in ("uri", "prefLabel", "altLabel", "hiddenLabel", *NOTES, "notation"):
                if key in f:
                    ordered[key] = f[key]
            if "sources" in f:
                ordered["sources"] = f["sources"]
            if schemes != self.default_in_scheme:
                ordered["inScheme"] = schemes
            tops = sorted(self.schid[s] for s in self.tops.get(concept, ()))
            if main_id in tops:
                ordered["topConcept"] = True
                tops.remove(main_id)
            if tops:
                ordered["topConceptOf"] = tops
            if self.broader.get(concept):
                ordered["broader"] = sorted(self.cid[c] for c in self.broader[concept])
            related = sorted(self.cid[c] for c in self.related.get(concept, ())
                             if (concept, c) not in typed_related)
            if related:
                ordered["related"] = related
            for key in IN_FILES:
                others = sorted(self.cid[b] for a, b in self.typed.get(key, ()) if a == concept)
                if others:
                    ordered[key] = others
            for key in MATCH_KEYS:
                if key in f:
                    ordered[key] = f[key]
            item.fields = ordered

    # -- the files --
    def _files(self, collections: dict[str, dict[str, Any]],
               sources: dict[str, dict[str, Any]]) -> dict[str, bytes]:
        languages = Counter(lang for item in self.items.values()
                            for lang in item.fields.get("prefLabel", {}))
        self.languages = [lang for lang, _ in sorted(languages.items(),
                                                     key=lambda kv: (-kv[1], kv[0]))]
        required = {}
        for key in ("prefLabel", "definition"):
            common = None
            for item in self.items.values():
                present = set(item.fields.get(key, {}))
                common = present if common is None else common & present
            required[key] = sorted(common or ())
        datatypes = Counter(dt for item in self.items.values()
                            for _text, dt in item.fields.get("notation", []))
        self.notation_datatype = max(sorted(datatypes, key=str), key=lambda d: datatypes[d]) \
            if datatypes else None
        files: dict[str, bytes] = {}
        for item in sorted(self.items.values(), key=lambda i: i.id):
            files[f"terms/{item.id}.yaml"] = self._concept_yaml(item).encode("utf-8")
        files["collections.yaml"] = _mapping_file(
            "Collections of the imported vocabulary (see README, 'The model').",
            collections).encode("utf-8")
        files["sources.yaml"] = _mapping_file(
            "Resources that the concepts cite with dct:source.", sources).encode("utf-8")
        self.profile = {
            "base": self.base,
            "importedFrom": self.src.path.name,
            "languages": self.languages,
            "schemes": {self.scheme_ids[str(s)]: str(s) for s in sorted(self.schemes)}
            or {"scheme": str(self.main)},
            "mainScheme": self.schid.get(self.main, "scheme"),
            "inScheme": self.default_in_scheme,
            "required": required,
            "notationDatatype": self.notation_datatype,
            "build": self.flags,
        }
        files[PROFILE_FILE] = _profile_yaml(self.profile).encode("utf-8")
        files[SCHEME_FILE] = self._scheme_ttl()
        return files

    def _concept_yaml(self, item: _Item) -> str:
        f = item.fields
        labels = f.get("prefLabel", {})
        header = " / ".join(labels[lang] for lang in self._lang_order(labels)[:2]) or item.uri
        lines = [comment(header)]
        for key, value in f.items():
            if key in ("prefLabel", *NOTES) or key in ("altLabel", "hiddenLabel"):
                lines.append(f"{key}:")
                for lang in self._lang_order(value):
                    texts = value[lang]
                    if key in ("altLabel", "hiddenLabel"):
                        lines.extend(flow_list(f"  {scalar(lang)}:", texts))
                    elif isinstance(texts, list):
                        lines.append(f"  {scalar(lang)}:")
                        for text in texts:
                            lines.extend(text_lines("    -", text, 6))
                    else:
                        lines.extend(text_lines(f"  {scalar(lang)}:", texts, 4))
            elif key == "notation":
                plain = all(dt == self.notation_datatype for _t, dt in value)
                if plain:
                    lines.extend(flow_list("notation:", [t for t, _dt in value]))
                else:
                    lines.append("notation:")
                    for text, dt in value:
                        if dt == self.notation_datatype:
                            lines.append(f"  - {scalar(text)}")
                        else:
                            lines.append(f"  - {{value: {scalar(text)}, datatype: "
                                         f"{scalar(dt) if dt else 'null'}}}")
            elif isinstance(value, list):
                lines.extend(flow_list(f"{key}:", value))
            else:
                lines.append(f"{key}: {scalar(value)}")
        return "\n".join(lines) + "\n"

    def _lang_order(self, mapping: dict[str, Any]) -> list[str]:
        rank = {lang: i for i, lang in enumerate(getattr(self, "languages", []))}
        return sorted(mapping, key=lambda lang: (rank.get(lang, len(rank)), lang))

    def _scheme_ttl(self) -> bytes:
        graph = Graph()
        for prefix, namespace in sorted(self.prefixes.items()):
            if prefix and any(str(n).startswith(namespace) for t in self.metadata for n in t):
                graph.bind(prefix, namespace, override=True, replace=True)
        metadata = self.metadata
        if any(isinstance(n, BNode) for t in metadata for n in t):
            metadata = to_canonical_graph(metadata)  # blank node labels that do not change
        for triple in metadata:
            graph.add(triple)
        body = graph.serialize(format="turtle", encoding="utf-8")
        header = (f"# The concept scheme(s) of {self.src.path.name} and the agents they name, "
                  "as the file describes them.\n# Edit freely; `crmkg import` wrote it, and "
                  "the build reads it instead of ontology/scheme.ttl.\n").encode()
        return header + body


def _lit(text: str, lang: str) -> Literal:
    return Literal(text, lang=None if lang == NO_LANGUAGE else lang)


def _date(value: Node) -> date | None:
    if isinstance(value, Literal) and value.datatype == XSD.date:
        with contextlib.suppress(ValueError):
            day = date.fromisoformat(str(value))
            if day.isoformat() == str(value):
                return day
    return None


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _fields_lines(fields: dict[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            for lang, text in value.items():
                lines.extend(text_lines(f"{pad}  {scalar(lang)}:", text, indent + 4)
                             if isinstance(text, str)
                             else flow_list(f"{pad}  {scalar(lang)}:", text))
        elif isinstance(value, list):
            lines.extend(flow_list(f"{pad}{key}:", value))
        elif isinstance(value, str) and key not in ("uri", "language"):
            lines.extend(text_lines(f"{pad}{key}:", value, indent + 2))
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")
    return lines


def _mapping_file(title: str, items: dict[str, dict[str, Any]]) -> str:
    lines = [comment(title) + " Written by `crmkg import`."]
    if not items:
        lines.append("{}")
    for item_id, fields in items.items():
        lines.append(f"{scalar(item_id)}:")
        lines.extend(_fields_lines(fields, 2) or ["  {}"])
    return "\n".join(lines) + "\n"


def _profile_yaml(profile: dict[str, Any]) -> str:
    lines = [
        "# How this folder was imported (`crmkg import`) and how to load and build it: the",
        "# loader applies these rules instead of those of our own data",
        "# (see graph/vocabulary/load.py).",
        "",
        "# concepts are <base>id/<id>, unless their file gives their uri:",
        f"base: {scalar(profile['base'])}",
        f"importedFrom: {scalar(profile['importedFrom'])}",
        "# the languages of the labels, most used first",
    ]
    lines.extend(flow_list("languages:", profile["languages"]))
    lines.append("# id → URI of each concept scheme; scheme.ttl holds their description")
    lines.append("schemes:")
    for key, uri in profile["schemes"].items():
        lines.append(f"  {scalar(key)}: {scalar(uri)}")
    lines.append("# the scheme of 'topConcept: true' (others: 'topConceptOf: [id]')")
    lines.append(f"mainScheme: {scalar(profile['mainScheme'])}")
    lines.append("# the schemes of a concept whose file has no inScheme:")
    lines.extend(flow_list("inScheme:", profile["inScheme"]))
    lines.append("# the languages in which every concept must have a prefLabel, a definition")
    lines.append("required:")
    for key, langs in profile["required"].items():
        lines.extend(flow_list(f"  {key}:", langs))
    if profile.get("notationDatatype"):
        lines.append("# the datatype of the notations written as plain texts")
        lines.append(f"notationDatatype: {scalar(profile['notationDatatype'])}")
    lines.append("# what the build derives (true), or leaves as each file states it (false)")
    lines.append("build:")
    for key, value in profile["build"].items():
        lines.append(f"  # {PROFILE_BUILD[key]}")
        lines.append(f"  {key}: {scalar(bool(value))}")
    return "\n".join(lines) + "\n"


# --- comparing -------------------------------------------------------------------------------

def _split(graph: Iterable[tuple[Node, Node, Node]]) -> tuple[set, list]:
    """The triples without blank nodes (a set), and those with (a list)."""
    ground: set[tuple[Node, Node, Node]] = set()
    blank: list[tuple[Node, Node, Node]] = []
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            blank.append(triple)
        else:
            ground.add(triple)
    return ground, blank


@dataclass
class Comparison:
    """How a rebuilt graph differs from the file it was imported from."""

    #: triples of the file, not dropped, missing from the rebuilt graph
    lost: set[tuple[Node, Node, Node]]
    #: triples of the rebuilt graph that the file does not have
    added: set[tuple[Node, Node, Node]]
    #: dropped triples that the build derived again all the same
    back: set[tuple[Node, Node, Node]]
    #: the same for triples with blank nodes (ordered lists), by predicate
    lost_blank: Counter[Node]
    added_blank: Counter[Node]


def compare(original: Graph, rebuilt: Graph, dropped: set[tuple[Node, Node, Node]],
            ) -> Comparison:
    """Compare ground triples as sets, and triples with blank nodes (ordered lists) as
    graphs (isomorphism)."""
    original_ground, original_blank = _split(original)
    new_ground, new_blank = _split(rebuilt)
    lost = original_ground - new_ground - dropped
    added = new_ground - original_ground
    back = dropped & new_ground
    kept_blank = Graph()
    for triple in original_blank:
        if triple not in dropped:
            kept_blank.add(triple)
    rebuilt_blank = Graph()
    for triple in new_blank:
        rebuilt_blank.add(triple)
    lost_blank: Counter[Node] = Counter()
    added_blank: Counter[Node] = Counter()
    if not isomorphic(kept_blank, rebuilt_blank):
        before = Counter(p for _s, p, _o in kept_blank)
        after = Counter(p for _s, p, _o in rebuilt_blank)
        lost_blank = before - after
        added_blank = after - before
        if not lost_blank and not added_blank:  # the same counts, in other shapes
            lost_blank, added_blank = before, after
    return Comparison(lost, added, back, lost_blank, added_blank)


# --- the command -----------------------------------------------------------------------------

def prepare_target(target: Path, force: bool) -> None:
    """DIR must be new or empty, unless ``force``: then what an import writes is replaced
    (terms/*.yaml included) and anything else in DIR is left alone. Nothing is deleted
    here: the import is written beside DIR first (see :func:`publish`)."""
    if target.exists() and not target.is_dir():
        raise ImportFailure(f"{target}: exists and is not a folder")
    if target.is_dir() and any(not _is_leftover(p) for p in target.iterdir()) and not force:
        raise ImportFailure(f"{target}: is not empty; choose a new folder, or add --force "
                            "to replace the files of a previous import there")


#: names of what an interrupted import may leave (removed by the next import there)
_STAGING = ".{name}.importing-"
_OLD_TERMS = ".terms.old-"


def _is_leftover(path: Path) -> bool:
    return path.name.startswith(_OLD_TERMS)


def staging_folder(target: Path) -> Path:
    """A new folder beside ``target`` (same file system: a rename moves it) to write the
    import into, after removing what an interrupted import left there."""
    parent = target.absolute().parent
    remove_leftovers(parent, _STAGING.format(name=target.name))
    if target.is_dir():
        remove_leftovers(target, _OLD_TERMS)
    return files.staging_folder(parent, _STAGING.format(name=target.name))


def publish(staging: Path, target: Path) -> None:
    """Put a finished import in place, so that an interruption never leaves half of one.

    A new or empty DIR: one rename of the staged folder (a killed import leaves DIR as
    it was, and a hidden ``.DIR.importing-*`` folder beside it, which the next import
    removes). With ``--force`` over a previous import: ``terms/`` and each file are
    renamed into place, a few renames instead of the whole writing; files of DIR that
    an import does not write are kept (in ``terms/`` too).
    """
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        os.rename(staging, target)  # POSIX: replaces an empty folder in one step
        sync_folder(target.absolute().parent)
        return
    old_terms = target / f"{_OLD_TERMS}{os.getpid()}"
    if (target / "terms").is_dir():
        os.rename(target / "terms", old_terms)
    os.rename(staging / "terms", target / "terms")
    for name in WRITTEN:
        if (staging / name).exists():
            os.replace(staging / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)
    if old_terms.is_dir():
        for kept in old_terms.iterdir():  # a user's own files beside the terms
            if kept.suffix != ".yaml" and not (target / "terms" / kept.name).exists():
                os.rename(kept, target / "terms" / kept.name)
        shutil.rmtree(old_terms)
    shutil.rmtree(staging, ignore_errors=True)
    sync_folder(target)


def import_vocabulary(location: str | Path, target: Path, base_uri: str | None = None,
                      force: bool = False, settings: Settings | None = None) -> Outcome:
    """Read ``location``, write ``target``, check the round trip and write the report."""
    # hundreds of thousands of long-lived objects and no cycles: the collector only costs
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(location, target, base_uri, force, settings)
    finally:
        if collecting:
            gc.enable()


def _import(location: str | Path, target: Path, base_uri: str | None, force: bool,
            settings: Settings | None) -> Outcome:
    settings = settings or Settings.from_env()
    if base_uri is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", base_uri):
        raise ImportFailure(f"--base-uri {base_uri!r} is not an absolute URI")
    source = read_rdf(location)
    target = Path(target)
    prepare_target(target, force)
    ext = Graph()
    ext.parse(settings.ontology_dir / "ext.ttl", format="turtle")
    mapper = _Mapper(source, base_uri, ext)
    files = mapper.run()
    staging = staging_folder(target)
    try:
        outcome = _write_and_check(staging, target, files, source, mapper, settings)
        publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return outcome


def _write_and_check(staging: Path, target: Path, files: dict[str, bytes], source: SourceFile,
                     mapper: _Mapper, settings: Settings) -> Outcome:
    """Write the files into ``staging``, load and build them, compare, write the report."""
    (staging / "terms").mkdir(parents=True, exist_ok=True)
    # each file flushed to disk before the folder is renamed into place: in parallel, as
    # most of the time is fsync. Plain writes, not write_atomically: nobody reads the
    # staging folder before it is whole, and a temporary file and a look for stale ones
    # per file made a 35,000-file import quadratic (each look lists the whole folder)
    with ThreadPoolExecutor(max_workers=16) as pool:
        for future in [pool.submit(write_new_file, staging / name, data)
                       for name, data in files.items()]:
            future.result()
    sync_folder(staging / "terms")
    sync_folder(staging)

    from graph.vocabulary.build import build_graph

    try:
        vocabulary = load_vocabulary(staging)
    except (DataError, DataErrors) as exc:
        raise ImportFailure(f"the YAML written in {target} does not load (a bug of the "
                            f"importer, please report it):\n{exc}") from None
    rebuilt = build_graph(vocabulary, settings)
    diff = compare(source.graph, rebuilt, set(mapper.drops))
    for triple in diff.back:  # dropped, yet derived again by the build: not lost after all
        del mapper.drops[triple]
    dropped_counts: Counter[tuple[str, str]] = Counter(
        (why, mapper.curie(triple[1])) for triple, why in mapper.drops.items())
    added_counts: Counter[str] = Counter(mapper.curie(p) for _s, p, _o in diff.added)
    for predicate, n in diff.added_blank.items():
        added_counts[mapper.curie(predicate)] += n
    lost_counts: Counter[str] = Counter(mapper.curie(p) for _s, p, _o in diff.lost)
    for predicate, n in diff.lost_blank.items():
        lost_counts[mapper.curie(predicate)] += n
    outcome = Outcome(
        source=source.path, target=target, triples=len(source.graph),
        concepts=len(vocabulary.concepts), collections=len(vocabulary.collections),
        sources=len(vocabulary.sources), schemes=len(mapper.profile["schemes"]),
        dropped=dropped_counts, added=added_counts, lost=lost_counts,
        held=len(source.graph) - len(mapper.drops) - sum(lost_counts.values()),
        report_path=target / REPORT_FILE, profile=mapper.profile,
        renamed=sorted(mapper.renamed), rebuilt_triples=len(rebuilt))
    write_atomically(staging / REPORT_FILE,
                     render_report(outcome, source, mapper).encode("utf-8"))
    return outcome


def render_report(outcome: Outcome, source: SourceFile, mapper: _Mapper) -> str:
    """``import-report.md``: counts, then what was dropped, added or lost, and why."""
    p = outcome.profile
    lines = [
        f"# Import report: {source.path.name}",
        "",
        "Written by `crmkg import`. Importing the same file again gives the same report.",
        "",
        "| | |",
        "|---|---|",
        f"| file | `{source.path.name}` ({source.format_name}, {outcome.triples:,} triples"
        + (f", {source.named_graphs} named graphs merged" if source.named_graphs else "")
        + ") |",
        f"| concepts | {outcome.concepts:,} (`terms/<id>.yaml`) |",
        f"| collections | {outcome.collections:,} (`collections.yaml`) |",
        f"| sources | {outcome.sources:,} (`sources.yaml`) |",
        f"| schemes | {outcome.schemes:,}, main `{p['mainScheme']}` "
        f"<{p['schemes'][p['mainScheme']]}> (`scheme.ttl`) |",
        f"| base URI | <{p['base']}> |",
        f"| languages | {', '.join(p['languages']) or '—'} (required on every concept: "
        f"prefLabel {', '.join(p['required'].get('prefLabel', [])) or 'none'}, definition "
        f"{', '.join(p['required'].get('definition', [])) or 'none'}) |",
        "",
        "## Round trip",
        "",
        f"Loading this folder and building it gives {outcome.rebuilt_triples:,} triples. Of "
        f"the file's {outcome.triples:,} triples, {outcome.held:,} are held by the model and "
        f"come back identical; {outcome.dropped_total:,} cannot be represented and are listed "
        "below; the build adds "
        f"{sum(outcome.added.values()):,} that the file did not state.",
        "",
    ]
    if outcome.lost:
        lines += ["**Not reproduced** (held by the model, yet missing after the build: a bug "
                  "of the importer):", "", "| property | triples |", "|---|---:|"]
        lines += [f"| `{k}` | {n:,} |" for k, n in sorted(outcome.lost.items())]
        lines.append("")
    else:
        lines += ["Every triple that the model holds came back: nothing was lost.", ""]
    lines += ["## Dropped: what the model cannot hold", "",
              "By property:", "", "| property | triples | why |", "|---|---:|---|"]
    reasons_by_predicate: dict[str, Counter[str]] = defaultdict(Counter)
    for (why, predicate), n in outcome.dropped.items():
        reasons_by_predicate[predicate][why] += n
    by_predicate = outcome.dropped_by_predicate()
    for predicate, n in sorted(by_predicate.items(), key=lambda kv: (-kv[1], kv[0])):
        whys = reasons_by_predicate[predicate]
        text = "; ".join(f"{w} ({c:,})" if len(whys) > 1 else w
                         for w, c in sorted(whys.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"| `{predicate}` | {n:,} | {_md(text)} |")
    if not by_predicate:
        lines.append("| — | 0 | nothing was dropped |")
    lines += ["", "By reason:", "", "| why | triples | resources |", "|---|---:|---:|"]
    subjects: dict[str, set[Node]] = defaultdict(set)
    totals: Counter[str] = Counter()
    for triple, why in mapper.drops.items():
        subjects[why].add(triple[0])
        totals[why] += 1
    for why, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {_md(why)} | {n:,} | {len(subjects[why]):,} |")
    if not totals:
        lines.append("| — | 0 | 0 |")
    kinds = getattr(mapper, "other_kinds", {})
    if kinds:
        lines += ["", "The resources that are not concepts, collections, schemes or sources, "
                  "by class:", "", "| class | resources | triples |", "|---|---:|---:|"]
        for kind, (resources, triples) in sorted(kinds.items(),
                                                 key=lambda kv: (-kv[1][1], kv[0])):
            lines.append(f"| {_md(kind)} | {resources:,} | {triples:,} |")
    lines += ["", "## Added by the build", "",
              "Statements the build derives (see `build:` in `vocabulary.yaml`) that the file "
              "did not state for every link:", "", "| property | triples |", "|---|---:|"]
    for predicate, n in sorted(outcome.added.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| `{predicate}` | {n:,} |")
    if not outcome.added:
        lines.append("| — | 0 |")
    lines += ["", "## What the import decided", ""]
    for key, value in p["build"].items():
        lines.append(f"- `build.{key}: {'true' if value else 'false'}`: {PROFILE_BUILD[key]}")
    lines.append(f"- ids come from the end of each URI; {len(outcome.renamed)} clashed with "
                 "another and got a short hash" + (":" if outcome.renamed else "."))
    for uri, new in outcome.renamed[:20]:
        lines.append(f"  - <{uri}> → `{new}`")
    if len(outcome.renamed) > 20:
        lines.append(f"  - … and {len(outcome.renamed) - 20} more")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


__all__ = ["Comparison", "ImportFailure", "Outcome", "compare", "import_vocabulary", "read_rdf"]
