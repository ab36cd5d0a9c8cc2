"""RDF namespaces, including our small extension vocabulary.

The extension properties are declared (labelled in French and English, each a
sub-property of ``skos:related``) in ``ontology/ext.ttl``; this class lists the
same names so that a typo fails at import time.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

EXT_URI = "https://w3id.org/crmkg/ontology#"
#: ISO 25964's SKOS extension: our groups of concepts are isothes:ConceptGroup, as in
#: Skosmos ("groups") and VocBench
ISOTHES = Namespace("http://purl.org/iso25964/skos-thes#")


class CRMKG(DefinedNamespace):
    """Typed relations between concepts, all refinements of ``skos:related``."""

    _fail = True
    _NS = Namespace(EXT_URI)

    precedes: URIRef  # the next stage of an ordered process (funnel, sales cycle)
    follows: URIRef  # inverse of precedes
    counterpart: URIRef  # the same role on the other side (DSP / SSP)
    distinguishedFrom: URIRef  # often confused with, but different
    measuredBy: URIRef  # an indicator that measures this concept
    measures: URIRef  # inverse of measuredBy
    notInGlossaries: URIRef  # a concept the editors added: no glossary defines it


__all__ = ["CRMKG", "DCTERMS", "EXT_URI", "ISOTHES", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS",
           "XSD"]
