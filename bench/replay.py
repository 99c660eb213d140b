"""Stores of any number of articles without running the model that many times.

The model reads a few real articles once (the templates: the seeds, plus the real news
given with --texts, else generated articles); the records it extracts are kept. A store
of N articles is then written by replaying those records N times, each time under a fresh
document (new document and event IRIs) and with its entities drawn again from a Zipf-like
mix of a few thousand actors of the same classes: the templates' own entities at the head,
ranked by how often they occur, then invented ones. Each article has a publication date,
as an archive's feed gives one (the template's own, its year, when it has none, the one nearest ARCHIVE_START), and every date it
gives (its publication date, its events' dates) moves on by a day every ARTICLES_PER_DAY
articles, so a larger store covers a longer time at the same density of news, as a real
archive does. The replayed records go through kg's
own path, `document_quads` and the store writer of `kg load`, so the store has the layout,
and the derived graphs, of the kg that builds it.

Built stores are kept under the bench folder, named by N and a fingerprint of kg's code,
ontology and templates, so a second run opens them at once.

    python bench/replay.py N [--texts DIR]      # builds (or finds) the store; prints its folder
"""
from __future__ import annotations

import argparse
import bisect
import dataclasses
import hashlib
import itertools
import json
import pickle
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from corpus import GIVEN, write_corpus  # noqa: E402

from kg import __version__  # noqa: E402
from kg.records import Document, DocumentQuads, Entity, Extraction  # noqa: E402

ACTORS = 3000  # the size of the mix entities are drawn from, across all classes
GENERATED_TEMPLATES = 100  # generated articles used as templates when no real news is given
ARTICLES_PER_DAY = 100  # how many replayed articles share each day: 100,000 articles cover about three years
ARCHIVE_START = "2014-01-01"  # the publication date of the first articles, for templates whose own is not known
STAMP = "2026-01-01T00:00:00Z"  # every replayed document's load time, so a build is repeatable
VERSION = f"kg {__version__}; replayed"  # the extractor version replayed documents carry
SYLLABLES = ("ka", "lo", "mi", "ran", "te", "vo", "sa", "bel", "dor", "fi", "gan", "hu", "ir", "jas", "ko",
             "len", "mar", "nor", "pel", "qui", "ros", "sul", "tam", "ul", "ves", "wen", "zar", "bri", "cal", "dun")
GROUP_FORMS = {"person": "{given} {word}", "state": "{word}ia", "place": "{word}grad", "body": "{word} {kind}",
               "other": "{word} {kind}"}


@dataclass(frozen=True)
class Actor:
    """An entity a replayed article may name: its key, label, class and Wikidata id."""

    key: str
    label: str
    kind: str
    wikidata: str | None = None


@dataclass(frozen=True)
class Mix:
    """The actors of each class, head first, with the cumulative Zipf weights to draw them."""

    actors: dict[str, tuple[Actor, ...]]
    weights: dict[str, tuple[float, ...]]

    def draw(self, kind: str, rng: random.Random, taken: set[str]) -> Actor:
        """An actor of the class, by Zipf weight, not one of `taken` (the article's others)."""
        actors, weights = self.actors[kind], self.weights[kind]
        for _ in range(8):
            actor = actors[bisect.bisect(weights, rng.random() * weights[-1])]
            if actor.key not in taken:
                return actor
        return next(a for a in actors if a.key not in taken)


QUERY_TIME_CODE = ("api.py", "cli.py", "evaluate", "query", "render", "web")  # reads a store, never writes one


def code_fingerprint(templates: list[Path]) -> str:
    """A digest of what a built store depends on: the kg code that reads articles and writes
    a store, the ontology, this module, and the template articles; a change to any of them
    builds the stores again, a change to how stores are asked (saved queries, the CLI, the
    renderers) does not."""
    digest = hashlib.sha256()
    writers = [p for p in sorted((ROOT / "kg").rglob("*.py"))
               if p.relative_to(ROOT / "kg").parts[0] not in QUERY_TIME_CODE]
    sources = writers + sorted((ROOT / "ontology").glob("*.ttl"))
    for path in sources + [Path(__file__), HERE / "corpus.py"] + templates:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def template_paths(texts: Path | None, work: Path) -> list[Path]:
    """The articles the model reads: the seeds, and the given real news or generated ones."""
    extra = sorted(texts.rglob("*.txt")) if texts else write_corpus(work / "templates", GENERATED_TEMPLATES)
    return sorted((ROOT / "seeds").glob("*.txt")) + extra


