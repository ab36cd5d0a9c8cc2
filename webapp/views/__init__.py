"""One blueprint per kind of page."""
