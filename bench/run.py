"""kg's benchmark: every figure measured side by side with its baseline in the same run.

    .venv/bin/python bench/run.py            # full run: 100, 1,000 and 10,000 articles loaded,
                                             # stores of 1,000, 10,000 and 100,000 replayed ones
    .venv/bin/python bench/run.py --stores   # the stores only (bench/stores.py)
    .venv/bin/python bench/run.py --quick    # 100 and 1,000 articles, fewer repeats

(a) extraction: `kg load` against bare `nlp.pipe` (same model, texts and processes), words/s,
    both timed as whole processes (start-up, model load and reading included)
(b) store writes: kg's batched transactions against pyoxigraph `bulk_load` of the same quads
(c) query start: `kg query met-with` against `oxigraph query` on the same store
(d) scale: time and peak memory of `kg load` at each corpus size
(f) remote store: writing the same documents to `oxigraph serve` against the embedded store,
    and every saved query's latency on both
(g) Dask: `kg load --cluster local:N` against `kg load --workers N`, N = 1 and 2
then the stores table of bench/stores.py: every saved query, with and without parameters,
`kg load`, `kg remove` and `kg stats` on stores of 1,000 to 100,000 articles.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_corpus  # noqa: E402
from stores import SIZES, compile_kg, measure  # noqa: E402

sys.path.insert(0, str(HERE.parent))
from kg.store.disk import DiskStore as Store  # noqa: E402

BIN = Path(sys.executable).parent
KG = str(BIN / "kg")
BARE = """
import sys
from pathlib import Path
import spacy
from kg.ingest.text import read_document
from kg.nlp.model import model_name
texts = [read_document(p).text for p in sorted(Path(sys.argv[3]).rglob("*.txt"))]
nlp = spacy.load(model_name())
for doc in nlp.pipe(texts, batch_size=int(sys.argv[1]), n_process=int(sys.argv[2])):
    pass
