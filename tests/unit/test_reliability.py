"""Nothing lost, nothing crashes: legacy encodings and HTML read, a second writer, hostile
queries, a store path that is no store (bad files, killed and interrupted loads, which
start the model, are in tests/acceptance/test_reliability_load.py)."""
from __future__ import annotations

import subprocess
import sys

from kg.ingest.text import document_from_bytes

from conftest import KG, SEEDS, canonical, store_quads


def test_legacy_encodings_are_read():
    latin = "Germany's Foreign Minister J\u00fcrgen M\u00fcller met French envoy Ren\u00e9 Dupr\u00e9 in Z\u00fcrich.\n"
    for encoding in ("latin-1", "cp1252", "utf-16"):
        document = document_from_bytes(latin.encode(encoding), f"story-{encoding}.txt")
        assert "J\u00fcrgen M\u00fcller" in document.text, encoding
    smart = "\u201cWe met,\u201d the envoy said \u2013 twice.\n".encode("cp1252")
    assert "\u201cWe met,\u201d" in document_from_bytes(smart, "smart.txt").text


def test_html_is_stripped_to_its_text():
    page = ("<!doctype html><html><head><title>Talks</title><script>var x = 1;</script></head><body>"
            "<nav>Home | World</nav><p>Finland and Sweden held talks with NATO in Brussels.</p>"
            "<p>&ldquo;The talks were useful,&rdquo; the envoy said.</p></body></html>")
    document = document_from_bytes(page.encode(), "page.txt")
    assert "<p>" not in document.text and "var x" not in document.text and "Home | World" not in document.text
    assert "Finland and Sweden held talks with NATO in Brussels." in document.text


def test_second_writer_is_told_who_holds_the_store(store_copy):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from kg.store.disk import DiskStore; s = DiskStore(sys.argv[1], write=True); "
                               "print('ready', flush=True); time.sleep(60)", str(store_copy)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = subprocess.run([KG, "load", str(SEEDS), "--store", str(store_copy)], capture_output=True, text=True)
        assert result.returncode == 1
        assert f"in use by another process (pid {holder.pid})" in result.stderr
        reader = subprocess.run([KG, "query", "ASK { ?s a kg:Document }", "--store", str(store_copy)],
                                capture_output=True, text=True)
        assert (reader.returncode, reader.stdout) == (0, "true\n")
    finally:
        holder.kill()
        holder.wait()


def test_hostile_queries_are_refused_and_change_nothing(kg, store_copy):
    before = canonical(store_quads(store_copy))
    cases = [
        ("SELECT ?x WHERE {\n  ?x ?y }", 2, "at line 2, column"),
        ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", 2, "--update"),
        ("DROP ALL", 2, "--update"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", 2, "--allow-service"),
    ]
    for text, code, message in cases:
        result = kg("query", text, "--store", str(store_copy))
        assert result.exit_code == code, (text, result.stderr)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    slow = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
              "--timeout", "1", "--store", str(store_copy))
    assert slow.exit_code == 1 and "stopped after 1 s" in slow.stderr
    assert canonical(store_quads(store_copy)) == before


def test_update_changes_the_store_only_when_asked(kg, store_copy):
    result = kg("query", "--update", "DELETE WHERE { GRAPH ?g { ?s kg:said ?q } }", "--store", str(store_copy))
    assert result.exit_code == 0 and result.stdout.startswith("update applied: -")
    left = kg("query", "ASK { ?s kg:said ?q }", "--store", str(store_copy))
    assert (left.exit_code, left.stdout) == (0, "false\n")


def test_a_store_path_that_is_no_store_gets_one_line(kg, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("not a store")
    result = kg("load", str(SEEDS / "000_b46fa97775ddf137.txt"), "--store", str(afile))
    assert result.exit_code == 1 and "cannot create store" in result.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("garbage")
    result = kg("query", "met-with", "--store", str(broken))
    assert result.exit_code == 1 and result.stderr.startswith(f"kg: error: store {broken} is damaged: ")
    assert len(result.stderr.strip().splitlines()) == 1
