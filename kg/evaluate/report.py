"""What `kg evaluate` reports: counts per type, the headline micro figures, the side
scores, and every miss and false positive; as text for people and JSON for tools."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from kg.evaluate.reference import ReferencePosition


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one type (or of all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """The share of what was found that is right; nothing found scores 0.

        >>> Counts(3, 1, 0).precision, Counts().precision
        (0.75, 0.0)
        """
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """The share of what was wanted that was found.

        >>> Counts(3, 0, 1).recall
        0.75
        """
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall.

        >>> round(Counts(3, 1, 1).f1, 3), Counts(0, 2, 2).f1
        (0.75, 0.0)
        """
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Tally:
    """How many of those checked were right."""

    right: int = 0
    total: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.right + other.right, self.total + other.total)

    def __str__(self) -> str:
        return f"{self.right}/{self.total}"


@dataclass(frozen=True)
class Mistake:
    """A reference event or quote kg missed, or something kg found that the reference does
    not hold; `text` is the theme or the quoted words, `evidence` the sentence kg read."""

    document: str
    type: str
    agent: str | None = None
    participants: tuple[str, ...] = ()
    counterparts: tuple[str, ...] = ()
    text: str | None = None
    negated: bool = False
    evidence: str | None = None
    expected_speaker: str | None = None


@dataclass(frozen=True)
class EntityScore:
    """Reference entities found; those found under several IRIs; those of the right type."""

    found: Tally
    missing: tuple[str, ...]
    split: tuple[str, ...]
    type_correct: Tally
    wrong_type: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class PositionScore:
    found: Tally
    missing: tuple[ReferencePosition, ...]


@dataclass(frozen=True)
class EvaluationReport:
    """Scores of one store against one reference; `unmatched_documents` are the reference's
    stories that are not among the loaded files (left out of every score)."""

    per_type: tuple[tuple[str, Counts], ...]
    micro: Counts
    dates: Tally
    places: Tally
    duplicate_events: int
    entities: EntityScore
    positions: PositionScore
    misses: tuple[Mistake, ...]
    false_positives: tuple[Mistake, ...]
    unmatched_documents: tuple[str, ...] = ()
    load_failures: tuple[str, ...] = ()


def report_text(report: EvaluationReport) -> str:
    """The scores as a table and summary lines; the micro figures come last."""
    lines = [f"{'type':<12}{'tp':>4}{'fp':>4}{'fn':>4}{'P':>7}{'R':>7}{'F1':>7}"]
    lines += [f"{kind:<12}{c.tp:>4}{c.fp:>4}{c.fn:>4}{c.precision:>7.2f}{c.recall:>7.2f}{c.f1:>7.2f}"
              for kind, c in report.per_type]
    entities = report.entities
    lines += [f"dates {report.dates}  places {report.places}  duplicate events {report.duplicate_events}",
              f"entities recall {entities.found}  split {len(entities.split)}  type-correct {entities.type_correct}",
              f"positions recall {report.positions.found}",
              f"{len(report.misses)} missed, {len(report.false_positives)} false positives (--json lists them)",
              f"micro P {report.micro.precision:.3f} R {report.micro.recall:.3f} F1 {report.micro.f1:.3f}"]
    return "\n".join(lines)


def report_json(report: EvaluationReport) -> str:
    """The whole report, every miss and false positive included."""
    def scores(counts: Counts) -> dict:
        return {**dataclasses.asdict(counts), "precision": round(counts.precision, 3),
                "recall": round(counts.recall, 3), "f1": round(counts.f1, 3)}

    def tally(value: Tally) -> dict:
        return dataclasses.asdict(value)

    entities = report.entities
    data = {
        "micro": scores(report.micro),
        "per_type": {kind: scores(counts) for kind, counts in report.per_type},
        "dates": tally(report.dates),
        "places": tally(report.places),
        "duplicate_events": report.duplicate_events,
        "entities": {"found": tally(entities.found), "missing": list(entities.missing),
                     "split_into_several_iris": list(entities.split),
                     "type_correct": tally(entities.type_correct),
                     "wrong_type": {name: list(types) for name, types in entities.wrong_type}},
        "positions": {"found": tally(report.positions.found),
                      "missing": [dataclasses.asdict(p) for p in report.positions.missing]},
        "missed": [dataclasses.asdict(m) for m in report.misses],
        "false_positives": [dataclasses.asdict(m) for m in report.false_positives],
        "unmatched_documents": list(report.unmatched_documents),
        "load_failures": list(report.load_failures),
    }
    return json.dumps(data, indent=1, ensure_ascii=False)
