"""Helpers the tests share: servers, requests, data copies, route lists, canaries."""
