"""Graphs derived from the document graphs, kept in step with them as documents are
written and removed.

Each deriver is a module with two functions:

    affected(store, graphs: list[str]) -> frozenset[str]
        the keys (entity IRIs, happening keys, ...) the given document graphs bear on,
        read from the store as it is now;
    refresh(store, before: frozenset[str], graphs: list[str]) -> None
        rewrite the derived statements for the keys the changed document graphs bore on
        before the change (`before`) and bear on now (which the deriver reads as it
        reads those documents), from the documents now in the store.

A change asks each deriver for the keys of the changed documents before the change (what
they said), then has it refresh those and the keys they bear on after it (what they say
now): so a removal takes back what a document contributed and a replacement adds what it
says instead.
Derivers work through the `Store` protocol only, so the same code keeps a folder and a
SPARQL server right.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

from kg.store import Store
from kg.store.common import documents_named

DERIVERS: tuple[str, ...] = ("entities", "happenings")  # module names under kg.derived, refreshed in this order
LOOKUPS_PER_QUERY = 50  # exact lookups in one query: a union of many more costs far more than its parts


def chunks(items: list, size: int) -> list[list]:
    """The items in lists of at most `size`, for queries of a bounded number of lookups.

    >>> chunks([1, 2, 3], 2)
    [[1, 2], [3]]
    """
    return [items[i:i + size] for i in range(0, len(items), size)]


def derivers() -> list[ModuleType]:
    return [import_module(f"kg.derived.{name}") for name in DERIVERS]


def keys_of(store: Store, graphs: list[str]) -> list[frozenset[str]]:
    """For each deriver, the keys the documents in these graphs bear on now."""
    return [deriver.affected(store, graphs) if graphs else frozenset() for deriver in derivers()]


def refresh(store: Store, before: list[frozenset[str]], graphs: list[str]) -> None:
    """Rewrite what the changed documents bore on, before and after the change."""
    for deriver, old in zip(derivers(), before):
        deriver.refresh(store, old, graphs)


def write_documents(store: Store, graphs: list[tuple[str, bytes]]) -> int:
    """`store.write_documents`, with the derived graphs brought up to date afterwards."""
    names = [graph for graph, _ in graphs]
    before = keys_of(store, names)
    written = store.write_documents(graphs)
    refresh(store, before, names)
    return written


def remove_documents(store: Store, name: str) -> list[str]:
    """`store.remove_documents`, with the derived graphs brought up to date afterwards."""
    graphs = sorted({row["g"].value for row in store.query(documents_named(name))})
    before = keys_of(store, graphs)
    files = store.remove_documents(name)
    refresh(store, before, graphs)
    return files
