"""One article's extraction written out: JSON lines for tools, tables for people."""
from __future__ import annotations

from kg.records import Extraction
from kg.render.results import table


def extraction_json(extraction: Extraction, explain: bool = False) -> str:
    """One article's extraction as one line of JSON; with `explain`, also what was read
    but not kept, and why."""
    import json

    return json.dumps(extraction_record(extraction, explain), ensure_ascii=False)


def extractions_json(extractions: list[Extraction], explain: bool = False) -> str:
    """Every article's extraction in one JSON list."""
    import json

    return json.dumps([extraction_record(e, explain) for e in extractions], indent=1, ensure_ascii=False)


def extraction_record(extraction: Extraction, explain: bool = False) -> dict:
    """One article's extraction as JSON data: the document, its entities, events and offices."""
    from dataclasses import asdict

    document = extraction.document
    record = {
        "document": document.file_name, "published": document.published, "dateline": document.dateline,
        "outlet": extraction.outlet,
        "entities": [asdict(e) for e in extraction.entities],
        "events": [asdict(e) for e in extraction.events],
        "positions": [asdict(p) for p in extraction.positions],
    }
    if explain:
        record["rejections"] = [asdict(r) for r in extraction.rejections]
    return record


def extraction_text(extraction: Extraction, explain: bool = False) -> str:
    """One article's extraction as tables a person can read; with `explain`, each event's
    rule and a table of what was read but not kept, with the reason."""
    document = extraction.document
    names = {e.key: e.label for e in extraction.entities}
    name = lambda key: names.get(key, key or "")
    head = f"== {document.file_name}" + (f"  (published {document.published})" if document.published else "")
    entities = table(["entity", "type", "label"], [[e.key, e.kind, e.label] for e in extraction.entities])
    events = table(["type", "agent", "participants", "counterpart", "theme", "date", "place", "neg", "modality"],
                   [[e.kind, name(e.agent), ", ".join(map(name, e.participants)), ", ".join(map(name, e.counterparts)),
                     e.theme or "", e.date or "", name(e.place), "yes" if e.negated else "", e.modality.lower()]
                    for e in extraction.events])
    offices = table(["person", "role", "of"], [[name(p.person), p.role, name(p.of)] for p in extraction.positions])
    parts = [head, entities, events, offices]
    if explain:
        parts.append(table(["type", "trigger", "made by"], [[e.kind, e.trigger, e.rule] for e in extraction.events]))
        parts.append(table(["not kept", "trigger", "why", "sentence"],
                           [[r.kind, r.trigger, r.reason, r.sentence] for r in extraction.rejections]))
    return "\n\n".join(parts) + "\n"