def extracted(paths: list[Path], cache: Path) -> list[Extraction]:
    """The model's records of the template articles, from the cache when it has them."""
    cached = cache / f"templates-{code_fingerprint(paths)}.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    from kg.load.loader import extract_paths
    extractions, failures = extract_paths([str(p) for p in paths])
    if failures:
        raise SystemExit(f"bench: templates not read: {failures[:3]}")
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(extractions))
    return extractions


def invented_word(number: int) -> str:
    """A pronounceable made-up word, a different one for each number: its digits in base
    30, one syllable each, at least two.

    >>> [invented_word(n) for n in (0, 1, 30, 931)]
    ['Kaka', 'Kalo', 'Loka', 'Lololo']
    """
    syllables = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
        if not number:
            break
    return "".join(reversed(syllables + [SYLLABLES[0]] * (2 - len(syllables)))).capitalize()


def invented_label(group: str, kind: str, number: int) -> str:
    """The label of the `number`th invented entity of a class in a picture group.

    >>> invented_label("person", "Person", 3), invented_label("body", "NewsAgency", 3), invented_label("state", "Country", 3)
    ('Dmitri Karan', 'Karan News Agency', 'Karania')
    """
    kind_words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind)
    return GROUP_FORMS[group].format(given=GIVEN[number % len(GIVEN)], word=invented_word(number), kind=kind_words)


def key_of(label: str) -> str:
    """An entity key for an invented label, as kg's keys look.

    >>> key_of("Dmitri Kami")
    'dmitri-kami'
    """
    return "-".join(label.lower().split())


def actor_mix(templates: list[Extraction], size: int = ACTORS) -> Mix:
    """About `size` actors, shared out between the classes as the templates mention them:
    each class's real entities first, the most mentioned at the head, then invented ones."""
    from kg.vocab import entity_group

    mentions = Counter(e.kind for t in templates for e in t.entities)
    documents = Counter(e.key for t in templates for e in t.entities)
    real: dict[str, dict[str, Actor]] = {}
    for entity in (e for t in templates for e in t.entities):
        real.setdefault(entity.kind, {}).setdefault(entity.key, Actor(entity.key, entity.label, entity.kind,
                                                                      entity.wikidata))
    used = {key for actors in real.values() for key in actors}
    actors = {}
    for kind, known in sorted(real.items()):
        head = sorted(known.values(), key=lambda a: (-documents[a.key], a.key))
        wanted = max(len(head), round(size * mentions[kind] / sum(mentions.values())))
        fresh = (Actor(key_of(label), label, kind) for label in
                 (invented_label(entity_group(kind).name, kind, n) for n in itertools.count()))
        tail = list(itertools.islice((a for a in fresh if a.key not in used and not used.add(a.key)),
                                     wanted - len(head)))
        actors[kind] = tuple(head + tail)
    return Mix(actors, {kind: tuple(itertools.accumulate(1 / rank for rank in range(1, len(a) + 1)))
                        for kind, a in actors.items()})


def renamed(record, names: dict[str, str]):
    """A record with every entity key it holds (in any field, alone or in a tuple) replaced.

    >>> from kg.records import Event
    >>> renamed(Event("Meeting", "met", "", 0, 1, participants=("a", "b"), place="c"), {"a": "x", "c": "z"}).participants
    ('x', 'b')
    """
    changes = {}
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        if isinstance(value, str) and value in names:
            changes[field.name] = names[value]
        elif isinstance(value, tuple) and any(isinstance(v, str) and v in names for v in value):
            changes[field.name] = tuple(names.get(v, v) for v in value)
    return dataclasses.replace(record, **changes) if changes else record


