"""Every route of the app, as real URLs: what the whole-app tests walk.

The injection tests send a hostile vocabulary through them; the secret-canary and
Host-header tests look at every answer. A route added to the app without a case here
makes :func:`every_url` fail, so that no test walks past it.
"""

from __future__ import annotations

import urllib.parse

SPARQL_LABELS = ("SELECT ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } "
                 "LIMIT 500")


def every_url(app, concept_ids: list[str], collections: list[str]) -> list[str]:
    """One or more real URLs for every rule of the app's URL map (static files aside)."""
    urls: list[str] = []
    seen_rules = set()
    for rule in app.url_map.iter_rules():
        seen_rules.add(rule.rule)
    expected = {
        "/static/<path:filename>", "/sparql", "/id/<concept_id>", "/concept/<concept_id>.<ext>",
        "/concept/<concept_id>", "/entity", "/", "/.json", "/index", "/index.json", "/tree",
        "/tree.json", "/search", "/search.json", "/collection/<collection_id>",
        "/collection/<collection_id>.json", "/collection/<collection_id>.svg",
        "/collection/<collection_id>.png", "/map", "/map.json", "/map/data.json", "/quiz",
        "/quiz.json", "/quiz/answer", "/quiz/answer.json", "/quiz/reset", "/slides.pptx",
        "/-/about", "/-/about.json", "/-/health"}
    # a route added since: requested as it is if it takes no parameter, else cover it here
    added = seen_rules - expected
    with_parameters = sorted(rule for rule in added if "<" in rule)
    assert not with_parameters, ("a route with parameters was added: cover it here",
                                 with_parameters)
    urls += sorted(added)
    for concept_id in concept_ids:
        urls += [f"/concept/{concept_id}", f"/concept/{concept_id}.json",
                 f"/map?focus={concept_id}", f"/map/data.json?focus={concept_id}",
                 f"/map.json?focus={concept_id}"]
    urls += [f"/concept/mql.{ext}" for ext in ("ttl", "rdf", "jsonld", "nt")]
    urls += ["/entity?uri=" + urllib.parse.quote("https://w3id.org/crmkg/id/sql"),
             "/id/mql", "/entity?uri=" + urllib.parse.quote("https://w3id.org/crmkg/source/custup"),
             "/entity?uri=" + urllib.parse.quote("https://w3id.org/crmkg/scheme"),
             "/index?letter=all", "/index.json?letter=all"]
    urls += ["/", "/.json", "/tree", "/tree.json", "/map", "/map.json", "/map/data.json",
             "/-/about", "/-/about.json", "/-/health", "/sparql",
             "/sparql?format=html&query=" + urllib.parse.quote(SPARQL_LABELS),
             "/sparql?query=" + urllib.parse.quote(SPARQL_LABELS),
             "/slides.pptx", "/quiz", "/quiz.json"]
    urls += [f"/quiz?seed={seed}&mode={mode}" for seed in range(6)
             for mode in ("definition", "term")]
    urls += [f"/quiz.json?seed={seed}&mode={mode}" for seed in range(3)
             for mode in ("definition", "term")]
    urls += [f"/index?letter={letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ#<\"'={]@&"]
    urls += ["/index", "/index.json"]
    urls += ["/search?q=" + urllib.parse.quote(q) for q in
             ["alert", "<script>", "script", "onerror", "javascript", "7*7", "calc", "]]>",
              "dcba", "long label", '"><img', "' onmouseover"]]
    urls += ["/search.json?q=alert"]
    for collection in collections:
        urls += [f"/collection/{collection}", f"/collection/{collection}.json",
                 f"/collection/{collection}.svg", f"/collection/{collection}.png"]
    return urls


def with_languages(urls: list[str]) -> list[str]:
    return [url + ("&" if "?" in url else "?") + f"lang={lang}" for url in urls
            for lang in ("fr", "en")]


