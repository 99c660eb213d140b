"""Stores of 1,000 to 100,000 articles, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/stores.py                       # 1,000, 10,000 and 100,000 articles
    .venv/bin/python bench/stores.py --sizes 1000,10000 --texts /tmp/news

The stores are built by bench/replay.py (and kept for the next run). On each store:
- every saved query, without parameters and with each entity parameter its header
  declares, given an entity at the head of the mix (NATO for actors) and one from its
  tail; `kg query` against `oxigraph query` on the same store running the same SPARQL
  with the parameter bound as kg binds it, both timed as whole processes;
- the start-up of both: an empty query;
- `kg load` of one new article, against the same load into an empty store, then
  `kg remove` of that article (which leaves the store as it was built); `kg stats`;
- the store's size: quads, bytes on disk, and how long the replay took to write it.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import replay  # noqa: E402
from corpus import article  # noqa: E402

BIN = Path(sys.executable).parent
KG = str(BIN / "kg")
OXIGRAPH = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
SIZES = (1000, 10000, 100000)
HEAD = "NATO"  # the actor a head-of-the-mix parameter names
TAIL_WITHIN = 1000  # a tail parameter names the rarest actor of its class among this many first articles
PERSON_PARAMS = ("person", "source", "speaker")  # entity parameters that name a person
NAME_PARAMS = ("actor", "name", "pair", *PERSON_PARAMS)  # text parameters (of older headers) that name an entity
EMPTY_QUERY = "SELECT * WHERE {}"
BUDGET = 2.0  # seconds: a measurement repeats (up to REPEATS times) until it has taken this long
REPEATS = 5
TIMEOUT = 600.0  # seconds a command may run before it is stopped and reported as such
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the children run the kg that built the stores


@dataclass(frozen=True)
class Run:
    """One process run: its wall time, and its output or why it failed."""

    seconds: float
    output: str
    error: str | None = None


def wall(args: list[str]) -> Run:
    """A command's wall time as a whole process (start-up included), and its output; a
    command still running after TIMEOUT seconds is stopped, with every process it started."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=CHILD_ENV,
                             start_new_session=True)
    try:
        out, err = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return Run(TIMEOUT, "", f"stopped after {TIMEOUT:.0f} s")
    seconds = time.perf_counter() - started
    error = (err.strip().splitlines() or [f"exit code {child.returncode}"])[-1] if child.returncode else None
    return Run(seconds, out, error)


def repeated(*commands: list[str], repeats: int = REPEATS, budget: float = BUDGET) -> list[list[Run]]:
    """Runs of each command, taken in turn, until `budget` seconds have gone or `repeats`
    rounds are done (at least one)."""
    runs: list[list[Run]] = [[] for _ in commands]
    started = time.perf_counter()
    while not runs[0] or (time.perf_counter() - started < budget and len(runs[0]) < repeats):
        for out, command in zip(runs, commands):
            out.append(wall(command))
    return runs


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def failure(runs: list[Run]) -> str | None:
    return next((r.error for r in runs if r.error), None)


def param_kinds(text: str) -> dict[str, str]:
    """The kind of each parameter a saved query's header declares (`text` when it says none).

    >>> param_kinds("# param: actor entity  Who\\n# param: from date  Since\\n# param: word  Any\\nSELECT")
    {'actor': 'entity', 'from': 'date', 'word': 'text'}
    """
    kinds = {}
    for match in re.finditer(r"^#\s*param:\s*\??(\w+)\s*(\S*)", text, re.MULTILINE):
        kinds[match[1]] = match[2] if match[2] in ("entity", "date", "text") else "text"
    return kinds


def bound_text(text: str, values: dict[str, str]) -> str:
    """A saved query with parameters bound as kg binds them, for an engine that knows nothing
    of kg: kg's prefixes declared, the `#[name] ` lines of each given parameter switched on,
    and a VALUES row for it where kg puts it (`kg.query.params.with_values`).

    >>> print(bound_text('SELECT ?a WHERE {\\n  ?x ?p ?o .\\n  #[a] ?x ?q ?a .\\n  #[b] ?x ?r ?b .\\n}',
    ...                  {"a": '"NATO"'}).split("\\n", 1)[1].split("SELECT")[1])
     ?a WHERE { VALUES ?a { "NATO" }
      ?x ?p ?o .
      ?x ?q ?a .
      #[b] ?x ?r ?b .
    }
    """
    import pyoxigraph as ox

    from kg.query.params import with_values
    from kg.vocab import PREFIXES

    for name in values:
        text = re.sub(rf"^(\s*)#\[{name}\] ", r"\1", text, flags=re.MULTILINE)
    terms = {name: (ox.NamedNode(term[1:-1]) if term.startswith("<") else ox.Literal(json.loads(term)),)
             for name, term in values.items()}
    text = with_values(text, terms, inward=True)
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items()) + text