def as_actor(entity: Entity, actor: Actor) -> Entity:
    """The entity renamed to be the actor: its key, label and Wikidata id, and every list of
    names the text gave it (any tuple field) the actor's label alone, so no name of the
    template's entity is left on the actor.

    >>> renamed = as_actor(Entity("nato", "NATO", "Alliance", "Q7184"), Actor("kalo-alliance", "Kalo Alliance", "Alliance"))
    >>> renamed.key, renamed.label, renamed.kind, renamed.wikidata
    ('kalo-alliance', 'Kalo Alliance', 'Alliance', None)
    """
    changes = {"key": actor.key, "label": actor.label, "wikidata": actor.wikidata}
    for field in dataclasses.fields(entity):
        if field.name not in changes and isinstance(getattr(entity, field.name), tuple):
            changes[field.name] = (actor.label,)
    return dataclasses.replace(entity, **changes)


def drawn(template: Extraction, number: int, mix: Mix) -> dict[str, Actor]:
    """The actors article `number` names instead of the template's entities, by template key:
    drawn by Zipf weight within each class, no actor twice in one article."""
    rng = random.Random(number)
    actors: dict[str, Actor] = {}
    for entity in template.entities:
        actors[entity.key] = mix.draw(entity.kind, rng, {a.key for a in actors.values()})
    return actors


def replay_document(template: Extraction, number: int) -> Document:
    """The template's document as article `number`: a file name, id and content hash of its own."""
    from kg.ingest.text import document_id

    file_name = f"replay_{number:06d}.txt"
    content_hash = hashlib.sha256(f"{file_name} {template.document.content_hash}".encode()).hexdigest()
    return dataclasses.replace(template.document, doc_id=document_id(file_name), file_name=file_name,
                               content_hash=content_hash, published=archive_date(template.document.published))


def archive_date(published: str | None) -> str:
    """A template's publication date with a year: its own, else the year that puts its day
    nearest ARCHIVE_START, else ARCHIVE_START.

    >>> archive_date("2001-10-06"), archive_date("--10-06"), archive_date(None)
    ('2001-10-06', '2013-10-06', '2014-01-01')
    """
    from kg.derived.happenings import completed

    return completed(published, ARCHIVE_START) if published else ARCHIVE_START


