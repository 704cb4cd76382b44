"""JSON from people and from the network, parsed with limits (one place for the rule).

``json.loads`` accepts ``NaN``/``Infinity`` (which no later ``allow_nan=False`` dump can
write), recurses until ``RecursionError`` on ``[[[…]]]`` and raises ``ValueError`` past
4,300 digits. Here each of those is a ``JsonInputError`` with one plain line.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64  # the deepest contract object is 4 levels; a form is flat


class JsonInputError(ValueError):
    """Input that is not acceptable JSON; ``str()`` is one line for people."""


def _no_constant(name: str) -> Any:
    raise JsonInputError(f"{name} is not a JSON number")


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except JsonInputError:
        raise
    except RecursionError:
        raise JsonInputError(f"nested more than {max_depth} levels deep") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except UnicodeDecodeError:
        raise JsonInputError("not UTF-8 text") from None
    except ValueError:
        raise JsonInputError("a number has too many digits") from None
    if depth(value) > max_depth:
        raise JsonInputError(f"nested more than {max_depth} levels deep")
    return value


def depth(value: Any) -> int:
    """Nesting depth without recursion (a scalar is 0, ``[]`` is 1)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
            deepest = max(deepest, d + 1)
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
            deepest = max(deepest, d + 1)
    return deepest