@dataclass(frozen=True)
class Case:
    """A saved query with parameter values: how kg is asked, and the SPARQL Oxigraph runs."""

    title: str
    query: str
    params: tuple[str, ...]
    sparql: str


def head_and_tail(mix: replay.Mix, kinds: tuple[str, ...], seen: set[str], head: str | None) -> list[replay.Actor]:
    """An actor at the head of the mix (the one labelled `head` where there is one) and the
    rarest one of its class that every store names (`seen`)."""
    actors = [a for kind in kinds for a in mix.actors.get(kind, ())]
    first = next((a for a in actors if a.label == head), actors[0])
    rare = [a for a in mix.actors[first.kind] if a.key in seen]
    return [first, rare[-1]]


def cases(replayed: replay.Replay, keyed_only: bool = False) -> list[Case]:
    """Every saved query bare (unless `keyed_only`), then with each parameter that names an
    entity given a head and a tail actor (dates and other text are left out)."""
    from kg.query.saved import saved_queries
    from kg.vocab import ENT_NS

    import pyoxigraph as ox

    templates = replayed.templates
    seen = {actor.key for number in range(TAIL_WITHIN)
            for actor in replay.drawn(templates[number % len(templates)], number, replayed.mix).values()}
    out = []
    for name, saved in sorted(saved_queries().items()):
        required = [p.name for p in saved.params if p.required]
        if required:  # asked about a head or tail actor and the head state of the mix
            partner = replayed.mix.actors["Country"][0]
            for place, actor in zip(("head", "tail"), head_and_tail(replayed.mix, tuple(replayed.mix.actors), seen,
                                                                    HEAD)):
                given = {param: actor if n == 0 else partner for n, param in enumerate(required)}
                flags = tuple(f for param, a in given.items() for f in ("--param", f"{param}={a.label}"))
                out.append(Case(f"`{name} {' '.join(flags[1::2])}` ({place})", name, flags,
                                bound_text(saved.text, {p: f"<{ENT_NS}{a.key}>" for p, a in given.items()})))
            continue
        if not keyed_only:
            out.append(Case(f"`{name}`", name, (), bound_text(saved.text, {})))
        for param, kind in param_kinds(saved.text).items():
            if kind != "entity" and param not in NAME_PARAMS:
                continue
            person = param in PERSON_PARAMS
            kinds = ("Person",) if person else tuple(replayed.mix.actors)
            for place, actor in zip(("head", "tail"), head_and_tail(replayed.mix, kinds, seen, None if person else HEAD)):
                term = f"<{ENT_NS}{actor.key}>" if kind == "entity" else str(ox.Literal(actor.label))
                out.append(Case(f"`{name} --param {param}={actor.label}` ({place})", name,
                                ("--param", f"{param}={actor.label}"), bound_text(saved.text, {param: term})))
    return out


def row_count(output: str) -> int:
    """Rows of a CSV result, its header left out.

    >>> row_count('a,b\\r\\n1,"x\\r\\ny"\\r\\n2,z\\r\\n')
    2
    """
    return max(0, len(list(csv.reader(io.StringIO(output)))) - 1)


def query_cell(case: Case, folder: Path, work: Path) -> str:
    """kg's time for one case, Oxigraph's for the same SPARQL, their ratio and the rows."""
    kg = [KG, "query", case.query, *case.params, "--store", str(folder), "--format", "csv"]
    if OXIGRAPH is None:
        runs = repeated(kg)[0]
        return failure(runs) or f"{median(runs):.3f} s, {row_count(runs[0].output):,} rows"
    query_file = work / "query.rq"
    query_file.write_text(case.sparql)
    oxigraph = [OXIGRAPH, "query", "--location", str(folder), "--query-file", str(query_file),
                "--results-format", "csv", "--union-default-graph"]
    kg_runs, ox_runs = repeated(kg, oxigraph)
    if failure(kg_runs) or failure(ox_runs):
        return f"failed: {failure(kg_runs) or 'oxigraph: ' + failure(ox_runs)}"
    rows, oxigraph_rows = row_count(kg_runs[0].output), row_count(ox_runs[0].output)
    differ = f" (oxigraph: {oxigraph_rows:,})" if oxigraph_rows != rows else ""
    return (f"{median(kg_runs):.3f} s / {median(ox_runs):.3f} s = {median(kg_runs) / median(ox_runs):.2f}x, "
            f"{rows:,} rows{differ}")


def start_cell(folder: Path) -> str:
    kg = [KG, "query", EMPTY_QUERY, "--store", str(folder), "--format", "csv"]
    if OXIGRAPH is None:
        return f"{median(repeated(kg)[0]):.3f} s / oxigraph CLI not installed"
    oxigraph = [OXIGRAPH, "query", "--location", str(folder), "--query", EMPTY_QUERY, "--results-format", "csv"]
    kg_runs, ox_runs = repeated(kg, oxigraph)
    return f"{median(kg_runs):.3f} s / {median(ox_runs):.3f} s"


