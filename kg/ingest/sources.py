"""Inputs: which files a `kg load` reads, and reading each into a `Document`.

Folders are walked without following links to folders, so a link loop cannot trap the
walk; every path that cannot be read becomes a one-line failure naming it.
"""
from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.text import document_from_bytes, read_document
from kg.records import Document


@dataclass(frozen=True)
class Source:
    """One input: a file on disk, or standard input under a name."""

    name: str
    path: Path | None = None
    data: bytes | None = None


def collect_sources(paths: Iterable[str], stdin: Callable[[], bytes] | None = None) -> tuple[list[Source], list[tuple[str, str]]]:
    """Files named, `*.txt` below folders named, and `-` for standard input."""
    sources: list[Source] = []
    failures: list[tuple[str, str]] = []
    for raw in paths:
        if raw == "-":
            data = stdin() if stdin else sys.stdin.buffer.read()
            sources.append(Source(name="stdin.txt", data=data))
            continue
        path = Path(raw)
        problem = path_problem(path)
        if problem:
            failures.append((raw, f"{raw}: {problem}"))
        elif path.is_dir():
            found, errors = text_files_below(path)
            failures += errors
            if not found and not errors:
                failures.append((raw, f"{raw}: no .txt files in this folder"))
            sources += [Source(name=p.name, path=p) for p in found]
        else:
            sources.append(Source(name=path.name, path=path))
    return sources, failures


def path_problem(path: Path) -> str | None:
    """Why a path named on the command line cannot be read, if it cannot."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return "broken symbolic link" if path.is_symlink() else "no such file or folder"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return exc.strerror or str(exc)
    return None


def text_files_below(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every `*.txt` file below a folder, in a stable order, without following links to
    folders (so a link loop cannot trap the walk)."""
    found: list[Path] = []
    errors: list[tuple[str, str]] = []

    def report(exc: OSError) -> None:
        name = exc.filename or str(folder)
        errors.append((name, f"{name}: {exc.strerror or exc}"))

    for root, dirs, files in os.walk(folder, onerror=report):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(".txt"):
                path = Path(root) / name
                problem = path_problem(path)
                if problem:
                    errors.append((str(path), f"{path}: {problem}"))
                else:
                    found.append(path)
    return found, errors


def read_source(source: Source, date: str | None) -> Document:
    """The document a source holds; raises InputError with the reason when it cannot be read."""
    if source.path is not None:
        return read_document(source.path, date=date)
    return document_from_bytes(source.data or b"", source.name, date=date)
