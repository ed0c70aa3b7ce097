"""drift's built-in rules, one module each (the module is the slug with `_` for `-`).

Each module defines `RULE`, a `drift.engine.rule.Rule` subclass holding the rule's metadata
and its check. `drift.engine.catalog` finds them by listing this package, loads them through
the same checks as plugin rules, and keeps them in the one list the engine runs: adding a
rule is adding a module here (and a row in tests/test_rules.py).
"""
