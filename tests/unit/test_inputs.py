"""What a user loads keeps its own identity, and odd inputs fail alone: distinct files get
distinct documents, a name or sidecar that cannot be stored, a FIFO, a device, a deep
folder or a huge stream fails with one line naming it, and so does a bad saved query or
date; exports replace their file whole or not at all. (Loads that run the model are in
tests/acceptance/test_reliability_load.py.)"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from conftest import DATA, KG, SEEDS, write_store
from kg.errors import InputError, UsageError
from kg.ingest.sources import Source, collect_sources, read_source
from kg.load.loader import LoadOptions, documents_to_extract
from kg.load.tally import Tally
from kg.query.saved import list_queries, saved_queries
from kg.web.app import create_app

STORY = "Austria and Chile held talks in Geneva on Monday. Officials said the talks were useful.\n"


def documents_of(paths: list[str], **options) -> list:
    sources, failures = collect_sources(paths, **options)
    assert failures == []
    return [read_source(source, None) for source in sources]


# ------------------------------------------------------------------ identities


def test_files_of_one_name_in_different_folders_cases_or_scripts_are_different_documents(tmp_path):
    names = ["a/report.txt", "b/report.txt", "Report.TXT", "report.TXT", "Лавров.txt", "北京.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(STORY)
    documents = documents_of([str(tmp_path)])
    assert sorted(d.file_name for d in documents) == sorted(names)
    assert len({d.doc_id for d in documents}) == len(names)
    assert {d.doc_id for d in documents} >= {"a/report", "b/report", "Report.TXT", "%D0%9B%D0%B0%D0%B2%D1%80%D0%BE%D0%B2"}


def test_files_of_one_name_named_on_the_command_line_are_different_documents(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(STORY)
    documents = documents_of([str(tmp_path / "a" / "report.txt"), str(tmp_path / "b" / "report.txt")])
    assert len({d.doc_id for d in documents}) == 2


def test_the_seeds_keep_the_ids_they_were_recorded_with():
    recorded = {q.graph_name.value.rsplit("/", 1)[1] for q in ox.parse((DATA / "seeds.nq").read_bytes(),
                                                                       format=ox.RdfFormat.N_QUADS)
                if "/doc/" in q.graph_name.value}
    assert {d.doc_id for d in documents_of([str(SEEDS)])} == recorded


def test_a_sidecar_url_is_the_identity(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(STORY)
    (tmp_path / "a" / "story.json").write_text(json.dumps({"url": "https://tass.com/world/1?x=1 2"}))
    (tmp_path / "b" / "story.json").write_text(json.dumps({"url": "https://tass.com/world/2"}))
    documents = documents_of([str(tmp_path)])
    assert [d.doc_id for d in documents] == ["https://tass.com/world/1?x=1%202", "https://tass.com/world/2"]


def test_two_inputs_of_one_identity_in_one_load_never_share_a_graph(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(STORY)
        (tmp_path / folder / "story.json").write_text(json.dumps({"url": "https://tass.com/world/1"}))
    sources, _ = collect_sources([str(tmp_path)])
    tally = Tally(len(sources))
    documents = list(documents_to_extract(sources, LoadOptions(), None, tally))
    assert [d.file_name for d in documents] == ["a/story.txt"]
    assert tally.failures == [("b/story.txt", "b/story.txt: the same document as a/story.txt "
                                              "(<https://w3id.org/kg-news/doc/https://tass.com/world/1>) in this load; not loaded")]


def test_standard_input_is_known_by_its_name_or_its_content():
    first, second = STORY.encode(), ("Peru and Chile met in Lima. " + STORY).encode()
    ids = [documents_of(["-"], stdin=lambda data=data: data)[0].doc_id for data in (first, second)]
    assert ids[0] != ids[1] and ids[0].startswith("stdin-")
    named = documents_of(["-"], stdin=lambda: first, stdin_name="Peru talks.txt")[0]
    assert (named.file_name, named.doc_id) == ("Peru talks.txt", "Peru%20talks")


# ------------------------------------------------------------------ odd names and sidecars


def test_a_file_name_that_is_not_utf8_is_read_under_a_printable_name(tmp_path):
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    path.write_text(STORY)
    (document,) = documents_of([str(tmp_path)])
    assert (document.file_name, document.doc_id) == ("caf\\xe9.txt", "caf%E9")
    ox.Literal(document.file_name)  # storable


def test_a_sidecar_with_text_rdf_cannot_hold_is_refused_by_its_name(tmp_path):
    (tmp_path / "story.txt").write_text(STORY)
    (tmp_path / "story.json").write_text('{"publisher": "\\ud800"}')
    with pytest.raises(InputError) as refused:
        read_source(Source("story.txt", tmp_path / "story.txt"), None)
    assert str(refused.value).startswith(f"{tmp_path / 'story.json'}: publisher is not valid Unicode")


@pytest.mark.parametrize("published", ["2015-02-30", "2015-13-01T10:00:00Z"])
def test_a_sidecar_date_that_is_no_day_is_refused_by_the_sidecar_name(tmp_path, published):
    (tmp_path / "story.txt").write_text(STORY)
    (tmp_path / "story.json").write_text(json.dumps({"published": published}))
    with pytest.raises(InputError) as refused:
        read_source(Source("story.txt", tmp_path / "story.txt"), None)
    assert str(refused.value).startswith(f"{tmp_path / 'story.json'}: published '{published}' is not a real date")


@pytest.mark.parametrize("date", ["2015-W19-4", "20150507", "2015-02-30", "2015-5-7"])
def test_a_date_option_is_exactly_a_calendar_day(date):
    with pytest.raises(UsageError, match="YYYY-MM-DD"):
        LoadOptions(date=date)
    assert LoadOptions(date="2016-02-29").date == "2016-02-29"


# ------------------------------------------------------------------ what is read


def test_a_fifo_is_refused_named_or_inside_a_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY)
    os.mkfifo(folder / "pipe.txt")
    sources, failures = collect_sources([str(folder), str(folder / "pipe.txt"), "/dev/zero"])
    assert [s.name for s in sources] == ["good.txt"]
    assert [message for _, message in failures] == [
        f"{folder / 'pipe.txt'}: not a regular file (a FIFO); kg reads files and folders",
        f"{folder / 'pipe.txt'}: not a regular file (a FIFO); kg reads files and folders",
        "/dev/zero: not a regular file (a device); kg reads files and folders"]


@pytest.fixture
def deep_folder(tmp_path):
    """Folders 1,100 deep with a story at the bottom, removed bottom-up afterwards (a
    recursive removal, pytest's own included, would exhaust the stack)."""
    deep = str(tmp_path)
    for _ in range(1100):
        deep += "/d"
        os.mkdir(deep)
    Path(deep, "story.txt").write_text(STORY)
    yield tmp_path
    os.remove(Path(deep, "story.txt"))
    while deep != str(tmp_path):
        os.rmdir(deep)
        deep = os.path.dirname(deep)


def test_a_folder_deeper_than_the_stack_is_walked(deep_folder):
    sources, failures = collect_sources([str(deep_folder)])
    assert ([s.name for s in sources], failures) == (["d/" * 1100 + "story.txt"], [])


def test_a_document_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(STORY * 10)
    with pytest.raises(InputError, match="big.txt: larger than the size limit of 100 bytes"):
        read_source(Source("big.txt", path), None, max_size=100)
    assert read_source(Source("big.txt", path), None, max_size=len(STORY) * 10).text


def test_endless_standard_input_is_cut_at_the_size_limit(tmp_path):
    with open("/dev/zero", "rb") as zeros:
        result = subprocess.run([KG, "load", "-", "--max-size", "1000", "--store", str(tmp_path / "s")],
                                stdin=zeros, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "kg: error: standard input: larger than the size limit of 1000 bytes (--max-size)"
    assert not (tmp_path / "s").exists()


def test_a_path_that_does_not_exist_fails_at_once_and_creates_no_store(kg, tmp_path):
    started = time.perf_counter()
    result = kg("load", str(tmp_path / "nonexistent.txt"), "--store", str(tmp_path / "s"))
    assert time.perf_counter() - started < 1
    assert (result.exit_code, result.stderr) == (
        1, f"kg: error: {tmp_path / 'nonexistent.txt'}: no such file or folder\nkg: 1 input(s) not loaded\n")
    assert not (tmp_path / "s").exists()


# ------------------------------------------------------------------ saved queries


@pytest.fixture
def bad_query_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "good.rq").write_text("# title: Good\nASK { ?s ?p ?o }\n")
    (folder / "latin.rq").write_bytes(b"# title: caf\xe9\nASK {}\n")
    (folder / "folder.rq").mkdir()
    os.mkfifo(folder / "pipe.rq")
    monkeypatch.setenv("KG_QUERY_PATH", str(folder))
    return folder


def test_a_bad_saved_query_is_left_out_and_the_others_work(bad_query_folder):
    assert "good" in saved_queries() and "met-with" in saved_queries()
    assert not {"latin", "folder", "pipe"} & {q.name for q in list_queries()}


def test_a_bad_saved_query_is_named_once_and_inline_sparql_still_runs(bad_query_folder, store_copy):
    env = dict(os.environ, KG_QUERY_PATH=str(bad_query_folder))
    result = subprocess.run([KG, "query", "ASK { ?d a kg:Document }", "--store", str(store_copy)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert (result.returncode, result.stdout) == (0, "true\n")
    assert result.stderr.splitlines() == [
        f"kg: warning: saved query {bad_query_folder / 'folder.rq'}: not a regular file; skipped",
        f"kg: warning: saved query {bad_query_folder / 'latin.rq'}: not UTF-8 text (invalid byte at offset 12); skipped",
        f"kg: warning: saved query {bad_query_folder / 'pipe.rq'}: not a regular file; skipped"]


# ------------------------------------------------------------------ export and remove


def limited_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_an_export_that_cannot_be_written_leaves_the_previous_file(store_copy, tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("the previous export\n")
    result = subprocess.run([KG, "export", "-o", str(target), "--store", str(store_copy)], capture_output=True,
                            text=True, timeout=60, preexec_fn=limited_file_size(4096))
    assert result.returncode == 1
    assert result.stderr.startswith(f"kg: error: cannot write {target}: File too large") and result.stderr.count("\n") == 1
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl", "store"]


def test_a_streamed_export_leaves_no_temporary_files_beside_the_one_it_writes(kg, store_copy, tmp_path):
    for name in ("graph.ttl", "graph.trig", "graph.nt"):
        assert kg("export", "-o", str(tmp_path / name), "--store", str(store_copy)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt", "graph.trig", "graph.ttl", "store"]


def test_an_export_to_standard_output_whose_temporary_files_cannot_be_written_is_one_line(store_copy, tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = subprocess.run([KG, "export", "--format", "turtle", "--store", str(store_copy)], capture_output=True,
                            text=True, timeout=60, preexec_fn=limited_file_size(4096),
                            env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"kg: error: cannot write temporary files in {scratch}: File too large\n"
    assert list(scratch.iterdir()) == []


def test_an_export_replaces_the_file_keeping_its_mode(kg, store_copy, tmp_path):
    target = tmp_path / "graph.nt"
    target.write_text("old\n")
    target.chmod(0o640)
    result = kg("export", "--format", "ntriples", "-o", str(target), "--store", str(store_copy))
    assert result.exit_code == 0, result.stderr
    assert len(list(ox.parse(target.read_bytes(), format=ox.RdfFormat.N_TRIPLES))) > 1000
    assert target.stat().st_mode & 0o777 == 0o640


def test_an_export_to_a_full_standard_output_is_one_line(store_copy):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([KG, "export", "--store", str(store_copy)], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "kg: error: cannot write to standard output: No space left on device\n"


def test_a_streamed_nquads_export_to_a_full_standard_output_is_one_line(store_copy):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([KG, "export", "--format", "nquads", "--store", str(store_copy)], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == "kg: error: cannot write to standard output: No space left on device\n"


def one_seed_stored_as(path: Path, graph: str, file_name: str) -> None:
    """A store holding the first recorded seed under another graph IRI and file name (as an
    earlier version of kg, or an odd file name, would have stored it)."""
    recorded = "https://w3id.org/kg-news/doc/000_b46fa97775ddf137"
    node = ox.NamedNode(graph)
    quads = [ox.Quad(node if q.subject.value == recorded else q.subject, q.predicate,
                     ox.Literal(file_name) if q.predicate.value.endswith("#fileName") else q.object, node)
             for q in ox.parse((DATA / "seeds.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value == recorded]
    write_store(path, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def test_remove_prints_a_name_with_a_newline_on_one_line(kg, tmp_path):
    one_seed_stored_as(tmp_path / "s", "https://w3id.org/kg-news/doc/two%0Alines", "two\nlines.txt")
    result = kg("remove", "two\nlines.txt", "--store", str(tmp_path / "s"))
    assert (result.exit_code, result.stdout) == (0, "removed two\\nlines.txt\n")


def test_an_old_store_is_still_found_by_file_name(kg, tmp_path):
    one_seed_stored_as(tmp_path / "s", "https://w3id.org/kg-news/doc/lavrov-meets-steinmeier",
                       "Lavrov meets Steinmeier!.txt")
    result = kg("remove", "Lavrov meets Steinmeier!.txt", "--store", str(tmp_path / "s"))
    assert (result.exit_code, result.stdout) == (0, "removed Lavrov meets Steinmeier!.txt\n")


def test_the_web_page_lists_the_good_saved_queries_beside_a_bad_one(bad_query_folder, store_copy):
    response = TestClient(create_app(str(store_copy), timeout=20)).get("/api/queries")
    assert response.status_code == 200
    assert {"good", "met-with"} <= {q["name"] for q in response.json()}
