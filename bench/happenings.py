"""How well kg links the reports of one happening across articles: pairwise precision and
recall of report linking on a corpus of wire stories with a gold file.

    .venv/bin/python bench/happenings.py [CORPUS_DIR] [--one-by-one]

The corpus (bench/happenings by default) holds short articles from four invented outlets
reporting meetings, visits and a suspension in the same weeks, some of the same pair on
different days, each with a sidecar giving its outlet and date. `gold.json` gives, for each
article, the class of the event it reports and the happening it belongs to (null for a
report of something that did not happen, such as a denial nothing else asserts).

A pair of reports is linked when both are reports of one happening node. Precision is the
share of linked pairs that gold puts in one happening; recall the share of gold's pairs that
are linked. An article whose event the extractor missed counts against recall.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from kg.derived.happenings import GRAPH  # noqa: E402
from kg.load.loader import load  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.vocab import KG_NS  # noqa: E402

REPORTS = f"""
SELECT ?file ?class ?happening (GROUP_CONCAT(?party; separator=" ") AS ?parties) WHERE {{
  GRAPH ?doc {{ ?event a ?class ; <{KG_NS}source> ?doc ; <{KG_NS}agent>|<{KG_NS}participant>|<{KG_NS}counterpart> ?x .
               ?doc <{KG_NS}fileName> ?file }}
  OPTIONAL {{ GRAPH <{GRAPH}> {{ ?happening <{KG_NS}report> ?event }} }}
  BIND(STRAFTER(STR(?x), "/entity/") AS ?party)
}} GROUP BY ?event ?file ?class ?happening"""


def found_happenings(corpus: Path, one_by_one: bool) -> dict[tuple[str, str], dict[str | None, tuple[str, ...]]]:
    """For each (file, class), the happening each of its events was linked to (None for an
    unlinked one), with the event's parties."""
    articles = sorted(str(p) for p in corpus.glob("*.txt"))
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "store", write=True) as store:
        for batch in ([[a] for a in reversed(articles)] if one_by_one else [articles]):
            load(batch, store)
        found: dict[tuple[str, str], dict[str | None, tuple[str, ...]]] = {}
        for row in store.query(REPORTS):
            linked = row["happening"].value if row["happening"] is not None else None
            events = found.setdefault((row["file"].value, row["class"].value[len(KG_NS):]), {})
            events[linked] = tuple(sorted(row["parties"].value.split()))
    return found


def scores(truth: dict[str, str | None], predicted: dict[str, str | None]) -> tuple[float, float, list[str]]:
    """Pairwise precision and recall of the predicted grouping against the true one, and the wrong pairs."""
    gold_pairs, linked_pairs = pairs(truth), pairs(predicted)
    right = gold_pairs & linked_pairs
    errors = [f"wrongly linked: {a} ({truth[a]}) with {b} ({truth[b]})" for a, b in sorted(linked_pairs - gold_pairs)]
    errors += [f"not linked: {a} with {b} ({truth[a]})" for a, b in sorted(gold_pairs - linked_pairs)]
    return (len(right) / len(linked_pairs) if linked_pairs else 1.0,
            len(right) / len(gold_pairs) if gold_pairs else 1.0, errors)


def pairs(assigned: dict[str, str | None]) -> set[tuple[str, str]]:
    """The pairs of reports put in one happening.

    >>> sorted(pairs({"a": "H1", "b": "H1", "c": None, "d": None, "e": "H2"}))
    [('a', 'b')]
    """
    return {(a, b) for a, b in itertools.combinations(sorted(assigned), 2)
            if assigned[a] is not None and assigned[a] == assigned[b]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(HERE / "happenings"))
    parser.add_argument("--one-by-one", action="store_true", help="load the articles one at a time, in reverse order")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    gold = json.loads((corpus / "gold.json").read_text())
    found = found_happenings(corpus, args.one_by_one)
    predicted: dict[str, str | None] = {}
    well_read = set()
    problems = []
    for file, expected in sorted(gold.items()):
        events = found.get((file, expected["kind"]), {})
        right = [h for h, parties in events.items() if parties == tuple(expected["parties"])]
        if right:
            well_read.add(file)
        elif events:
            problems.append(f"read with other parties: {file} ({expected['kind']} of "
                            f"{', '.join(next(iter(events.values())))})")
        else:
            problems.append(f"missed by the extractor: {file} ({expected['kind']})")
        predicted[file] = min((h for h in right or events if h), default=None)
    truth = {file: expected["happening"] for file, expected in gold.items()}
    print(f"articles {len(gold)}, gold happenings {len(set(filter(None, truth.values())))}, "
          f"found happenings {len(set(filter(None, predicted.values())))}, events read right {len(well_read)}")
    precision, recall, errors = scores(truth, predicted)
    print(f"end to end (extraction and matching): pairwise precision {precision:.3f}  recall {recall:.3f}")
    only = sorted(well_read)
    precision, recall, matching_errors = scores({f: truth[f] for f in only}, {f: predicted[f] for f in only})
    print(f"matching alone (events read right):   pairwise precision {precision:.3f}  recall {recall:.3f}")
    print("matching errors:", *(matching_errors or ["none"]), sep="\n  ")
    print("extraction errors, and the links they cost:", *(problems + [e for e in errors if e not in matching_errors])
          or ["none"], sep="\n  ")

if __name__ == "__main__":
    main()
