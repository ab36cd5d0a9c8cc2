"""The web app (SPARQL endpoint, concept pages, concept map): see issue 3."""