def new_article(work: Path) -> Path:
    """An article no store holds, from the generator of bench/corpus.py."""
    path = work / "new" / "new_article.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article(10**7))
    return path


def load_into_empty(path: Path, work: Path) -> float:
    """Median wall time of `kg load` of one article into an empty store: the baseline of a load."""
    empty = work / "empty"
    seconds = []
    for _ in range(3):
        shutil.rmtree(empty, ignore_errors=True)
        run = wall([KG, "load", str(path), "--store", str(empty), "--quiet"])
        if run.error:
            raise SystemExit(f"bench: kg load into an empty store failed: {run.error}")
        seconds.append(run.seconds)
    return statistics.median(seconds)


def load_and_remove(path: Path, folder: Path) -> tuple[list[Run], list[Run]]:
    """`kg load` of the article into the store, then `kg remove` of it, in turn (up to three
    times): the store is left as it was built."""
    wall([KG, "remove", path.name, "--store", str(folder)])  # left by an interrupted run, if any
    return tuple(repeated([KG, "load", str(path), "--store", str(folder), "--quiet"],
                          [KG, "remove", path.name, "--store", str(folder)], repeats=3, budget=20.0))


def timed_cell(runs: list[Run], baseline: float | None = None, against: str = "") -> str:
    if failure(runs):
        return f"failed: {failure(runs)}"
    ratio = f" = {median(runs) / baseline:.2f}x {against}" if baseline else ""
    return f"{median(runs):.3f} s{ratio}"


def size_cell(built: replay.Built) -> str:
    return f"{built.quads:,} quads, {built.bytes / 2**20:,.0f} MiB"


def build_cell(built: replay.Built) -> str:
    return f"{built.seconds:,.1f} s{' (kept from an earlier run)' if built.cached else ''}"


def compile_kg() -> None:
    """Compile kg's modules as `make` installs them, even where PYTHONDONTWRITEBYTECODE is
    set: otherwise every `kg` command would compile them again as it starts."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(ROOT / d) for d in ("kg", "ontology", "queries"))],
                   check=True)


def measure(sizes: tuple[int, ...], texts: Path | None, root: Path, keyed_only: bool = False) -> str:
    """The markdown table of every measure on a store of each size (the questions about one
    actor only, with `keyed_only`); the stores are kept in `root`/replayed for the next run."""
    work = root / "replayed"
    work.mkdir(parents=True, exist_ok=True)
    replayed = replay.prepare(texts, work)
    article_path = new_article(work)
    empty_load = load_into_empty(article_path, work)
    all_cases = cases(replayed, keyed_only)
    columns = []
    for n in sizes:
        built = replay.built_store(n, replayed.templates, replayed.mix, work, replayed.fingerprint)
        column = Column(n)
        column.add("machine load (1-minute load average)", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        column.add("size: quads, on disk", size_cell(built))
        column.add("build: replayed through kg's writer", build_cell(built))
        column.add("start-up, empty query: kg / oxigraph", start_cell(built.folder))
        loads, removals = load_and_remove(article_path, built.folder)
        column.add("`kg load` of one new article", timed_cell(loads, empty_load, "of an empty store"))
        column.add("`kg remove` of that article", timed_cell(removals))
        for case in sorted(all_cases, key=lambda c: not c.params):  # the questions about one entity first
            column.add(case.title, query_cell(case, built.folder, work))
        column.add("`kg stats`", timed_cell(repeated([KG, "stats", "--store", str(built.folder)], repeats=3)[0]))
        columns.append(column.cells)
    return table(sizes, columns)


class Column:
    """The cells of one store size, each reported on stderr as it is measured (a run on
    large stores takes a while)."""

    def __init__(self, articles: int):
        self.articles = articles
        self.cells: dict[str, str] = {}

    def add(self, measure: str, cell: str) -> None:
        self.cells[measure] = cell
        print(f"bench: {self.articles:,} articles: {measure}: {cell}", file=sys.stderr, flush=True)


def table(sizes: tuple[int, ...], columns: list[dict[str, str]]) -> str:
    """Measures down, store sizes across.

    >>> print(table((10, 20), [{"a": "1 s"}, {"a": "2 s"}]))
    | measure | 10 articles | 20 articles |
    |---|---|---|
    | a | 1 s | 2 s |
    """
    lines = ["| measure | " + " | ".join(f"{n:,} articles" for n in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    lines += [f"| {measure} | " + " | ".join(c.get(measure, "") for c in columns) + " |" for measure in columns[0]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="articles per store, comma-separated")
    parser.add_argument("--texts", type=Path, help="real news (.txt) to use as templates besides the seeds")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    parser.add_argument("--keyed-only", action="store_true", help="only the questions about one actor, not the "
                        "saved queries bare")
    args = parser.parse_args()
    started = time.perf_counter()
    compile_kg()
    print(measure(tuple(int(n) for n in args.sizes.split(",")), args.texts, args.work, args.keyed_only))
    print(f"\nbench: total {time.perf_counter() - started:,.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