"""


def words(paths: list[Path]) -> int:
    return sum(len(p.read_text().split()) for p in paths)


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) of the child and its workers, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args[:3])} failed: {done.stderr.strip()[-400:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, done.stdout


def bare_pipe(folder: Path, batch: int, processes: int) -> float:
    """Wall seconds of a process that reads the same texts and runs spaCy alone over them,
    measured like `kg load`: start-up, imports, model load and reading included."""
    seconds, _, _ = run_child([sys.executable, "-c", BARE, str(batch), str(processes), str(folder)])
    return seconds


def kg_load(folder: Path, store: Path, workers: int) -> tuple[float, float]:
    shutil.rmtree(store, ignore_errors=True)
    seconds, peak, _ = run_child([KG, "load", str(folder), "--store", str(store), "--workers", str(workers), "--quiet"])
    return seconds, peak


def batch_sizes(folder: Path, paths: list[Path], rows: list) -> None:
    n = words(paths)
    for batch in (16, 32, 64):
        rows.append(("(a) bare nlp.pipe batch size", f"batch {batch}, 1 process", f"{n / bare_pipe(folder, batch, 1):,.0f} words/s", ""))


def extraction(folder: Path, paths: list[Path], work: Path, rows: list, kind: str, repeats: int) -> None:
    """kg load against bare nlp.pipe, alternating, best of `repeats` for each."""
    n = words(paths)
    for processes in (1, 2):
        bare, seconds = [], []
        for _ in range(repeats):
            bare.append(bare_pipe(folder, 32, processes))
            seconds.append(kg_load(folder, work / f"a{processes}", processes)[0])
        rows.append(("(a) extraction", f"{len(paths)} {kind} articles, {processes} process(es)",
                     f"kg {n / min(seconds):,.0f} vs bare {n / min(bare):,.0f} words/s",
                     f"{min(bare) / min(seconds):.2f} (target >= 0.90)"))


def document_graphs(store: Path) -> tuple[list, int]:
    """The document graphs a load wrote, as kg's writer gets them: (graph, N-Quads) pairs.
    Returns them and the number of quads."""
    import pyoxigraph as ox

    source = ox.Store.read_only(str(store))
    graphs: dict[str, list] = {}
    for quad in source:
        if "/doc/" in str(quad.graph_name):
            graphs.setdefault(quad.graph_name.value, []).append(quad)
    del source
    documents = [(graph, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)) for graph, quads in sorted(graphs.items())]
    return documents, sum(len(q) for q in graphs.values())


def in_batches(documents: list, size: int) -> list[list]:
    """The documents in the batches a load hands a store of this write batch size."""
    return [documents[i:i + size] for i in range(0, len(documents), size)]


def store_writes(graphs: list, total: int, work: Path, rows: list) -> None:
    """Replay the quads a load wrote: kg's write path against bulk_load, without and with the
    compaction a load ends with."""
    import pyoxigraph as ox

    batches, documents = in_batches(graphs, Store.write_batch), len(graphs)
    kg_store = Store(work / "writes-kg", write=True)
    started = time.perf_counter()
    for batch in batches:
        kg_store.write_documents(batch)
    kg_seconds = time.perf_counter() - started
    kg_store.optimize()
    compacted_seconds = time.perf_counter() - started
    kg_store.close()
    everything = b"".join(data for batch in batches for _, data in batch)
    bulk = ox.Store(str(work / "writes-bulk"))
    started = time.perf_counter()
    bulk.bulk_load(everything, format=ox.RdfFormat.N_QUADS)
    bulk_seconds = time.perf_counter() - started
    del bulk
    rows.append(("(b) store writes", f"{total:,} quads, {documents} documents",
                 f"kg {total / kg_seconds:,.0f} vs bulk_load {total / bulk_seconds:,.0f} quads/s",
                 f"{bulk_seconds / kg_seconds:.2f} (target >= 0.80)"))
    rows.append(("(b) store writes", "the same, with the compaction after the load",
                 f"kg {total / compacted_seconds:,.0f} vs bulk_load {total / bulk_seconds:,.0f} quads/s",
                 f"{bulk_seconds / compacted_seconds:.2f}"))


def query_start(store: Path, rows: list, repeats: int, setting: str) -> None:
    query_file = HERE.parent / "queries" / "met-with.rq"
    oxigraph = shutil.which("oxigraph", path=str(BIN))
    kg_times = [run_child([KG, "query", "met-with", "--store", str(store), "--format", "csv"])[0] for _ in range(repeats)]
    if oxigraph is None:
        rows.append(("(c) query start", setting, f"{statistics.median(kg_times):.3f} s",
                     "oxigraph CLI not installed (pip install oxigraph)"))
        return
    ox_times = [run_child([oxigraph, "query", "--location", str(store), "--query-file", str(query_file),
                           "--results-format", "csv", "--union-default-graph"])[0] for _ in range(repeats)]
    kg_time, ox_time = statistics.median(kg_times), statistics.median(ox_times)
    rows.append(("(c) query start", setting, f"kg {kg_time:.3f} s vs oxigraph {ox_time:.3f} s",
                 f"{kg_time / ox_time:.1f}x (target <= 3x and < 0.2 s)"))


def scale(sizes: list[int], root: Path, work: Path, workers: int, rows: list) -> list[Path]:
    stores = []
    for n in sizes:
        folder = root / f"corpus-{n}"
        paths = write_corpus(folder, n)
        store = work / f"scale-{n}"
        stores.append(store)
        seconds, peak = kg_load(folder, store, workers)
        rows.append(("(d) scale", f"{n:,} articles, {workers} worker(s)",
                     f"{seconds:.1f} s, {n / seconds:.0f} articles/s, {words(paths) / seconds:,.0f} words/s",
                     f"peak RSS {peak:,.0f} MiB"))
    return stores


def query_times(name: str, location: str, repeats: int) -> list[float]:
    """Seconds each of `repeats` runs of a saved query took, through kg's library call."""
    from kg.api import prepare_query, query
    from kg.store import open_store
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with open_store(location) as store:
            query(prepare_query(name), store, "json")
        times.append(time.perf_counter() - started)
    return times


