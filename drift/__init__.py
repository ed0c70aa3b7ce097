__version__ = "0.1.0"
#: Where the project lives: the rules' help pages (SARIF `helpUri`) and the JSON Schema
#: editors read (`drift init`'s `#:schema` line) are under it, as in pyproject's URLs.
HOME = "https://github.com/drift-env/drift"


def schema_url(name: str) -> str:
    """Where a published JSON Schema (drift/schemas/NAME) is read from: its `$id`."""
    return f"https://raw.githubusercontent.com/drift-env/drift/main/drift/schemas/{name}"
