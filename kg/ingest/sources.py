"""Inputs: which files a `kg load` reads, and reading each into a `Document`.

Folders are walked without following links to folders, so a link loop cannot trap the
walk, and without recursion, so no depth of folders can exhaust the stack; only regular
files are read, and at most a size limit of each, so a FIFO or a device cannot hang or
fill memory. Every path that cannot be read becomes a one-line failure naming it.

Each source carries the identity its document is stored under: the path relative to the
folder named on the command line (a file named directly: its name), case and all, so two
files never share a graph.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError
from kg.ingest import MAX_SIZE
from kg.ingest.text import document_from_bytes, document_id, read_document, shown
from kg.records import Document



@dataclass(frozen=True)
class Source:
    """One input: a file on disk, or standard input under a name. `name` is what the
    document is called (its file name in the store), `doc_id` the identity it is stored under."""

    name: str
    path: Path | None = None
    data: bytes | None = None
    doc_id: str | None = None


def collect_sources(paths: Iterable[str], stdin: Callable[[], bytes] | None = None, *,
                    stdin_name: str | None = None,
                    max_size: int = MAX_SIZE) -> tuple[list[Source], list[tuple[str, str]]]:
    """Files named, `*.txt` below folders named, and `-` for standard input."""
    paths = list(paths)
    sources: list[Source] = []
    failures: list[tuple[str, str]] = []
    named = Counter(Path(raw).name for raw in paths if raw != "-" and not Path(raw).is_dir())
    for raw in paths:
        if raw == "-":
            try:
                data = stdin() if stdin else read_limited(sys.stdin.buffer, max_size, "standard input")
                sources.append(stdin_source(data, stdin_name, max_size))
            except InputError as exc:
                failures.append(("-", str(exc)))
            continue
        path = Path(raw)
        problem = path_problem(path)
        if problem:
            failures.append((shown(raw), f"{shown(raw)}: {problem}"))
        elif path.is_dir():
            found, errors = text_files_below(path)
            failures += errors
            if not found and not errors:
                failures.append((shown(raw), f"{shown(raw)}: no .txt files in this folder"))
            sources += [file_source(p, os.path.relpath(p, path)) for p in found]
        else:
            # two files of one name from different folders: each known by its path as given
            key = path.name if named[path.name] == 1 else os.path.normpath(raw).lstrip(os.sep)
            sources.append(file_source(path, key))
    return sources, failures


def file_source(path: Path, key: str) -> Source:
    return Source(name=shown(key), path=path, doc_id=document_id(key))


def stdin_source(data: bytes, name: str | None, max_size: int) -> Source:
    """Standard input, known by the name given, else by its content, so that a second
    piped article never replaces the first."""
    if len(data) > max_size:
        raise InputError(f"standard input: larger than the size limit of {max_size} bytes (--max-size)")
    key = name or f"stdin-{hashlib.sha256(data).hexdigest()[:16]}.txt"
    return Source(name=shown(key), data=data, doc_id=document_id(key))


def read_limited(stream: BinaryIO, limit: int, name: str) -> bytes:
    """At most `limit` bytes of a stream; more is refused after reading only one byte
    past the limit.

    >>> import io
    >>> read_limited(io.BytesIO(b"abc"), 3, "x")
    b'abc'
    >>> read_limited(io.BytesIO(b"abcd"), 3, "x")
    Traceback (most recent call last):
    kg.errors.InputError: x: larger than the size limit of 3 bytes (--max-size)
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: larger than the size limit of {limit} bytes (--max-size)")
    return data


def path_problem(path: Path) -> str | None:
    """Why a path named on the command line cannot be read, if it cannot."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken symbolic link" if path.is_symlink() else "no such file or folder"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return exc.strerror or str(exc)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return f"not a regular file ({file_kind(mode)}); kg reads files and folders"
    return None


def file_kind(mode: int) -> str:
    """What a file that is not a regular file or a folder is.

    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFCHR)
    ('a FIFO', 'a device')
    """
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def text_files_below(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every regular `*.txt` file below a folder, in a stable order (a folder's files, then
    its folders one by one), without following links to folders."""
    found: list[Path] = []
    errors: list[tuple[str, str]] = []
    stack = [str(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            errors.append((shown(current), f"{shown(current)}: {exc.strerror or exc}"))
            continue
        folders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.name.lower().endswith(".txt") and not entry.is_dir():
                problem = None if entry.is_file() else path_problem(Path(entry.path)) or "not a regular file"
                if problem:
                    errors.append((shown(entry.path), f"{shown(entry.path)}: {problem}"))
                else:
                    found.append(Path(entry.path))
        stack += reversed(folders)
    return found, errors


def read_source(source: Source, date: str | None, max_size: int = MAX_SIZE) -> Document:
    """The document a source holds; raises InputError with the reason when it cannot be read."""
    if source.path is not None:
        return read_document(source.path, date=date, name=source.name, doc_id=source.doc_id, max_size=max_size)
    return document_from_bytes(source.data or b"", source.name, date=date, doc_id=source.doc_id)
