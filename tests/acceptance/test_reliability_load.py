"""Loads that run the model: bad files are refused and change nothing; killed, interrupted
and very long loads, and link loops, leave every document whole or absent, and a second
run finishes the job."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.nlp.pipeline import split_text

from conftest import KG, canonical, store_quads, write_store

pytestmark = pytest.mark.slow
STORY = ("{a} and {b} held talks in Geneva on Monday. {a} said the talks were useful. "
         "Officials said {b} suspended cooperation with {c} on trade.\n")
NAMES = ["Austria", "Belgium", "Chile", "Denmark", "Egypt", "Finland", "Ghana", "Hungary", "India", "Japan"]


def bad_load(kg, store: Path, path: Path, message: str, code: int = 1) -> None:
    before = canonical(store_quads(store))
    result = kg("load", str(path), "--store", str(store))
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert str(path.name) in result.stderr
    assert "Traceback" not in result.stderr
    assert canonical(store_quads(store)) == before


def test_binary_and_nul_files_are_refused(kg, store_copy, tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    bad_load(kg, store_copy, png, "binary file")
    controls = tmp_path / "controls.txt"
    controls.write_bytes(bytes(range(1, 32)) * 20)
    bad_load(kg, store_copy, controls, "binary file")


def test_empty_and_blank_files_are_refused(kg, store_copy, tmp_path):
    for name, data in (("empty.txt", b""), ("blank.txt", b"  \n\t\n   ")):
        path = tmp_path / name
        path.write_bytes(data)
        bad_load(kg, store_copy, path, "empty document")


def test_invalid_utf8_that_is_no_legacy_encoding_is_refused(kg, store_copy, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("Talks in Kiev ".encode() + b"\x81\x8d\x8f\x90\x9d" + b" continued.\n")
    bad_load(kg, store_copy, path, "not UTF-8 text")


def test_non_english_article_is_refused(kg, store_copy, tmp_path):
    path = tmp_path / "french.txt"
    path.write_text("Le ministre des Affaires \u00e9trang\u00e8res a rencontr\u00e9 son homologue allemand "
                    "\u00e0 Paris mardi. Les deux hommes ont discut\u00e9 de la situation en Ukraine et de "
                    "la coop\u00e9ration entre leurs pays dans le domaine de la d\u00e9fense.\n" * 3)
    bad_load(kg, store_copy, path, "does not look like English")
    cyrillic = tmp_path / "russian.txt"
    cyrillic.write_text("\u041c\u043e\u0441\u043a\u0432\u0430 \u0438 \u0411\u0435\u0440\u043b\u0438\u043d "
                        "\u043f\u0440\u043e\u0432\u0435\u043b\u0438 \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b.\n")
    bad_load(kg, store_copy, cyrillic, "no article text")


def test_paths_that_cannot_be_read(kg, store_copy, tmp_path):
    bad_load(kg, store_copy, tmp_path / "missing.txt", "no such file")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    (empty_dir / "notes.md").write_text("not an article")
    bad_load(kg, store_copy, empty_dir, "no .txt files")
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    bad_load(kg, store_copy, loop, "symbolic link loop")


def test_unreadable_file_is_reported(kg, store_copy, unreadable_file):
    bad_load(kg, store_copy, unreadable_file, "permission denied")


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        a, b, c = NAMES[i % 10], NAMES[(i + 3) % 10], NAMES[(i + 7) % 10]
        (folder / f"story_{i:04d}.txt").write_text(f"Story {i}\n\n" + STORY.format(a=a, b=b, c=c) * 3)
    return folder


def test_a_link_loop_inside_a_folder_does_not_trap_the_walk(kg, tmp_path):
    folder = corpus(tmp_path / "in", 2)
    os.symlink(folder, folder / "again")
    result = kg("load", str(folder), "--store", str(tmp_path / "s"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("2 documents loaded")


def test_a_very_long_line_is_cut_where_the_model_can_take_it():
    line = ("Austria and Chile held talks in Geneva on Monday. " * 110_000)  # about 5.5 MB, one line
    pieces = split_text(line)
    assert "".join(pieces) == line
    assert all(len(p) <= 100_000 for p in pieces) and all(p.endswith(". ") for p in pieces[:-1])
    words = "x" * 250_000
    assert "".join(split_text(words)) == words


@pytest.mark.slow
def test_a_document_over_the_model_limit_loads_whole(kg, tmp_path):
    story = ("Austria and Chile held talks in Geneva on Monday. Officials said the talks were useful.\n"
             * 12_000 + "Finally, Peru suspended all cooperation with Bolivia.\n")  # about 1.06 million characters
    path = tmp_path / "long.txt"
    path.write_text(story)
    assert len(story) > 1_000_000
    result = kg("load", str(path), "--store", str(tmp_path / "s"))
    assert result.exit_code == 0, result.stderr
    count = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Suspension ; kg:charStart ?s FILTER(?s > 1000000) }",
               "--store", str(tmp_path / "s"), "--format", "csv")
    assert count.exit_code == 0, count.stderr
    assert int(count.stdout.splitlines()[1]) >= 1


def wait_for_first_commit(store: Path, process: subprocess.Popen, limit: float = 120) -> None:
    """Block until the running load has committed at least one batch of documents."""
    deadline = time.time() + limit
    while time.time() < deadline and process.poll() is None:
        if (store / "CURRENT").exists():
            probe = subprocess.run([KG, "query", "ASK { ?d a kg:Document }", "--store", str(store)],
                                   capture_output=True, text=True)
            if probe.stdout == "true\n":
                return
        time.sleep(0.2)
    pytest.fail("the load committed nothing in time, or finished first")


def graphs_of(path: Path) -> dict[str, set]:
    out: dict[str, set] = {}
    for quad in store_quads(path):
        if "/doc/" in str(quad.graph_name) and quad.predicate.value.rsplit("#")[-1] != "loadedAt":
            out.setdefault(quad.graph_name.value, set()).add(quad)
    return out


@pytest.mark.slow
def test_a_killed_load_leaves_whole_documents_and_can_be_run_again(tmp_path):
    folder = corpus(tmp_path / "in", 800)
    reference, store = tmp_path / "ref", tmp_path / "store"
    subprocess.run([KG, "load", str(folder), "--store", str(reference)], check=True, capture_output=True)
    expected = graphs_of(reference)
    process = subprocess.Popen([KG, "load", str(folder), "--store", str(store)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_first_commit(store, process)
    helpers = helper_processes(process.pid)
    assert helpers, "the load should extract in worker processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.time() + 20
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() for pid in helpers):
        time.sleep(0.2)
    assert not [pid for pid in helpers if Path(f"/proc/{pid}").exists()], "workers outlived the killed load"
    partial = graphs_of(store)
    assert len(partial) < len(expected)
    for graph, quads in partial.items():
        assert quads == expected[graph], f"{graph} is not whole"
    again = subprocess.run([KG, "load", str(folder), "--store", str(store)], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert graphs_of(store) == expected


def helper_processes(pid: int) -> list[int]:
    """The process that forks a load's workers (a child of the load) and the workers."""
    server = children_of([pid])
    return server + children_of(server)


