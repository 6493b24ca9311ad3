#!/usr/bin/env python3
"""Count the imports between the rooms of `heedful.core`, so the mesh can only shrink.

A room is the first package under `src/heedful/core` (customers, promises, ...); `shared` is the
floor every room may stand on. The script reads the source with `ast` (stdlib only, nothing is
imported or run) and prints, per room pair, the modules that import across, then four figures:

- arrows: room-to-room arrows (distinct ordered pairs of rooms, "a imports b");
- back-edges: arrows against LAYERS below (a lower room importing a higher one);
- mutual pairs: pairs of rooms that import each other;
- private imports: a module of one room importing a module inside another room. A room's
  modules are its own; other rooms use its face, the names its `__init__.py` exports
  (`from heedful.core.customers import Customer`). The floor, `shared`, has no face to pass:
  its modules are what every room stands on;
- whole: rooms whose handlers take the whole unit of work (`heedful.core.unit_of_work`, ADR 0030).
  It names every room's repositories for a type only, so it sits above all rooms and its arrows
  are counted here, not among the rooms': each room that narrows to its own protocol lowers it.

With `--ceiling arrows=N,back=N,mutual=N,private=N,whole=N` it exits 1 when a figure rises
above its ceiling (`make lint` runs it so); with `--verbose` it names every importing module.
"""

# ruff: noqa: T201  (a script: printing is its output)
from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "heedful" / "core"
PACKAGE = "heedful.core"

# The intended order, lowest first: a room may import rooms on its own level or below, never
# above. Rooms on one level should not know each other (import-linter `independence` says which
# must not); an import between two rooms of one level is not counted as a back-edge here.
# Keep in step with the `layers` contract in pyproject.toml.
LAYERS: list[set[str]] = [
    {"shared"},
    {"access", "calendar", "interests"},
    {"customers"},
    {"staff", "history", "events", "tasks", "dead_letters", "catalog"},
    {"preferences", "reports", "outreach", "dealings"},
    {"promises", "card"},
    {"sla"},
    {"conversations", "feedback", "audits"},
    {"playbooks", "privacy", "goodwill", "failures"},
    {"engine"},
]


# The whole unit of work: every room's repositories composed for the handlers' type (ADR 0030).
WHOLE = "unit_of_work"


def level_of(room: str) -> int:
    for index, level in enumerate(LAYERS):
        if room in level:
            return index
    # A room nobody placed yet sits on top, so that its imports never count as back-edges
    # but every import of it does: placing it is the fix.
    return len(LAYERS)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def imported_modules(tree: ast.AST, this_module: str, is_package: bool) -> list[str]:
    """Every `heedful.core...` module this file imports, wherever the import statement sits."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = this_module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from heedful.core.customers import _common` names a module too.
            found.append(target)
            found.extend(f"{target}.{alias.name}" for alias in node.names if alias.name != "*")
    return [name for name in found if name.startswith(PACKAGE + ".")]


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else None


def face_names(room: str) -> set[str]:
    """The names a room's `__init__.py` binds: what other rooms may import from it."""
    face = CORE / room / "__init__.py"
    if not face.exists():
        return set()
    names: set[str] = set()
    for node in ast.parse(face.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def is_private(module: str) -> bool:
    """A module inside a room (not the room's face), e.g. `heedful.core.customers.model`."""
    parts = module.split(".")
    if len(parts) < 4 or parts[2] == "shared":
        return False
    if len(parts) == 4 and parts[3] in face_names(parts[2]):
        return False  # `from heedful.core.customers import audit`: the face's function
    path = CORE.joinpath(*parts[2:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def collect() -> tuple[dict[tuple[str, str], set[str]], list[tuple[str, str]], set[str]]:
    """(room pair -> importing modules, [(importer, private module)], rooms taking the whole)."""
    arrows: dict[tuple[str, str], set[str]] = defaultdict(set)
    whole: set[str] = set()
    private: set[tuple[str, str]] = set()
    known = {path.with_suffix("").name for path in CORE.iterdir()}
    for path in sorted(CORE.rglob("*.py")):
        name = module_name(path)
        source_room = room_of(name)
        if source_room is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in imported_modules(tree, name, path.name == "__init__.py"):
            target_room = room_of(target)
            if target_room is None or target_room == source_room or target_room not in known:
                continue
            if WHOLE in (source_room, target_room):
                if target_room == WHOLE:
                    whole.add(source_room)
                continue
            arrows[(source_room, target_room)].add(name)
            if is_private(target):
                private.add((name, target))
    return arrows, sorted(private), whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ceiling", default="", help="arrows=N,back=N,mutual=N,private=N,whole=N")
    parser.add_argument("--verbose", action="store_true", help="name every importing module")
    parser.add_argument("--quiet", action="store_true", help="print only the figures")
    args = parser.parse_args()

    arrows, private, whole = collect()
    back = sorted(pair for pair in arrows if level_of(pair[0]) < level_of(pair[1]))
    mutual = sorted({tuple(sorted(pair)) for pair in arrows if (pair[1], pair[0]) in arrows})

    if not args.quiet:
        print("room -> room: importing modules")
        for (source, target), modules in sorted(arrows.items()):
            mark = "  BACK" if (source, target) in back else ""
            print(f"  {source} -> {target}: {len(modules)}{mark}")
            if args.verbose:
                for module in sorted(modules):
                    print(f"      {module}")
        print("back-edges (a lower room imports a higher one):")
        for source, target in back:
            print(f"  {source} -> {target}")
        print("mutual pairs:")
        for first, second in mutual:
            print(f"  {first} <-> {second}")
        print("cross-room imports of private modules (past the room's face):")
        for importer, target in private:
            print(f"  {importer} -> {target}")
        print(f"rooms that take the whole unit of work: {', '.join(sorted(whole))}")

    figures = {
        "arrows": len(arrows),
        "back": len(back),
        "mutual": len(mutual),
        "private": len(private),
        "whole": len(whole),
    }
    print(
        f"arrows={figures['arrows']} back-edges={figures['back']} "
        f"mutual-pairs={figures['mutual']} private-imports={figures['private']} "
        f"whole-unit-of-work={figures['whole']}"
    )

    # The same without the floor, comparable with the figures from before ADR 0030.
    rooms_only = {pair for pair in arrows if "shared" not in pair}
    print(
        f"without shared: arrows={len(rooms_only)} "
        f"back-edges={sum(1 for pair in back if 'shared' not in pair)} "
        f"mutual-pairs={sum(1 for pair in mutual if 'shared' not in pair)}"
    )

    failed = False
    for importer, target in private if args.quiet else ():
        face = ".".join(target.split(".")[:3])
        print(
            f"core_imports: {importer} imports {target}, inside another room: import it from {face}"
        )
    for item in filter(None, args.ceiling.split(",")):
        key, _, value = item.partition("=")
        if figures[key.strip()] > int(value):
            print(f"core_imports: {key} is {figures[key.strip()]}, above its ceiling {value}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
