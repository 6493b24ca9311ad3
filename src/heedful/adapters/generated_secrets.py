"""Development secrets, made on first start and kept in the data directory.

Heedful never signs with a published value: a development installation that sets no secret gets
random ones, written once to ``heedful-secrets.json`` (mode 0600) and read back on every later
start, so sessions, unsubscribe and survey links survive a restart. Outside development the
settings refuse to start without real secrets, and nothing here runs.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

FILE_NAME = "heedful-secrets.json"


def data_dir_for(data_dir: str, database_url: str) -> Path:
    """The configured directory; else the SQLite file's; else the current one."""
    if data_dir:
        return Path(data_dir)
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        return Path(database_url.removeprefix("sqlite:///").split("?", 1)[0]).resolve().parent
    return Path.cwd()


def kept_secrets(directory: Path, names: Iterable[str]) -> dict[str, str]:
    """A random value for each name, the same on every start: made once, then read back."""
    wanted = list(names)
    path = directory / FILE_NAME
    stored = _read(path)
    missing = [name for name in wanted if not stored.get(name)]
    if missing:
        stored = _write(path, {**stored, **{n: secrets.token_urlsafe(32) for n in missing}})
    return {name: stored[name] for name in wanted}


def _read(path: Path) -> dict[str, str]:
    try:
        loaded = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def _write(path: Path, values: dict[str, str]) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    # Written whole to a file only its owner reads, then put in place in one step: a server and
    # a worker starting together never read half a file, and the loser of a race adopts the
    # winner's values rather than signing with its own.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle, indent=2)
    try:
        if path.exists():
            os.replace(temporary, path)  # adding a name to an existing file
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                return {**values, **_read(path)}
    finally:
        temporary.unlink(missing_ok=True)
    return values
