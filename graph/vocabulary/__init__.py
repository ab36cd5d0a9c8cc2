"""The vocabulary: YAML files → model → RDF graph, and its checks."""