def remote_store(graphs: list, total: int, work: Path, rows: list, repeats: int) -> None:
    """The same documents written to an `oxigraph serve` and to the embedded store, then
    every saved query on both."""
    import urllib.request

    from kg.query.saved import saved_queries
    from kg.store.sparql_server import ServerStore

    oxigraph = shutil.which("oxigraph", path=str(BIN))
    if oxigraph is None:
        rows.append(("(f) remote store", "oxigraph serve", "not run", "oxigraph CLI not installed (pip install oxigraph)"))
        return
    documents = len(graphs)
    port = free_port()
    server = subprocess.Popen([oxigraph, "serve", "--location", str(work / "server"), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/query", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        timings = {}
        for name, opener in (("embedded", lambda: Store(work / "remote-embedded", write=True)),
                             ("remote", lambda: ServerStore(url, write=True))):
            target = opener()
            started = time.perf_counter()
            target.ensure_ontology()
            for batch in in_batches(graphs, target.write_batch):  # as a load writes to each
                target.write_documents(batch)
            target.optimize()
            timings[name] = time.perf_counter() - started
            target.close()
        rows.append(("(f) remote store writes", f"{total:,} quads, {documents} documents",
                     f"remote {total / timings['remote']:,.0f} vs embedded {total / timings['embedded']:,.0f} quads/s",
                     f"{timings['embedded'] / timings['remote']:.2f} of embedded"))
        for name in sorted(saved_queries()):
            remote = statistics.median(query_times(name, url, repeats))
            embedded = statistics.median(query_times(name, str(work / "remote-embedded"), repeats))
            rows.append(("(f) remote query latency", name, f"remote {remote * 1000:,.0f} ms vs embedded {embedded * 1000:,.0f} ms",
                         f"{remote / embedded:.1f}x"))
    finally:
        server.terminate()
        server.wait()


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dask_extraction(folder: Path, paths: list[Path], work: Path, rows: list) -> None:
    """`kg load --cluster local:N` against `kg load --workers N`, whole processes."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        rows.append(("(g) Dask extraction", "kg load --cluster", "not run", "pip install distributed"))
        return
    n = words(paths)
    for workers in (1, 2):
        local, _ = kg_load(folder, work / f"g-local-{workers}", workers)
        shutil.rmtree(work / f"g-dask-{workers}", ignore_errors=True)
        dask, _, _ = run_child([KG, "load", str(folder), "--store", str(work / f"g-dask-{workers}"),
                                "--cluster", f"local:{workers}", "--quiet"])
        rows.append(("(g) Dask extraction", f"{len(paths)} articles, {workers} worker(s)",
                     f"dask {n / dask:,.0f} vs --workers {n / local:,.0f} words/s", f"{local / dask:.2f} of local"))


def table(rows: list) -> str:
    header = ("measure", "setting", "result", "ratio / note")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths)), "-|-".join("-" * w for w in widths)]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join("| " + line + " |" for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 articles only")
    parser.add_argument("--workers", type=int, default=2, help="workers for the scale runs (default 2)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--texts", type=Path, help="also measure (a) on the .txt articles in this folder, "
                        "e.g. real news fetched by bench/news.py, and replay them (with the seeds) in the stores")
    parser.add_argument("--stores", action="store_true", help="only the stores table of bench/stores.py")
    parser.add_argument("--keyed-only", action="store_true", help="in the stores table, only the questions about "
                        "one actor, not the saved queries bare")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="articles per replayed store, "
                        "comma-separated (default %(default)s; 1000 with --quick)")
    args = parser.parse_args()
    started = time.perf_counter()
    compile_kg()
    if not args.stores:
        print(table(measured_runs(args)) + "\n")
    print(measure((1000,) if args.quick else tuple(int(n) for n in args.sizes.split(",")), args.texts, args.work,
                  args.keyed_only))
    print(f"\nbench: total {time.perf_counter() - started:,.0f} s", file=sys.stderr)


def measured_runs(args: argparse.Namespace) -> list:
    """The rows of (a) to (g)."""
    sizes = [100, 1000] if args.quick else [100, 1000, 10000]
    repeats = 3 if args.quick else 7
    root = args.work
    work = root / "stores"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    rows: list = []
    sample_folder = root / "corpus-1000"
    sample = write_corpus(sample_folder, 1000)
    batch_sizes(sample_folder, sample, rows)
    extraction(sample_folder, sample, work, rows, "generated", 1 if args.quick else 3)
    if args.texts:
        extraction(args.texts, sorted(args.texts.rglob("*.txt")), work, rows, "given", 1 if args.quick else 3)
    stores = scale(sizes, root, work, args.workers, rows)
    largest = stores[-1]
    graphs, total = document_graphs(largest)  # what the load wrote, replayed by (b) and (f)
    store_writes(graphs, total, work, rows)
    for n, store in zip(sizes, stores):
        query_start(store, rows, repeats, f"met-with on {n:,} articles, median wall time")
    if args.texts:  # the store the last (a) run loaded from them
        query_start(work / "a2", rows, repeats, f"met-with on the {len(list(args.texts.rglob('*.txt')))} given articles")
    remote_store(graphs, total, work, rows, repeats)
    dask_extraction(sample_folder, sample, work, rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
