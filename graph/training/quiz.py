"""Questions for the learners' self-test, drawn from the built graph (no Flask here).

Two kinds of question, in French or English:

- ``definition``: a definition is shown, the learner picks the term among four;
- ``term``: a term is shown, the learner picks its definition among four.

The three wrong choices (distractors) are chosen among the concepts closest to
the answer, so that a question is not answered by elimination: first the
concepts linked to it (``skos:related`` and our typed relations, broader and
narrower concepts, siblings under the same broader concept, the other members of
its collections), then the other concepts of its groups (isothes:ConceptGroup, or
in a vocabulary without groups the nearest top concept), and only if that is not
enough the rest of the vocabulary. A top concept that stands for a group is never
asked nor offered, a distractor never shares a label with the
answer (so the answer's own acronym is never a wrong choice), and no two
choices read the same.

A question is a pure function of its seed: :meth:`QuizBank.question` with the
same seed, language and mode gives the same question, so that a server can keep
only the seed of the pending question and check the answer without trusting
the client. The seed also picks the concept asked (``seed % n``), so that
:meth:`QuizBank.pick_seed` can avoid concepts already asked.

In both modes the labels of the concept a text belongs to (and, for the
definitions offered in ``term`` mode, the labels of the term asked) are masked
in that text with :data:`BLANK`: a definition that names its own term would
give the answer away.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Literal

from graph.namespaces import ISOTHES, RDF, SKOS
from graph.relations import DRAWN
from graph.text import (
    LANGUAGES,
    fold_spaces,
    is_acronym,
    local_name,
    term_with_acronyms,
)
from graph.vocabulary.analyse import concept_graph, group_members, main_group, tops_as_groups

MODES = ("definition", "term")
#: how many choices a question offers (one right, the others wrong)
CHOICES = 4
#: what replaces the term in a definition
BLANK = "____"
#: seeds are kept below this bound (they travel in URLs and cookies)
MAX_SEED = 2**53


@dataclass(frozen=True)
class Entry:
    """What the quiz knows of one concept."""

    uri: str
    id: str
    pref_label: dict[str, str]
    alt_labels: dict[str, tuple[str, ...]]
    definition: dict[str, str]
    #: the groups of the concept (see graph.vocabulary.analyse.main_group)
    groups: frozenset[str] = frozenset()
    #: a top concept that stands for a group (a vocabulary without groups): never asked
    is_group: bool = False
    #: the concepts linked to this one (tier 1 of the distractors)
    close: frozenset[str] = frozenset()

    def term(self, lang: str) -> str:
        """The term as a learner meets it: the preferred label and its acronyms."""
        return term_with_acronyms(self.pref_label[lang], self.alt_labels.get(lang, ()))

    def all_labels(self) -> set[str]:
        """Every label in every language, folded (case and accents kept apart)."""
        labels = set(self.pref_label.values())
        for values in self.alt_labels.values():
            labels.update(values)
        return {fold_spaces(label) for label in labels}


@dataclass(frozen=True)
class Choice:
    uri: str
    text: str


@dataclass(frozen=True)
class Question:
    seed: int
    lang: str
    mode: str
    #: the concept asked (its URI)
    answer: str
    #: the definition (mode ``definition``) or the term (mode ``term``) shown
    prompt: str
    choices: tuple[Choice, ...]
    #: how close each distractor is: 1 linked, 2 same group, 3 elsewhere
    tiers: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def correct_index(self) -> int:
        return next(i for i, c in enumerate(self.choices) if c.uri == self.answer)

    def is_correct(self, index: int) -> bool:
        return 0 <= index < len(self.choices) and self.choices[index].uri == self.answer

    @property
    def distractors(self) -> list[str]:
        return [c.uri for c in self.choices if c.uri != self.answer]


class QuizBank:
    """The concepts a quiz can ask, and how they are linked."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: dict[str, Entry] = {e.uri: e for e in entries}
        #: concepts that can be asked: not groups, labelled and defined in both languages
        self.askable: list[str] = sorted(
            uri for uri, e in self.entries.items()
            if not e.is_group and all(lang in e.pref_label and lang in e.definition
                                      for lang in LANGUAGES))
        if len(self.askable) < CHOICES:
            raise ValueError(f"a quiz needs at least {CHOICES} concepts, not {len(self.askable)}")
        self._askable_set = frozenset(self.askable)

    # --- building ---------------------------------------------------------------------

    @classmethod
    def from_graph(cls, graph: Graph) -> QuizBank:
        """Read the concepts of a graph built by :func:`graph.vocabulary.build.build_graph`."""
        hubs = {str(t) for t in tops_as_groups(graph)}
        members = group_members(graph)
        if members:
            groups = {str(c): {str(g) for g in gs} for c, gs in members.items()}
        else:
            nearest = main_group(concept_graph(graph), tops_as_groups(graph), {})
            groups = {str(c): {str(g)} for c, g in nearest.items()}
        concepts = sorted({str(s) for s in graph.subjects(RDF.type, SKOS.Concept)})
        links: dict[str, set[str]] = {uri: set() for uri in concepts}

        def link(a: str, b: str) -> None:
            if a != b and a in links and b in links:
                links[a].add(b)
                links[b].add(a)

        for s, o in graph.subject_objects(SKOS.related):
            link(str(s), str(o))
        for relation in (r.iri for r in DRAWN.values() if r.typed):
            for s, o in graph.subject_objects(relation):
                link(str(s), str(o))
        children: dict[str, set[str]] = {}
        for child, parent in graph.subject_objects(SKOS.broader):
            if str(parent) in hubs:
                continue  # a top concept that stands for a group is too wide: tier 2
            link(str(child), str(parent))
            children.setdefault(str(parent), set()).add(str(child))
        for members in children.values():
            for a in members:
                for b in members:
                    link(a, b)
        collections: dict[str, set[str]] = {}
        for collection, member in graph.subject_objects(SKOS.member):
            if (collection, RDF.type, ISOTHES.ConceptGroup) in graph:
                continue  # a group is tier 2, not a link
            collections.setdefault(str(collection), set()).add(str(member))
        for members in collections.values():
            for a in members:
                for b in members:
                    link(a, b)

        entries = []
        for uri in concepts:
            subject = URIRef(uri)
            entries.append(Entry(
                uri=uri,
                id=local_name(uri),
                pref_label=_one_per_language(graph.objects(subject, SKOS.prefLabel)),
                alt_labels=_all_per_language(graph.objects(subject, SKOS.altLabel)),
                definition=_one_per_language(graph.objects(subject, SKOS.definition)),
                groups=frozenset(groups.get(uri, ())),
                is_group=uri in hubs,
                close=frozenset(links[uri] - hubs),
            ))
        return cls(entries)

    # --- questions --------------------------------------------------------------------

    def pick_seed(self, rng: random.Random | None = None,
                  avoid: Iterable[str] = ()) -> int:
        """A random seed whose question asks a concept not in ``avoid`` (ids or URIs).

        When every concept has been asked, any concept may come again.
        """
        rng = rng or random.Random()
        avoided = set(avoid)
        n = len(self.askable)
        indexes = [i for i, uri in enumerate(self.askable)
                   if uri not in avoided and self.entries[uri].id not in avoided]
        index = rng.choice(indexes or list(range(n)))
        return rng.randrange(MAX_SEED // n) * n + index

    def question(self, seed: int, lang: str, mode: str) -> Question:
        """The question of ``seed``: same seed, language and mode → same question.

        The concept asked and the distractors depend on the seed only, so the
        same seed asks the same thing in French and in English.
        """
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        if not 0 <= seed < MAX_SEED:
            raise ValueError(f"a seed is a whole number from 0 to {MAX_SEED - 1}")
        answer = self.entries[self.askable[seed % len(self.askable)]]
        rng = random.Random(seed)
        distractors = self._distractors(answer, lang, mode, rng)
        chosen = [answer.uri, *distractors]
        rng.shuffle(chosen)
        if mode == "definition":
            prompt = mask(answer.definition[lang], self._labels_of(answer))
            choices = tuple(Choice(uri, self.entries[uri].term(lang)) for uri in chosen)
        else:
            prompt = answer.term(lang)
            choices = tuple(Choice(uri, self._masked_definition(uri, answer, lang))
                            for uri in chosen)
        return Question(seed=seed, lang=lang, mode=mode, answer=answer.uri, prompt=prompt,
                        choices=choices, tiers={uri: self.tier(answer, uri)
                                                for uri in distractors})

    def tier(self, answer: Entry, uri: str) -> int:
        """1: linked to the answer; 2: shares a group with it; 3: anything else."""
        if uri in answer.close:
            return 1
        if answer.groups & self.entries[uri].groups:
            return 2
        return 3

    def _distractors(self, answer: Entry, lang: str, mode: str,
                     rng: random.Random) -> list[str]:
        answer_labels = answer.all_labels()
        tiers: dict[int, list[str]] = {1: [], 2: [], 3: []}
        for uri in self.askable:  # sorted, so the draw depends on the seed only
            if uri == answer.uri or self.entries[uri].all_labels() & answer_labels:
                continue
            tiers[self.tier(answer, uri)].append(uri)
        shown = {fold_spaces(self._shown(answer.uri, answer, lang, mode))}
        picked: list[str] = []
        for tier in (1, 2, 3):
            candidates = tiers[tier]
            rng.shuffle(candidates)
            for uri in candidates:
                if len(picked) == CHOICES - 1:
                    return picked
                text = fold_spaces(self._shown(uri, answer, lang, mode))
                if text in shown:
                    continue  # two choices must never read the same
                shown.add(text)
                picked.append(uri)
        if len(picked) < CHOICES - 1:  # pragma: no cover - a vocabulary of 4+ distinct terms
            raise ValueError(f"not enough distinct choices for {answer.id}")
        return picked

    def _shown(self, uri: str, answer: Entry, lang: str, mode: str) -> str:
        if mode == "definition":
            return self.entries[uri].term(lang)
        return self._masked_definition(uri, answer, lang)

    def _masked_definition(self, uri: str, asked: Entry, lang: str) -> str:
        entry = self.entries[uri]
        return mask(entry.definition[lang], self._labels_of(entry) | self._labels_of(asked))

    @staticmethod
    def _labels_of(entry: Entry) -> set[str]:
        labels = set(entry.pref_label.values())
        for values in entry.alt_labels.values():
            labels.update(values)
        return labels


# --- labels ---------------------------------------------------------------------------

def mask(text: str, labels: Iterable[str]) -> str:
    """Replace every whole-word occurrence of the labels with :data:`BLANK` (in any case,
    except for acronyms)."""
    words = sorted({label for label in labels if len(label) >= 2}, key=len, reverse=True)
    if not words:
        return text
    # acronyms match their case only: "AI" is not the French "ai", nor "EX" the prefix "ex"
    alternatives = [re.escape(w) if is_acronym(w) else f"(?i:{re.escape(w)})" for w in words]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
    masked = pattern.sub(BLANK, text)
    # "____ (____)" when a label and its acronym were side by side: one blank is enough
    return re.sub(re.escape(BLANK) + r"\s*\(" + re.escape(BLANK) + r"\)", BLANK, masked)


def _one_per_language(literals: Iterable[object]) -> dict[str, str]:
    found: dict[str, str] = {}
    for literal in sorted((lit for lit in literals if isinstance(lit, Literal)), key=str):
        if literal.language and literal.language not in found:
            found[literal.language] = str(literal)
    return found


def _all_per_language(literals: Iterable[object]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for literal in sorted((lit for lit in literals if isinstance(lit, Literal)), key=str):
        if literal.language:
            found.setdefault(literal.language, []).append(str(literal))
    return {lang: tuple(values) for lang, values in found.items()}
