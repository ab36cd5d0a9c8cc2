"""The concept map's geometry and records, shared by the web map and the map-html export.

Which concepts and links there are (:mod:`graph.conceptmap.network`), where each
concept goes (:mod:`graph.conceptmap.layout`) and how nodes and links are drawn
(:mod:`graph.conceptmap.records`) are computed here, on the server, so that the page,
its mini-maps and the exported file show the same map.
"""