def children_of(pids: list[int]) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (ValueError, OSError):  # not a process, or one that just ended
            pass
    return [child for child, parent in parents.items() if parent in pids]


def interruptible() -> None:
    """Let the child take Ctrl-C even when the tests run in the background, where the shell
    starts them with SIGINT ignored (and Python keeps it ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_says_what_was_loaded(tmp_path):
    folder = corpus(tmp_path / "in", 800)
    store = tmp_path / "store"
    process = subprocess.Popen([KG, "load", str(folder), "--store", str(store)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=interruptible)
    wait_for_first_commit(store, process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.fail("the load finished before it could be interrupted; make the corpus larger")
    assert process.returncode == 130
    assert err.startswith("kg: error: interrupted:") and "documents loaded" in err
    assert "Traceback" not in err
    again = subprocess.run([KG, "load", str(folder), "--store", str(store)], capture_output=True, text=True)
    assert again.returncode == 0 and "unchanged" in again.stdout and not again.stdout.startswith("800 documents")


# ------------------------------------------------------------------ identities and odd inputs


def document_graphs(store: Path) -> set[str]:
    return {q.graph_name.value for q in store_quads(store) if "/doc/" in q.graph_name.value}


def story(i: int) -> str:
    return f"Story {i}\n\n" + STORY.format(a=NAMES[i % 10], b=NAMES[(i + 3) % 10], c=NAMES[(i + 7) % 10])


def test_files_of_one_name_are_never_merged_and_a_replacement_is_said(kg, tmp_path):
    names = ["a/report.txt", "b/report.txt", "Report.TXT", "\u041b\u0430\u0432\u0440\u043e\u0432.txt", "\u5317\u4eac.txt"]
    for i, name in enumerate(names):
        (tmp_path / "col" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "col" / name).write_text(story(i))
    result = kg("load", str(tmp_path / "col"), "--store", str(tmp_path / "all"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("5 documents loaded, 0 unchanged")
    assert len(document_graphs(tmp_path / "all")) == 5
    first = kg("load", str(tmp_path / "col" / "a"), "--store", str(tmp_path / "s"))
    second = kg("load", str(tmp_path / "col" / "b"), "--store", str(tmp_path / "s"))
    assert first.stdout.startswith("1 documents loaded, 0 unchanged")
    assert second.stdout.startswith("1 documents loaded, 0 unchanged"), second.stdout
    assert second.stdout.endswith(" s (replaced 1 stored with other content)\n"), second.stdout


def test_two_piped_articles_are_two_documents(kg, tmp_path):
    for i in range(2):
        result = kg("load", "-", "--store", str(tmp_path / "s"), input=story(i))
        assert result.stdout.startswith("1 documents loaded, 0 unchanged"), result.stdout
    named = kg("load", "-", "--name", "wire/Peru.txt", "--store", str(tmp_path / "s"), input=story(2))
    assert named.exit_code == 0, named.stderr
    assert len(document_graphs(tmp_path / "s")) == 3
    assert "https://w3id.org/kg-news/doc/wire/Peru" in document_graphs(tmp_path / "s")


def test_a_document_stored_under_an_old_id_is_migrated_once(kg, tmp_path):
    path = tmp_path / "in" / "Lavrov meets Steinmeier!.txt"
    path.parent.mkdir()
    path.write_text(story(1))
    assert kg("load", str(path), "--store", str(tmp_path / "new")).exit_code == 0
    (graph,) = document_graphs(tmp_path / "new")
    old = ox.NamedNode("https://w3id.org/kg-news/doc/lavrov-meets-steinmeier")
    renamed = [ox.Quad(old if q.subject.value == graph else q.subject, q.predicate, q.object, old)
               for q in store_quads(tmp_path / "new") if q.graph_name.value == graph]
    write_store(tmp_path / "old", ox.serialize(renamed, format=ox.RdfFormat.N_QUADS))
    migrated = kg("load", str(path.parent), "--store", str(tmp_path / "old"))
    assert migrated.stdout.startswith("1 documents loaded, 0 unchanged"), migrated.stdout
    assert document_graphs(tmp_path / "old") == {graph}
    assert graphs_of(tmp_path / "old") == graphs_of(tmp_path / "new")
    again = kg("load", str(path.parent), "--store", str(tmp_path / "old"))
    assert again.stdout.startswith("0 documents loaded, 1 unchanged"), again.stdout


def test_an_odd_name_or_a_bad_sidecar_fails_alone(kg, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(story(0))
    Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt")).write_text(story(1))
    (folder / "bad.txt").write_text(story(2))
    (folder / "bad.json").write_text('{"publisher": "\\ud800"}')
    (folder / "day.txt").write_text(story(3))
    (folder / "day.json").write_text('{"published": "2015-02-30"}')
    result = kg("load", str(folder), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert result.stdout.startswith("2 documents loaded")
    assert result.stderr.splitlines() == [
        f"kg: error: {folder / 'bad.json'}: publisher is not valid Unicode text (a lone surrogate escape)",
        f"kg: error: {folder / 'day.json'}: published '2015-02-30' is not a real date (YYYY-MM-DD)",
        "kg: 2 input(s) not loaded"]
    files = kg("query", "SELECT ?f WHERE { ?d kg:fileName ?f } ORDER BY ?f", "--store", str(tmp_path / "s"),
               "--format", "csv")
    assert files.stdout.splitlines() == ["f", "caf\\xe9.txt", "good.txt"]


@pytest.mark.slow
def test_sigterm_stops_a_load_as_ctrl_c_does(tmp_path):
    folder = corpus(tmp_path / "in", 800)
    store = tmp_path / "store"
    process = subprocess.Popen([KG, "load", str(folder), "--store", str(store)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_first_commit(store, process)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.fail("the load finished before it could be stopped; make the corpus larger")
    assert process.returncode == 143, err
    assert err.startswith("kg: error: interrupted:") and "documents loaded" in err and err.count("\n") == 1, err
    again = subprocess.run([KG, "load", str(folder), "--store", str(store)], capture_output=True, text=True)
    assert again.returncode == 0 and "unchanged" in again.stdout and not again.stdout.startswith("800 documents")


@pytest.mark.slow
def test_a_worker_killed_during_a_load_is_named_and_its_batch_extracted_again(tmp_path):
    folder = corpus(tmp_path / "in", 600)
    store = tmp_path / "store"
    process = subprocess.Popen([KG, "load", str(folder), "--store", str(store), "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_first_commit(store, process)
    workers = children_of(children_of([process.pid]))
    assert workers, "the load should extract in worker processes"
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert err.startswith(f"kg: warning: extraction worker {workers[0]} was killed by SIGKILL"), err
    assert out.startswith("600 documents loaded, 0 unchanged"), out
    assert len(document_graphs(store)) == 600


@pytest.mark.slow
def test_a_reload_with_nothing_new_starts_no_worker_and_no_model(tmp_path):
    folder = corpus(tmp_path / "in", 40)
    store = tmp_path / "store"
    subprocess.run([KG, "load", str(folder), "--store", str(store), "--workers", "2"], check=True, capture_output=True)
    probe = subprocess.run([sys.executable, "-c", f"""
import os, sys
from kg.load.loader import LoadOptions, load
from kg.store import open_store
with open_store({str(store)!r}, write=True) as store:
    report = load([{str(folder)!r}], store, LoadOptions(workers=2))
    children = [p for p in os.listdir("/proc") if p.isdigit()
                and open(f"/proc/{{p}}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())]
print(report.skipped, "spacy" in sys.modules, children)
"""], capture_output=True, text=True, timeout=120)
    assert probe.stdout == "40 False []\n", probe.stderr
