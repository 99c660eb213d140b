"""What `kg stats` and `kg queries` print: tables and lines for people, JSON for tools."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict

from kg.render.results import table


def stats_text(stats) -> str:
    """Counts per class, then one line per document, then the totals."""
    classes = table(["class", "count"], [[name, str(n)] for name, n in stats.classes])
    documents = table(["document", "entities", "events", "triples", "loaded", "hash"],
                      [[d.file_name, str(d.entities), str(d.events), str(d.triples), d.loaded_at, d.content_hash[:12]]
                       for d in stats.documents])
    return f"{classes}\n\n{documents}\n\n{len(stats.documents)} documents, {stats.quads} quads in the store"


def stats_json(stats) -> str:
    """The statistics as one JSON object: counts by class, the documents, the quads."""
    return json.dumps({"classes": dict(stats.classes), "documents": [asdict(d) for d in stats.documents],
                       "quads": stats.quads}, indent=1, ensure_ascii=False)


def queries_text(saved: Iterable) -> str:
    """Each saved query's name and description, and the parameters it takes."""
    lines = []
    for query in saved:
        lines.append(f"{query.name:<12} {query.description or query.title}")
        lines += [f"{'':<12}   --param {param.name}=...  {param.description}" for param in query.params]
    return "\n".join(lines)


def queries_json(saved: Iterable) -> str:
    """The saved queries as a JSON list: name, title, description, parameters, file.

    >>> from kg.query.saved import parse_saved
    >>> print(queries_json([parse_saved("x", "# title: T\\n# param: actor  Who\\nASK {}", "x.rq")]))
    [{"name": "x", "title": "T", "description": "", "params": [{"name": "actor", "description": "Who", "kind": "text"}], "path": "x.rq"}]
    """
    return json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                        "params": [asdict(p) for p in q.params], "path": q.path} for q in saved], ensure_ascii=False)
