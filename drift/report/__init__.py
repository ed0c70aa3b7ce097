"""Renderers: one per output format, each a function of the JSON document."""
