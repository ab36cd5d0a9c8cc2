"""``mappings.yaml`` → the links of our concepts to other vocabularies (``Concept.matches``).

The file is optional. It maps a concept id to its mapping relations, each a list of
IRIs of concepts of another vocabulary::

    crm:
      closeMatch: [http://zbw.eu/stw/descriptor/19133-0]

Every mistake is reported with the line and the fix, as in the other files: a concept
that does not exist, a key that is no mapping relation, a value that is not an absolute
IRI, one IRI under two relations of one concept (SKOS forbids exactMatch together with
broadMatch or relatedMatch, S46; and one link says one thing), an IRI that a term file
already maps, and one IRI that two concepts match exactly (exactMatch is transitive: it
would make the two concepts the same).
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.vocabulary.fields import Fields, did_you_mean
from graph.vocabulary.model import Concept
from graph.vocabulary.schema import MAPPING_SCHEMA, MAPPINGS_FILE, MATCH_KEYS
from graph.vocabulary.yamlfile import DataError, YamlDocument, read_yaml_or_report

#: an absolute IRI of another vocabulary: ``scheme://authority/…`` or ``urn:…`` (a prefixed
#: name such as ``stw:19133-0`` would pass for an IRI with the scheme ``stw``)
MAPPING_IRI = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`/?#]+"
                         r"|[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]*:)[^\s<>\"{}|\\^`]*$")
EXAMPLE_IRI = "http://zbw.eu/stw/descriptor/19133-0"


def read_mappings(data_dir: Path, concepts: dict[str, Concept], known: set[str],
                  errors: list[DataError]) -> None:
    """Add the links of ``data_dir/mappings.yaml`` to the concepts' ``matches``.

    ``known`` holds every concept id, those of term files that could not be read too
    (already reported: a mapping of one of them is not a second error).
    """
    path = data_dir / MAPPINGS_FILE
    if not path.is_file():
        return
    doc = read_yaml_or_report(path, errors)
    if doc is None or doc.data is None:  # unreadable (reported), or comments only
        return
    if not isinstance(doc.data, dict):
        errors.append(doc.error((), f"{MAPPINGS_FILE} must map concept ids to their links",
                                f"write 'some-concept-id:' then '  exactMatch: [{EXAMPLE_IRI}]'"))
        return
    exact_owners: dict[str, str] = {}
    for concept_id in doc.data:
        if concept_id not in known:
            errors.append(doc.error((concept_id,), f"'{concept_id}' in {MAPPINGS_FILE} is not "
                                    "a known concept",
                                    did_you_mean(concept_id, known, "data/terms")))
            continue
        fields = Fields(doc, (concept_id,), MAPPING_SCHEMA, errors,
                        f"the mappings of '{concept_id}'")
        links = {key: fields.uris(key, MAPPING_IRI, EXAMPLE_IRI)
                 for key in MATCH_KEYS if key in fields.mapping}
        concept = concepts.get(concept_id)
        if concept is not None:
            _add(concept, links, doc, errors)
            _check_exact_owners(concept_id, links, doc, exact_owners, errors)


def _add(concept: Concept, links: dict[str, list[str]], doc: YamlDocument,
         errors: list[DataError]) -> None:
    """The links into ``concept.matches``, each IRI under one relation only."""
    kind_of = {iri: key for key, iris in concept.matches.items() for iri in iris}
    stated_in_term_file = set(kind_of)
    for key, iris in links.items():
        for index, iri in enumerate(iris):
            where = (concept.id, key, index)
            if iri in stated_in_term_file:
                errors.append(doc.error(where, f"'{concept.id}' is already linked to {iri} "
                                        f"({kind_of[iri]}) in its term file",
                                        "state the link in one file only"))
            elif iri in kind_of:
                errors.append(doc.error(where, f"{iri} is both {kind_of[iri]} and {key} of "
                                        f"'{concept.id}'",
                                        "keep one relation: one link says one thing, and SKOS "
                                        "forbids exactMatch with broadMatch or relatedMatch "
                                        "(S46)"))
            else:
                kind_of[iri] = key
                concept.matches.setdefault(key, []).append(iri)


def _check_exact_owners(concept_id: str, links: dict[str, list[str]], doc: YamlDocument,
                        owners: dict[str, str], errors: list[DataError]) -> None:
    """exactMatch is transitive: two concepts exactly matching one IRI would be the same."""
    for index, iri in enumerate(links.get("exactMatch", [])):
        if iri in owners:
            errors.append(doc.error((concept_id, "exactMatch", index),
                                    f"{iri} is also the exactMatch of '{owners[iri]}'",
                                    "use closeMatch for one of them (two exact matches of one "
                                    "concept would make them the same concept), or merge them"))
        owners.setdefault(iri, concept_id)
