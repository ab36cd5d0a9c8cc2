"""``crmkg validate``: SKOS integrity and quality checks plus our SHACL profile.

The SHACL shapes (``ontology/shapes.ttl``) say what our own data must carry;
the checks of :mod:`graph.vocabulary.checks` test the SKOS Reference's integrity
conditions and qSKOS quality issues, which SHACL cannot express well
(transitive hierarchy, cycles, connectivity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph.vocabulary.checks import ERROR, WARNING, Finding, run_checks


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def summary(self) -> str:
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)"


def shacl_findings(data: Graph, shapes: Graph, ontology: Graph | None = None) -> list[Finding]:
    """Run pyshacl and turn each validation result into a :class:`Finding`."""
    _conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none",
        allow_warnings=True, advanced=True)
    findings = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        component = results.value(result, SH.sourceConstraintComponent)
        message = results.value(result, SH.resultMessage)
        name = component.split("#")[-1] if isinstance(component, URIRef) else "constraint"
        where = f"{path.n3(data.namespace_manager)}: " if isinstance(path, URIRef) else ""
        findings.append(Finding(
            check=f"shacl-{name.removesuffix('ConstraintComponent')}",
            severity=ERROR if severity == SH.Violation else WARNING,
            subject=str(focus),
            message=f"{where}{message}",
        ))
    return sorted(findings)


def validate_graph(graph: Graph, shapes_path: Path | None = None,
                   languages: tuple[str, ...] = ("fr", "en")) -> Report:
    findings = run_checks(graph, languages)
    if shapes_path is not None:
        shapes = Graph().parse(shapes_path, format="turtle")
        findings += shacl_findings(graph, shapes)
    return Report(sorted(findings))
