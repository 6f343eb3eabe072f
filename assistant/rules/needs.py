"""The national rule ids the checker's procedure reads, derived from the procedure's own source.

The procedure names a rule only as a string literal in `run.fire("id")`, `run.rule("id")`,
`run.note("id")`, `run.regime("id")` or `run.flag(fact, "id")`, or as a value of a module-level table whose
name ends in `_RULES`; reading those keeps the loader's check and the procedure in step, so a pack
that lacks a rule the procedure reads is a load error, never a crash while answering.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_PROCEDURE = frozenset({"__init__.py", "loader.py", "needs.py", "schema.py"})
RULE_ARGUMENT = {"fire": 0, "rule": 0, "note": 0, "regime": 0, "flag": 1}
"""The methods of `Run` that read a national rule, and which argument names it."""


@lru_cache(maxsize=1)
def required_rules() -> frozenset[str]:
    """Every national rule id the procedure reads."""
    ids: set[str] = set()
    for path in sorted(HERE.glob("*.py")):
        if path.name in NOT_PROCEDURE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ids.update(_table_values(tree))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            position = RULE_ARGUMENT.get(node.func.attr)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                ids.add(argument.value)
    return frozenset(ids)


def _table_values(tree: ast.Module) -> set[str]:
    """The string values of module-level dicts named `*_RULES`."""
    found: set[str] = set()
    for node in tree.body:
        target = (
            node.target
            if isinstance(node, ast.AnnAssign)
            else (node.targets[0] if isinstance(node, ast.Assign) else None)
        )
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id.endswith("_RULES") and isinstance(value, ast.Dict):
            found.update(v.value for v in value.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return found
