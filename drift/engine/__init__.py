"""The engine: schema + snapshots -> findings (`drift.engine.evaluate.evaluate`). Imports
neither boto3, click nor jinja2. Nothing is imported here, so that a module needing only part
of the engine (`drift diff` needs secrecy) does not load every rule."""
