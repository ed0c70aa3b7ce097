"""Adapters with no drift meaning: AWS sessions, ssh, running programs, files and the
confinement, YAML, paths, globs, suggestions, the runtime."""
