"""Imports run one way: vocabulary → language → engine → knowledge → text → observatory, review.

A module may import its own package and the layers below it, never one above, and
`orientation/` never imports the adapters (Rasa actions, Rasa server, web app) nor
Rasa itself: the orientation logic stays testable without a server. The layers are
drawn in docs/architecture.md; change both together.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module's layer is the longest prefix of its name listed here.
LAYERS = [
    ["orientation.vocabulary", "orientation.territory", "orientation.yaml_lines"],
    ["orientation.language"],
    ["orientation.engine"],
    ["orientation.knowledge"],
    ["orientation.text"],
    ["orientation.observatory", "orientation.review", "orientation.cli"],
]
# What the adapters are: orientation must not know them.
ADAPTERS = ("actions", "rasa_server", "web", "rasa", "rasa_sdk", "sanic", "aiohttp", "socketio")
# The adapters must not know each other: each is plugged into orientation only.
ADAPTER_PACKAGES = ("actions", "rasa_server", "web")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports (absolute name, line), inside functions too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            # `from orientation import engine` imports orientation.engine
            found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
    return found


def layer_of(module: str) -> int | None:
    best, best_len = None, -1
    for level, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = level, len(prefix)
    return best


def python_files(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def upward_imports(path: Path) -> list[str]:
    own = layer_of(module_name(path))
    out, seen = [], set()
    for name, line in imports_of(path):
        target = layer_of(name)
        if own is not None and target is not None and target > own and (line, target) not in seen:
            seen.add((line, target))
            out.append(f"{path.relative_to(ROOT)}:{line} imports {name} (layer {target} > {own})")
        if name.split(".")[0] in ADAPTERS:
            out.append(f"{path.relative_to(ROOT)}:{line} imports the adapter {name}")
    return out


def test_every_orientation_module_has_a_layer():
    unplaced = [str(p) for p in python_files("orientation") if layer_of(module_name(p)) is None]
    assert unplaced in ([], [str(ROOT / "orientation/__init__.py")]), unplaced


def test_orientation_imports_run_one_way():
    problems = [problem for path in python_files("orientation") for problem in upward_imports(path)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("adapter", ADAPTER_PACKAGES)
def test_adapters_do_not_import_each_other(adapter):
    others = [a for a in ADAPTER_PACKAGES if a != adapter]
    problems = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in python_files(adapter)
        for name, line in imports_of(path)
        if name.split(".")[0] in others
    ]
    assert not problems, "\n".join(problems)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The guard itself: a language module importing the engine is caught."""
    fake_root = tmp_path
    module = fake_root / "orientation" / "language" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text("from orientation.engine import orient\nimport rasa_sdk\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    problems = upward_imports(module)
    assert len(problems) == 2 and "orientation.engine" in problems[0] and "rasa_sdk" in problems[1]
