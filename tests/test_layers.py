"""The package's layout keeps its layering: a module imports only its own package and the
packages below it (README, "How the code is organised"), and no module grows past MAX_LINES.

Every import counts: at module level, inside functions (the lazy ones) and under TYPE_CHECKING.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cpsdiff"

# Lowest first. "top" is the top level: cpsdiff/__init__.py (__version__), errors.py, model.py.
LAYERS = ("top", "text", "web", "inputs", "diff", "lineage", "store", "render", "watch", "cli")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
MAX_LINES = 450
# At the top level but above every layer: `python -m cpsdiff` runs the CLI, and cpsdiff/__init__.py
# is the public facade whose lazy names (compare, parse_document) reach into the layers.
ENTRY_POINTS = {"__main__.py": "cli", "__init__.py": "cli"}
# What those names of the facade import: `from cpsdiff import compare` depends on diff.
FACADE = {"compare": "diff", "parse_document": "text"}


def package_of(relative: str) -> str:
    """The layer of a module, from its path inside cpsdiff/ ('text/segment.py' -> 'text')."""
    parts = Path(relative).parts
    if len(parts) == 1:
        return ENTRY_POINTS.get(parts[0], "top")
    return parts[0]


def imported_packages(source: str, relative: str) -> list[tuple[str, str]]:
    """(package, the import as written) for every cpsdiff import in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's own package
                base = ["cpsdiff", *Path(relative).parts[:-1]][: len(Path(relative).parts) + 1 - node.level]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # `from cpsdiff import text` names a package; `from cpsdiff import __version__` the top level
            targets = [f"cpsdiff.{FACADE.get(alias.name, alias.name)}" if module == "cpsdiff" else module
                       for alias in node.names]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            if parts[0] != "cpsdiff":
                continue
            package = parts[1] if len(parts) > 1 and parts[1] in RANK else "top"
            found.append((package, ast.unparse(node)))
    return found


def violations(modules: dict[str, str]) -> list[str]:
    """Every import of a higher layer, and every module in no known layer, as 'module: reason'."""
    problems = []
    for relative, source in sorted(modules.items()):
        own = package_of(relative)
        if own not in RANK:
            problems.append(f"{relative}: package {own!r} is in no layer (add it to LAYERS in tests/test_layers.py)")
            continue
        for package, statement in imported_packages(source, relative):
            if RANK[package] > RANK[own]:
                problems.append(f"{relative}: {statement}  ({own} may not import {package}, a higher layer)")
    return problems


def oversized(modules: dict[str, str], limit: int = MAX_LINES) -> list[str]:
    return [f"{relative}: {n} lines (limit {limit})" for relative, source in sorted(modules.items())
            if (n := source.count("\n")) > limit]


def package_modules() -> dict[str, str]:
    return {path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}


def test_no_module_imports_a_higher_layer():
    problems = violations(package_modules())
    assert not problems, "\n".join(problems)


def test_no_module_is_over_the_line_limit():
    problems = oversized(package_modules())
    assert not problems, "\n".join(problems)


def test_every_layer_is_a_package_with_a_docstring_and_a_light_init():
    """Each subpackage says what it owns and what it may import; its __init__ imports nothing
    (importing a package must not load its modules), except the CLI's, which holds the app."""
    for name in LAYERS[1:]:
        init = PACKAGE / name / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"cpsdiff/{name}/__init__.py has no docstring"
        if name != "cli":
            assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))], name
    found = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert found == set(LAYERS[1:])


# The checks themselves must be able to fail.

@pytest.mark.parametrize("source", [
    "from cpsdiff.render.labels import plural\n",
    "def lazy():\n    from cpsdiff.store.versions import Store\n",
    "import cpsdiff.cli\n",
    "from cpsdiff import watch\n",
    "from cpsdiff import compare\n",  # the facade's compare is diff's
    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cpsdiff.lineage.trace import Lineage\n",
])
def test_an_import_of_a_higher_layer_is_reported(source):
    problems = violations({"text/example.py": source})
    assert len(problems) == 1 and problems[0].startswith("text/example.py: ")


@pytest.mark.parametrize("source", [
    "from cpsdiff.diff.align import align\n",  # its own package
    "from cpsdiff.text.segment import parse_document\nfrom cpsdiff.errors import InputError\n",  # lower ones
    "from cpsdiff import __version__\n",  # the top level
    "import json\nfrom . import moves\n",  # not cpsdiff's, and a relative import of its own package
])
def test_imports_of_the_same_or_a_lower_layer_pass(source):
    assert violations({"diff/example.py": source}) == []


def test_a_relative_import_counts_like_an_absolute_one():
    assert len(violations({"text/example.py": "from ..render import labels\n"})) == 1


def test_a_module_outside_every_layer_is_reported():
    assert violations({"extras/example.py": ""}) == ["extras/example.py: package 'extras' is in no layer (add it to "
                                                     "LAYERS in tests/test_layers.py)"]


def test_a_long_module_is_reported():
    assert oversized({"render/long.py": "x = 1\n" * 451}) == ["render/long.py: 451 lines (limit 450)"]
    assert oversized({"render/short.py": "x = 1\n" * 450}) == []
