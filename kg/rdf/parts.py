"""Statements cut into parts on disk, so that a pass over a store of any size holds one
part in memory at a time.

Each statement goes to a temporary N-Triples or N-Quads file picked by its subject, so a
part holds every statement about its subjects, whichever graphs they lie in: what the
union exports need to write each triple once, and what validation needs to check a node
against the shapes.
"""
from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError

MAX_PARTS = 256  # files open at once while spilling; beyond it parts grow instead


def part_count(total: int, size: int) -> int:
    """How many parts of about `size` statements `total` statements make, at least one
    and at most MAX_PARTS.

    >>> part_count(0, 100), part_count(100, 100), part_count(101, 100), part_count(10**9, 10)
    (1, 1, 2, 256)
    """
    return min(MAX_PARTS, max(1, -(-total // size)))


def part_of(term: str, parts: int) -> int:
    """The part a statement goes to, from its subject in N-Triples form: the same in
    every run, so an export is the same each time.

    >>> part_of("<https://w3id.org/kg-news/entity/nato>", 7) == part_of("<https://w3id.org/kg-news/entity/nato>", 7)
    True
    >>> part_of("<http://x/a>", 1)
    0
    """
    return zlib.crc32(term.encode("utf-8")) % parts


@contextmanager
def spilled(statements: Iterable[ox.Triple | ox.Quad], parts: int,
            beside: Path | None = None) -> Iterator[list[Path]]:
    """The statements written, one a line, to `parts` temporary files by subject; the
    files are removed when the block ends. Triples make N-Triples files, quads N-Quads
    files.

    The files go in a hidden folder beside the file `beside` names (an export's
    destination, whose disk has to hold as much anyway), where a failed write is the
    caller's to report as one on that file; else in the system's temporary folder, where
    it is reported as one on the temporary files."""
    where = Path(beside).parent if beside is not None else None
    prefix = f".{Path(beside).name}." if beside is not None else "kg-parts-"
    with tempfile.TemporaryDirectory(prefix=prefix, dir=where) as folder:
        paths = [Path(folder) / f"{n:03d}" for n in range(parts)]
        write_parts(statements, paths, reported=beside is None)
        yield paths


def write_parts(statements: Iterable[ox.Triple | ox.Quad], paths: list[Path], reported: bool) -> None:
    """Each statement written as a line of the file its subject picks; the store's own
    errors, met while the statements are read, pass through as they are."""
    folder = str(paths[0].parent)
    handles = []
    try:
        handles += [path.open("w", encoding="utf-8") for path in paths]
    except OSError as exc:
        raise temporary_failure(exc, folder, reported)
    try:
        for statement in statements:
            handle = handles[part_of(str(statement.subject), len(paths)) if len(paths) > 1 else 0]
            try:
                handle.write(f"{statement} .\n")
            except OSError as exc:
                raise temporary_failure(exc, folder, reported)
    finally:
        for handle in handles:
            try:
                handle.close()
            except OSError as exc:
                raise temporary_failure(exc, folder, reported)


def temporary_failure(exc: OSError, folder: str, reported: bool) -> Exception:
    """A failed write to the temporary files (a full disk): when `reported`, one line that
    names their folder rather than the export's destination; else the error as it came.

    >>> temporary_failure(OSError(28, "No space left on device"), "/tmp/kg-parts-x", True)
    KgError('cannot write temporary files in /tmp: No space left on device')
    """
    if not reported:
        return exc
    error = KgError(f"cannot write temporary files in {Path(folder).parent}: {exc.strerror or exc}")
    error.__cause__ = exc
    return error
