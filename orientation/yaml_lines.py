"""YAML loading that remembers where every key and list item stands.

`load_yaml(path)` returns plain data (dicts, lists, str, int, bool, date…)
where each mapping is a `LineDict` and each sequence a `LineList`: they behave
as `dict` and `list` and carry the 1-based line of the node (`.line`), of each
key (`LineDict.key_lines[key]`) and of each item (`LineList.item_lines[i]`).
`line_of(data, path)` follows a path such as ("services", 3, "prescription")
and returns the line of the deepest element it reaches, so that an error can
name "knowledge/plateformes/mayenne.yml:42".

Syntax errors, and a key written twice in one mapping (PyYAML would silently
keep the last one), raise `YamlSyntaxError` with the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A dict that knows the line of the mapping and of each of its keys."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line: int | None = None
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A list that knows the line of the sequence and of each of its items."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line: int | None = None
        self.item_lines: list[int] = []


class YamlSyntaxError(Exception):
    def __init__(self, file: str, line: int | None, message: str):
        super().__init__(f"{file}:{line if line is not None else '?'}: {message}")
        self.file = file
        self.line = line
        self.message = message


# libyaml's parser (bundled with PyYAML's wheels) reads ten times faster than
# the pure-Python one and gives the same nodes and marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeLoader):
    """SafeLoader building `LineDict` / `LineList` with line numbers."""

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)  # resolves "<<" merge keys
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(
                    "dans une table", node.start_mark, f"clé non utilisable ({exc})", key_node.start_mark
                ) from exc
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"clé « {key} » écrite deux fois dans la même table "
                    f"(première fois ligne {mapping.key_lines[key]})",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_yaml_map(self, node):
        # Build the whole mapping at once (deep): the default two-step
        # generator would hand us an empty plain dict first.
        yield self.construct_mapping(node, deep=True)

    def construct_yaml_seq(self, node):
        items = LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield items


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_yaml_map)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_yaml_seq)


# YAML 1.2 booleans: true and false only. PyYAML follows YAML 1.1, where "on", "yes" and "no"
# are booleans too: the lexicon's pronoun "on" and its "yes", "no" were read as True and False.
LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def loads_yaml(text: str, file: str = "<texte>") -> Any:
    """Parse YAML text; raise `YamlSyntaxError` naming `file` and the line."""
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 (LineLoader is a SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{problem} ({exc.context})"
        raise YamlSyntaxError(file, line, f"YAML invalide : {problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(file, None, f"YAML invalide : {exc}") from exc


def load_yaml(path: str | Path, display_name: str | None = None) -> Any:
    """Read and parse a YAML file (see `loads_yaml`)."""
    path = Path(path)
    return loads_yaml(path.read_text(encoding="utf-8"), display_name or str(path))


def line_of(data: Any, path: Iterable[Any]) -> int | None:
    """The line of the deepest element of `data` reached by following `path`.

    A key missing from a mapping gives the mapping's own line (where the
    field should have been written).
    """
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LineDict):
            if step not in node:
                return node.line if node.line is not None else line
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
