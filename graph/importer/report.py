"""The last stage of ``crmkg import``: the comparison of the rebuilt graph with the file
(:func:`compare`) and the text of ``import-report.md`` (:func:`render_report`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from rdflib.term import Node

from graph.importer.read import SourceFile
from graph.vocabulary.load import PROFILE_BUILD

if TYPE_CHECKING:
    from graph.importer import Outcome
    from graph.importer.map import _Mapper


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


# --- the report ------------------------------------------------------------------------------

def render_report(outcome: Outcome, source: SourceFile, mapper: _Mapper) -> str:
    """``import-report.md``: counts, then what was dropped, added or lost, and why."""
    lines = [*_summary(outcome, source), *_round_trip(outcome), *_dropped(outcome, mapper),
             *_added(outcome), *_decisions(outcome)]
    return "\n".join(lines) + "\n"


def _summary(outcome: Outcome, source: SourceFile) -> list[str]:
    p = outcome.profile
    return [
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
    ]


def _round_trip(outcome: Outcome) -> list[str]:
    lines = [
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
    return lines


def _dropped(outcome: Outcome, mapper: _Mapper) -> list[str]:
    lines = ["## Dropped: what the model cannot hold", "",
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
    return lines + _dropped_by_reason(mapper) + _other_resources(mapper)


def _dropped_by_reason(mapper: _Mapper) -> list[str]:
    lines = ["", "By reason:", "", "| why | triples | resources |", "|---|---:|---:|"]
    subjects: dict[str, set[Node]] = defaultdict(set)
    totals: Counter[str] = Counter()
    for triple, why in mapper.drops.items():
        subjects[why].add(triple[0])
        totals[why] += 1
    for why, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {_md(why)} | {n:,} | {len(subjects[why]):,} |")
    if not totals:
        lines.append("| — | 0 | 0 |")
    return lines


def _other_resources(mapper: _Mapper) -> list[str]:
    kinds = getattr(mapper, "other_kinds", {})
    if not kinds:
        return []
    lines = ["", "The resources that are not concepts, collections, schemes or sources, "
             "by class:", "", "| class | resources | triples |", "|---|---:|---:|"]
    for kind, (resources, triples) in sorted(kinds.items(),
                                             key=lambda kv: (-kv[1][1], kv[0])):
        lines.append(f"| {_md(kind)} | {resources:,} | {triples:,} |")
    return lines


def _added(outcome: Outcome) -> list[str]:
    lines = ["", "## Added by the build", "",
             "Statements the build derives (see `build:` in `vocabulary.yaml`) that the file "
             "did not state for every link:", "", "| property | triples |", "|---|---:|"]
    for predicate, n in sorted(outcome.added.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| `{predicate}` | {n:,} |")
    if not outcome.added:
        lines.append("| — | 0 |")
    return lines


def _decisions(outcome: Outcome) -> list[str]:
    lines = ["", "## What the import decided", ""]
    for key, value in outcome.profile["build"].items():
        lines.append(f"- `build.{key}: {'true' if value else 'false'}`: {PROFILE_BUILD[key]}")
    lines.append(f"- ids come from the end of each URI; {len(outcome.renamed)} clashed with "
                 "another and got a short hash" + (":" if outcome.renamed else "."))
    for uri, new in outcome.renamed[:20]:
        lines.append(f"  - <{uri}> → `{new}`")
    if len(outcome.renamed) > 20:
        lines.append(f"  - … and {len(outcome.renamed) - 20} more")
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|")

