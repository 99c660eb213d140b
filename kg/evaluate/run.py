"""`kg evaluate`: load articles into a store of their own, read it through the saved
queries a user would run, and score what they print against a reference."""
from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError, KgError
from kg.evaluate.matching import FoundEntity, FoundEvent, FoundPosition, local_name
from kg.evaluate.reference import Reference, read_reference
from kg.evaluate.report import EvaluationReport
from kg.evaluate.scoring import reference_document, score
from kg.query.saved import saved_queries
from kg.store import Store, open_store
from kg.vocab import KG_NS, PREFIXES

if TYPE_CHECKING:
    from kg.load.loader import LoadOptions

FILE_NAMES = f"SELECT DISTINCT ?file WHERE {{ GRAPH ?g {{ ?g <{KG_NS}fileName> ?file }} }}"


def evaluate(reference_path: str | Path, paths: Iterable[str], options: LoadOptions) -> EvaluationReport:
    """Load the articles into a temporary store (removed afterwards) and score them.

    The reference is read first, so a broken one fails before the model is loaded.
    """
    from kg.load.loader import load

    reference = read_reference(reference_path)
    with tempfile.TemporaryDirectory(prefix="kg-evaluate-") as folder:
        with open_store(Path(folder) / "store", write=True) as store:
            loaded = load(list(paths), store, dataclasses.replace(options, validate=False))
            if not loaded.documents:
                reasons = "; ".join(message for _, message in loaded.failures[:3]) or "no articles found"
                raise InputError(f"nothing was loaded: {reasons}")
            report = evaluate_store(reference, store)
    return dataclasses.replace(report, load_failures=tuple(message for _, message in loaded.failures))


def evaluate_store(reference: Reference, store: Store) -> EvaluationReport:
    """Score what a store holds, through the `events`, `entities` and `positions` queries.

    Only the reference's stories that are among the loaded files are scored, so a part of
    an annotated collection can be measured on its own.
    """
    files = [row["file"].value for row in store.query(FILE_NAMES)]
    stories = [document.name for document in reference.documents]
    matched = {reference_document(name, stories) for name in files} - {None}
    if not matched:
        raise KgError(f"none of the {len(stories)} stories of the reference is among the "
                      f"{len(files)} loaded files (they are matched by file name)")
    events = [found_event(row) for row in query_rows(store, "events")]
    entities = [FoundEntity(row["entity"], row.get("type", ""), row["label"]) for row in query_rows(store, "entities")]
    positions = [FoundPosition(row["person"], row["role"], row.get("of")) for row in query_rows(store, "positions")]
    report = score(loaded_part(reference, matched), events, entities, positions)
    return dataclasses.replace(report, unmatched_documents=tuple(name for name in stories if name not in matched))


def loaded_part(reference: Reference, stories: set[str]) -> Reference:
    """The reference cut to some of its stories, with the offices of the people they name."""
    documents = tuple(document for document in reference.documents if document.name in stories)
    named = {name for document in documents for name in document.entities}
    return dataclasses.replace(reference, documents=documents,
                               positions=tuple(p for p in reference.positions if p.person in named))


def query_rows(store: Store, name: str) -> list[dict[str, str]]:
    """The rows of a saved query as plain values, as its JSON results give them; unbound
    and empty cells are left out."""
    solutions = store.query(saved_queries()[name].text, prefixes=PREFIXES)
    variables = [variable.value for variable in solutions.variables]
    return [{variable: term.value for variable, term in zip(variables, solution) if term is not None and term.value}
            for solution in solutions]


def found_event(row: dict[str, str]) -> FoundEvent:
    """An `events` row: the type by its local name, participants split at " | "."""
    return FoundEvent(
        row["event"], local_name(row.get("type", "")), row.get("agent"),
        tuple(part.strip() for part in row.get("participants", "").split("|") if part.strip()),
        row.get("counterpart"), row.get("theme"), row.get("negated", "").strip().lower() in ("true", "1"),
        row.get("date"), row.get("place"), row.get("source"), row.get("evidence"))