def replayed(template: Extraction, number: int, mix: Mix) -> Extraction:
    """Article `number`: the template under a fresh document, its entities drawn again, its dates moved on."""
    extraction = renamed_extraction(template, replay_document(template, number), drawn(template, number, mix))
    return moved_dates(extraction, number // ARTICLES_PER_DAY)


def moved_dates(extraction: Extraction, days: int) -> Extraction:
    """The records with every date they give moved on by some days."""
    def move(record, field: str):
        value = getattr(record, field)
        return dataclasses.replace(record, **{field: moved(value, days)}) if value else record
    return dataclasses.replace(extraction, document=move(extraction.document, "published"),
                               events=tuple(move(e, "date") for e in extraction.events),
                               positions=tuple(move(p, "attested") for p in extraction.positions))


def renamed_extraction(template: Extraction, document: Document, actors: dict[str, Actor]) -> Extraction:
    """The template's records with its document and entities replaced."""
    names = {key: actor.key for key, actor in actors.items()}
    return dataclasses.replace(template, document=document,
                               entities=tuple(as_actor(e, actors[e.key]) for e in template.entities),
                               events=tuple(renamed(e, names) for e in template.events),
                               positions=tuple(renamed(p, names) for p in template.positions), rejections=())


def articles(templates: list[Extraction], mix: Mix, n: int) -> Iterator[Extraction]:
    """The first `n` replayed articles: the same ones whatever `n`, so a smaller store is
    the start of a larger one."""
    for number in range(n):
        yield replayed(templates[number % len(templates)], number, mix)


class Pattern:
    """A template's N-Quads as kg writes them, with a slot wherever an article puts its own
    document or entities: the records are written once with stand-in names, and each
    article fills the stand-ins in. The IRIs kg makes by hashing entity keys (events,
    positions) are made again with kg's own functions for each article. Filling in is
    several times faster than writing the records again, and gives the same quads."""

    def __init__(self, template: Extraction):
        from kg.rdf.quads import event_iri, position_iri

        self.template = template
        stand_ins = {e.key: Actor(f"zzk{i}zz", f"zzl{i}zz", e.kind, f"zzw{i}zz") for i, e in enumerate(template.entities)}
        document = dataclasses.replace(template.document, doc_id="zzdzz", file_name="zzdzz.txt", content_hash="zzhzz",
                                       published=archive_date(template.document.published))
        standing = renamed_extraction(template, document, stand_ins)
        self.events = [(event_iri("zzdzz", e).value, e) for e in standing.events]
        self.positions = [(position_iri(p).value, p) for p in standing.positions]
        text, self.dates = dated_slots(document_nquads(standing).decode())
        slots = [iri for iri, _ in self.events + self.positions] + ["zzdzz", "zzhzz"] + list(self.dates)
        slots += [f"zz{part}{i}zz" for i in range(len(template.entities)) for part in "klw"]
        pattern = "(" + "|".join(map(re.escape, sorted(slots, key=len, reverse=True))) + ")"
        self.parts = re.split(pattern, text)  # text, slot, text, ... slot, text

    def filled(self, number: int, mix: Mix) -> DocumentQuads:
        """Article `number` as the store writer takes it: the quads kg's `document_quads`
        writes for `replayed(template, number, mix)`."""
        from kg.rdf.quads import document_iri, event_iri, position_iri

        actors = drawn(self.template, number, mix)
        document = replay_document(self.template, number)
        values = {"zzdzz": document.doc_id, "zzhzz": document.content_hash}
        values.update((slot, moved(date, number // ARTICLES_PER_DAY)) for slot, date in self.dates.items())
        for i, entity in enumerate(self.template.entities):
            actor = actors[entity.key]
            values.update({f"zzk{i}zz": actor.key, f"zzl{i}zz": literal_text(actor.label),
                           f"zzw{i}zz": actor.wikidata or MISSING})
        names = {f"zzk{i}zz": actors[e.key].key for i, e in enumerate(self.template.entities)}
        values.update((iri, event_iri(document.doc_id, renamed(e, names)).value) for iri, e in self.events)
        values.update((iri, position_iri(renamed(p, names)).value) for iri, p in self.positions)
        parts = self.parts.copy()
        parts[1::2] = [values[slot] for slot in self.parts[1::2]]
        text = "".join(parts)
        if MISSING in text:  # a statement about a value the actor has not got, such as a Wikidata id
            text = "".join(line for line in text.splitlines(keepends=True) if MISSING not in line)
        return DocumentQuads(document.file_name, document.content_hash, document_iri(document.doc_id).value,
                             text.encode(), tuple(actors[e.key].key for e in self.template.entities),
                             len(self.template.events))


MISSING = "\0"
DATE_LITERAL = re.compile(r'"([0-9-]+)"(\^\^<http://www\.w3\.org/2001/XMLSchema#(?:date|gYearMonth|gYear|gMonthDay|gMonth)>)')


def dated_slots(text: str) -> tuple[str, dict[str, str]]:
    """N-Quads with a slot for each date literal's value, and the value of each slot.

    >>> dated_slots('<s> <p> "2015-05-07"^^<http://www.w3.org/2001/XMLSchema#date> <g> .')
    ('<s> <p> "zzt0zz"^^<http://www.w3.org/2001/XMLSchema#date> <g> .', {'zzt0zz': '2015-05-07'})
    """
    dates: dict[str, str] = {}

    def slot(match: re.Match) -> str:
        name = f"zzt{len(dates)}zz"
        dates[name] = match.group(1)
        return f'"{name}"{match.group(2)}'
    return DATE_LITERAL.sub(slot, text), dates


def moved(value: str, days: int) -> str:
    """A full or partial date moved on by some days: a month or year moves when its middle does.

    >>> moved("2015-12-31", 1), moved("2015-12", 20), moved("2015", 200), moved("--02-28", 2), moved("--12", 20)
    ('2016-01-01', '2016-01', '2016', '--03-01', '--01')
    """
    import datetime as dt

    parts = value.lstrip("-").split("-")
    if value.startswith("--"):  # --MM-DD or --MM, in a leap year
        day = dt.date(2000, int(parts[0]), int(parts[1]) if len(parts) > 1 else 15) + dt.timedelta(days)
        return f"--{day:%m-%d}" if len(parts) > 1 else f"--{day:%m}"
    middle = {1: (7, 1), 2: (15,), 3: ()}[len(parts)]
    day = dt.date(*map(int, parts), *middle) + dt.timedelta(days)
    return day.isoformat()[:len(value)]


def literal_text(value: str) -> str:
    """A string as it stands between the quotes of an N-Quads literal.

    >>> print(literal_text('Say "hi"'))
    Say \\"hi\\"
    """
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def document_nquads(extraction: Extraction) -> bytes:
    """An article's N-Quads as kg's extraction workers write them."""
    import pyoxigraph as ox

    from kg.rdf.quads import document_quads

    return ox.serialize(document_quads(extraction, STAMP, VERSION), format=ox.RdfFormat.N_QUADS)


def write_store(folder: Path, templates: list[Extraction], mix: Mix, n: int) -> None:
    """Write `n` replayed articles into a new store as `kg load` writes what it extracts: in
    batches of whole documents on the writer's own thread, derived graphs kept in step,
    and compacted at the end."""
    from kg.load.tally import Tally
    from kg.load.writer import BackgroundWriter, StoreWriter
    from kg.store import open_store

    with open_store(folder, write=True) as store:
        store.ensure_ontology()
        writer = BackgroundWriter(StoreWriter(store, Tally(n), validate=False))
        try:
            patterns = [Pattern(t) for t in templates]
            batch = []
            for number in range(n):
                batch.append(patterns[number % len(patterns)].filled(number, mix))
                if len(batch) == 32:
                    writer.put(batch)
                    batch = []
            writer.put(batch)
        finally:
            writer.close()
        store.optimize()


@dataclass(frozen=True)
class Built:
    """A store of replayed articles and what building it took."""

    folder: Path
    articles: int
    quads: int
    bytes: int
    seconds: float
    cached: bool


def built_store(n: int, templates: list[Extraction], mix: Mix, work: Path, fingerprint: str) -> Built:
    """The store of `n` replayed articles, built unless a store of this fingerprint is kept."""
    folder = work / f"store-{n}-{fingerprint}"
    note = folder.with_suffix(".json")
    if note.exists() and folder.is_dir():
        return Built(folder, n, cached=True, **{k: v for k, v in json.loads(note.read_text()).items()
                                                if k in ("quads", "bytes", "seconds")})
    for old in work.glob(f"store-{n}-*"):  # stores an earlier kg built
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    started = time.perf_counter()
    write_store(folder, templates, mix, n)
    seconds = time.perf_counter() - started
    built = Built(folder, n, quad_count(folder), folder_bytes(folder), seconds, cached=False)
    note.write_text(json.dumps({"quads": built.quads, "bytes": built.bytes, "seconds": round(seconds, 1)}))
    return built


def quad_count(folder: Path) -> int:
    from kg.store import open_store
    with open_store(folder) as store:
        return len(store)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Replay:
    """Everything a run needs to build stores: the templates, the actor mix, the fingerprint."""

    templates: list[Extraction]
    mix: Mix
    fingerprint: str


def prepare(texts: Path | None, work: Path) -> Replay:
    """The templates read by the model (once per fingerprint) and the actor mix drawn from them."""
    paths = template_paths(texts, work)
    templates = extracted(paths, work)
    return Replay(templates, actor_mix(templates), code_fingerprint(paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="articles in the store")
    parser.add_argument("--texts", type=Path, help="real news (.txt) to use as templates besides the seeds")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    args = parser.parse_args()
    replay = prepare(args.texts, args.work)
    built = built_store(args.n, replay.templates, replay.mix, args.work, replay.fingerprint)
    print(f"{built.folder}: {built.articles:,} articles, {built.quads:,} quads, {built.bytes / 2**20:,.0f} MiB, "
          f"built in {built.seconds:.1f} s{' (kept from an earlier run)' if built.cached else ''}")


if __name__ == "__main__":
    main()
