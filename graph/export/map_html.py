"""The whole concept map as one HTML file that works offline: ``crmkg export --format map-html``.

A trainer emails it or drops it into an LMS, where there may be no server and no
internet: everything is inside the file (vis-network from webapp/static/vendor/, the
map's own script and styles, the data of both languages). The nodes and links are the
web map's (built with pyvis in :mod:`graph.conceptmap.records`), at the places the
web map gives them (:mod:`graph.conceptmap.layout`), with the same colours and the same
legend; pyvis's own HTML template is not used, since it loads its scripts from a CDN.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from rdflib import Graph

from graph import __version__
from graph.export import Exporter, register
from graph.vocabulary.model import Vocabulary

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
#: inlined in this order: map.js must run after vis-network and the labels
SCRIPTS = ("vendor/vis-network/vis-network.min.js", "map-labels.js", "map.js")
LANGUAGES = ("fr", "en")

TEMPLATE = """<!DOCTYPE html>
<html lang="fr" data-language="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
{{ css }}
body { margin: 0 auto; max-width: 90rem; padding: 0.5rem 1rem 2rem;
  font: 1rem/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; }
h1 { font-size: 1.5rem; margin: 0.25rem 0; }
[data-language="fr"] .only-en, [data-language="en"] .only-fr { display: none; }
.export-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; }
.export-languages button { font: inherit; padding: 0.2rem 0.6rem; border: 1px solid #777;
  background: #fff; border-radius: 4px; }
.export-languages button[aria-pressed="true"] { background: #0b5a7a; color: #fff; }
.export-body { display: grid; grid-template-columns: minmax(0, 1fr) 18rem;
  grid-template-areas: "stage legend"; gap: 1rem; align-items: start; }
.export-legend { grid-area: legend; }
.export-body .concept-map { height: min(78vh, 52rem); }
.export-legend { font-size: 0.875rem; line-height: 1.3; }
.export-legend h2 { font-size: 1rem; margin: 0.5rem 0 0.25rem; }
.export-legend ul { list-style: none; padding: 0; margin: 0; }
.export-legend li { display: flex; align-items: center; gap: 0.4rem; padding: 0.1rem 0; }
.export-legend .map-explain { margin: 0 0 0.35rem 2.9rem; }
.export-foot { color: #555; font-size: 0.8rem; margin-top: 1rem; }
@media (max-width: 55rem) { .export-body { grid-template-columns: minmax(0, 1fr);
  grid-template-areas: "stage" "legend"; }
  .export-body .concept-map { height: 70vh; } }
</style>
</head>
<body>
<header class="export-head">
  <h1><span class="only-fr" lang="fr">{{ heading.fr }}</span><span class="only-en" lang="en">{{ heading.en }}</span></h1>
  <p class="export-languages" role="group" aria-label="Langue / Language">
    <button type="button" data-map-language="fr" data-map-data="#map-data-fr" aria-pressed="true">Français</button>
    <button type="button" data-map-language="en" data-map-data="#map-data-en" aria-pressed="false">English</button>
  </p>
</header>
<p class="map-intro"><span class="only-fr" lang="fr">Survolez un concept pour lire sa définition, cliquez ou touchez-le pour l'afficher sous la carte. La molette ou deux doigts zooment ; les libellés cachés apparaissent quand on zoome.</span><span class="only-en" lang="en">Hover over a concept to read its definition; click or tap it to show it under the map. The wheel or two fingers zoom; hidden labels appear as you zoom in.</span></p>
<main class="export-body">
  <div class="map-stage">
    <div id="concept-map" class="concept-map" data-map="#map-data-fr" data-card-always="true"
         data-ready="false" role="img" aria-label="{{ aria }}"
         data-text-open="{{ open_text }}" data-text-close="Fermer / Close"
         data-text-no-definition="—">
      <p class="map-fallback">{{ fallback }}</p>
    </div>
    <div class="map-zoom" role="group" aria-label="Zoom">
      <button type="button" data-zoom="1.5" aria-label="Zoom +">+</button>
      <button type="button" data-zoom="0.667" aria-label="Zoom −">−</button>
      <button type="button" data-zoom="fit">⤢</button>
    </div>
  </div>
  <aside class="export-legend">
  {% for lang in languages %}
    <div class="only-{{ lang }}" lang="{{ lang }}">
      <h2>{{ legend[lang].groups_title }}</h2>
      <ul>{% for group in legend[lang].groups %}
        <li><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><circle cx="7" cy="7" r="6" fill="{{ group.color }}"/></svg> {{ group.label }}</li>{% endfor %}
      </ul>
      <h2>{{ legend[lang].relations_title }}</h2>
      <ul>{% for relation in legend[lang].relations %}
        <li>{{ relation.sample }} {{ relation.label }}</li>
        <li class="map-explain">{{ relation.explanation }}</li>{% endfor %}
      </ul>
    </div>
  {% endfor %}
  </aside>
</main>
<p class="export-foot">{{ foot }}</p>
{% for lang in languages %}<script type="application/json" id="map-data-{{ lang }}">{{ data[lang] }}</script>
{% endfor %}
{% for script in scripts %}<script>{{ script }}</script>
{% endfor %}
</body>
</html>
"""  # noqa: E501


def _edge_sample(relation: dict[str, Any]) -> Markup:
    """A short line drawn as the map draws the relation (colour, dashes, arrow)."""
    colour, width = relation.get("color", "#555"), relation.get("width", 1.5)
    dashes = relation.get("dashes")
    dash = ' stroke-dasharray="5 4"' if dashes is True else (
        f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if dashes else "")
    arrow = relation.get("arrows")
    end = 31 if arrow else 39
    head = f'<polygon points="29,1.5 39,6 29,10.5" fill="{colour}"/>' if arrow else ""
    return Markup(f'<svg width="40" height="12" viewBox="0 0 40 12" aria-hidden="true">'
                  f'<line x1="1" y1="6" x2="{end}" y2="6" stroke="{colour}" '
                  f'stroke-width="{width}"{dash}/>{head}</svg>')


def _script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element: no ``</script>`` or ``<!--`` can end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("&", "\\u0026"))


def map_payloads(graph: Graph) -> dict[str, dict[str, Any]]:
    """The data of the whole map in each language, as /map.json gives it."""
    from graph.conceptmap.layout import grouped_layout, importance
    from graph.conceptmap.network import read_network
    from graph.conceptmap.records import (
        NO_GROUP,
        NodeStyle,
        edge_records,
        group_entries,
        node_records,
        relation_legend,
    )
    from graph.query.reader import VocabularyReader
    from graph.query.store import EmbeddedStore
    from graph.relations import DRAWN

    reader = VocabularyReader(EmbeddedStore.from_graph(graph))
    net = read_network(reader)
    positions = grouped_layout(net.undirected, net.group_of, "wide")
    tall = grouped_layout(net.undirected, net.group_of, "tall")
    ranks = importance(net.undirected)
    degrees = dict(net.undirected.degree)
    shown = sorted(net.graph.nodes)
    payloads = {}
    for lang in LANGUAGES:
        labels = reader.labels(sorted(set(shown) | set(net.groups)), lang)
        definitions = reader.definitions(shown, lang)
        entries = group_entries(net.groups, labels)
        groups = list(entries.values())
        styles = {}
        for node in shown:
            group = entries.get(net.group_of.get(node, ""))
            styles[node] = NodeStyle(group["id"] if group else None,
                                     group["color"] if group else NO_GROUP,
                                     labels[node], definitions.get(node, ""), node)
        payloads[lang] = {
            "focus": None, "path": [], "groups": groups, "hubs": bool(net.hubs),
            "nodes": node_records(styles, positions, ranks, degrees, None, net.hubs),
            "edges": edge_records(net.graph.edges(keys=True), list(DRAWN), [], lang),
            "relations": relation_legend(lang),
            # a phone held upright draws the map packed for a tall frame
            "places": {"tall": {node: list(tall[node]) for node in shown}},
        }
    return payloads


def render_map_html(graph: Graph, vocabulary: Vocabulary | None = None) -> bytes:
    """The file's bytes: the same for the same vocabulary, on any machine."""
    payloads = map_payloads(graph)
    count = len(payloads["fr"]["nodes"])
    legend = {lang: {
        "groups_title": ("Groupes (couleur des concepts)", "Groups (concept colour)")[i],
        "relations_title": ("Relations (style des liens)", "Relations (link style)")[i],
        "groups": payloads[lang]["groups"],
        "relations": [{**r, "sample": _edge_sample(r)} for r in payloads[lang]["relations"]],
    } for i, lang in enumerate(LANGUAGES)}
    scripts = [Markup((STATIC / name).read_text(encoding="utf-8")) for name in SCRIPTS]
    page = Environment(autoescape=True).from_string(TEMPLATE).render(
        title="Carte des concepts CRM — CRM concept map",
        heading={"fr": "Carte des concepts CRM", "en": "CRM concept map"},
        aria="Carte des concepts / Concept map",
        open_text="Ouvrir l'URI / Open the URI",
        fallback="Cette carte a besoin de JavaScript. / This map needs JavaScript.",
        foot=f"crmkg {__version__} — {count} concepts. "
             "Fichier autonome : il fonctionne hors ligne. / "
             "A self-contained file: it works offline.",
        css=Markup((STATIC / "map.css").read_text(encoding="utf-8")),
        languages=LANGUAGES, legend=legend, scripts=scripts,
        data={lang: _script_json(payloads[lang]) for lang in LANGUAGES})
    return page.encode("utf-8")


register(Exporter("map-html", "text/html", ".html", render_map_html, ("maphtml",)))
