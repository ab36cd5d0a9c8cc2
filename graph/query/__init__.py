"""The store and what reads it: the embedded or external store, users' SPARQL (the guard,
the workers), the reader behind the pages, label search."""
