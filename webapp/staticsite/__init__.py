"""The vocabulary as a static site (``crmkg site``): the app's own pages, written to files."""
