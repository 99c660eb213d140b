"""Every command through click's CliRunner, against a real on-disk store and a real
`oxigraph serve` on loopback (the store fixtures are parametrized over both); `kg load`
and `kg extract`, which run the model, are in tests/acceptance/test_cli_load.py."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import rdflib

from conftest import SEEDS, canonical, quads_at, rows


def test_met_with_shows_the_volgograd_meeting(kg, seeds_location):
    result = kg("query", "met-with", "--store", seeds_location)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["who", "metWith", "place", "date", "status", "source", "reports"]
    meeting = [line for line in lines if "Lavrov" in line and "Steinmeier" in line]
    assert meeting and all("Volgograd" in line and line.split()[-1] == "2" for line in meeting)  # one happening, two reports


def test_query_formats_parse_with_standard_parsers(kg, seeds_location):
    store = seeds_location
    as_json = json.loads(kg("query", "events", "--store", store, "--format", "json").stdout)
    assert as_json["head"]["vars"] == ["event", "type", "agent", "participants", "counterpart", "theme",
                                      "negated", "date", "place", "source", "evidence"]
    n = len(as_json["results"]["bindings"])
    assert n > 10
    as_csv = list(csv.reader(io.StringIO(kg("query", "events", "--store", store, "--format", "csv").stdout)))
    assert as_csv[0] == as_json["head"]["vars"] and len(as_csv) == n + 1
    as_tsv = kg("query", "events", "--store", store, "--format", "tsv").stdout.splitlines()
    assert as_tsv[0].split("\t") == ["?" + v for v in as_json["head"]["vars"]] and len(as_tsv) == n + 1
    root = ET.fromstring(kg("query", "events", "--store", store, "--format", "xml").stdout)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert len(root.findall("r:results/r:result", ns)) == n
    parsed = ox.parse_query_results(kg("query", "events", "--store", store, "--format", "json").stdout.encode(),
                                    format=ox.QueryResultsFormat.JSON)
    assert len(list(parsed)) == n


def test_ask_prints_true_or_false(kg, seeds_location):
    yes = kg("query", "ASK { ?e a kg:Meeting }", "--store", seeds_location)
    no = kg("query", "ASK { ?e a kg:Recognition ; kg:agent ent:no-such-thing }", "--store", seeds_location)
    assert (yes.exit_code, yes.stdout, no.stdout) == (0, "true\n", "false\n")


def test_construct_prints_turtle(kg, seeds_location):
    result = kg("query", "CONSTRUCT { ?a kg:metWith ?b } WHERE { ?a kg:metWith ?b }", "--store", seeds_location)
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) >= 2
    assert "@prefix kg:" in result.stdout


def test_query_file(kg, seeds_location, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Statement }")
    result = kg("query", str(path), "--store", seeds_location, "--format", "csv")
    assert result.exit_code == 0 and int(result.stdout.splitlines()[1]) > 10


def test_param_binds_a_term_and_filters(kg, seeds_location):
    everyone = rows(kg("query", "suspensions", "--store", seeds_location, "--format", "json").stdout)
    nato = rows(kg("query", "suspensions", "--store", seeds_location, "--format", "json", "--param", "actor=nato").stdout)
    assert nato and len(nato) < len(everyone)
    assert {r["agent"] for r in nato} == {"NATO"}
    assert all("actor" not in r for r in everyone + nato)  # a parameter need not be projected


def test_hostile_param_value_is_one_literal(kg, seeds_location):
    hostile = 'NATO" ) } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("'
    result = kg("query", "suspensions", "--store", seeds_location, "--format", "json", "--param", f"actor={hostile}")
    assert result.exit_code == 0, result.stderr
    assert rows(result.stdout) == []
    assert len(quads_at(seeds_location)) > 0


NOBODY_NOTE = "kg: no entity in the store is named 'Nobodyknows' (parameter name); `kg query entities` lists them\n"


def test_a_name_that_matches_nothing_is_noted_on_stderr_and_the_empty_answer_printed(kg, seeds_location):
    table = kg("query", "about", "--param", "name=Nobodyknows", "--store", seeds_location)
    assert (table.exit_code, table.stderr) == (0, NOBODY_NOTE)
    assert table.stdout.split()[:8] == ["about", "date", "what", "role", "with", "detail", "source", "sentence"]
    assert table.stdout.endswith("(0 rows)\n")
    as_json = kg("query", "about", "--param", "name=Nobodyknows", "--store", seeds_location, "--format", "json")
    assert (as_json.exit_code, as_json.stderr, rows(as_json.stdout)) == (0, NOBODY_NOTE, [])
    found = kg("query", "about", "--param", "name=Lavrov", "--store", seeds_location, "--format", "json")
    assert (found.exit_code, found.stderr) == (0, "") and rows(found.stdout)


def test_each_name_that_matches_nothing_is_one_line(kg, seeds_location, tmp_path):
    query = tmp_path / "pair.rq"
    query.write_text("# param: a entity  One actor\n# param: b entity  The other\n"
                     "SELECT ?event WHERE { GRAPH ?doc { ?event ?role ?a . ?event ?other ?b } }\n")
    result = kg("query", str(query), "--param", "a=Nobodyknows", "--param", "b=no\nbody", "--store", seeds_location)
    assert result.exit_code == 0 and result.stdout.endswith("(0 rows)\n")
    assert result.stderr.splitlines() == [
        "kg: no entity in the store is named 'Nobodyknows' (parameter a); `kg query entities` lists them",
        "kg: no entity in the store is named 'no\\nbody' (parameter b); `kg query entities` lists them"]


def test_queries_lists_names_descriptions_and_parameters(kg):
    result = kg("queries")
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")}
    assert {"events", "entities", "positions", "met-with", "suspensions", "proposals", "quotes",
            "offices", "timeline"} <= names
    assert "--param actor=" in result.stdout


def test_turtle_export_parses_and_uses_the_ontology_prefixes(kg, seeds_location):
    result = kg("export", "--format", "turtle", "--store", seeds_location)
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 100
    assert "@prefix kg: <https://w3id.org/kg-news/ontology#>" in result.stdout
    assert "@prefix ent: <https://w3id.org/kg-news/entity/>" in result.stdout


def test_trig_export_reloads_to_the_nquads_export(kg, seeds_location, tmp_path):
    trig = kg("export", "--format", "trig", "--store", seeds_location).stdout
    out = tmp_path / "graph.nq"
    assert kg("export", "--format", "nquads", "-o", str(out), "--store", seeds_location).exit_code == 0
    empty = ox.Store()
    empty.load(trig.encode(), format=ox.RdfFormat.TRIG)
    nquads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    assert canonical(list(empty)) == canonical(nquads)
    assert canonical(nquads) == canonical([q for q in quads_at(seeds_location) if "graph/ontology" not in str(q.graph_name)])


def test_nquads_export_to_standard_output_is_the_store(kg, seeds_location):
    result = kg("export", "--format", "nquads", "--store", seeds_location)
    assert result.exit_code == 0 and result.stderr == ""
    nquads = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_QUADS))
    assert canonical(nquads) == canonical([q for q in quads_at(seeds_location) if "graph/ontology" not in str(q.graph_name)])


def test_ntriples_and_jsonld_exports_parse(kg, seeds_location):
    nt = kg("export", "--format", "ntriples", "--store", seeds_location).stdout
    assert len(list(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES))) > 100
    jsonld = kg("export", "--format", "jsonld", "--store", seeds_location).stdout
    data = json.loads(jsonld)
    assert "@context" in data
    dataset = rdflib.Dataset().parse(data=jsonld, format="json-ld")
    assert len(list(dataset.quads())) > 100


def test_stats_counts_classes_and_documents(kg, seeds_location):
    result = kg("stats", "--store", seeds_location)
    assert result.exit_code == 0
    assert "Statement" in result.stdout and "Person" in result.stdout
    for seed in SEEDS.glob("*.txt"):
        assert seed.name in result.stdout
    assert "5 documents" in result.stdout


def test_kg_store_environment_variable(kg, seeds_location):
    result = kg("query", "ASK { ?s a kg:Document }", env={"KG_STORE": seeds_location})
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_errors_are_one_line_with_exit_codes(kg, seeds_location, tmp_path):
    cases = [
        (("query", "no-such-query", "--store", seeds_location), 2, "no saved query named"),
        (("query", "SELECT ?x WHERE { ?x ", "--store", seeds_location), 2, "SPARQL syntax error"),
        (("query", "DELETE WHERE { ?s ?p ?o }", "--store", seeds_location), 2, "SPARQL Update"),
        (("query", "met-with", "--store", str(tmp_path / "nothing")), 1, "no store at"),
        (("query", "met-with", "--param", "novalue", "--store", seeds_location), 2, "name=value"),
        (("load", str(SEEDS), "--date", "May 7", "--store", str(tmp_path / "s")), 2, "YYYY-MM-DD"),
    ]
    for args, code, message in cases:
        result = kg(*args)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        assert message in result.stderr
        assert result.stderr.startswith("kg: error:")
        assert "Traceback" not in result.stderr


def test_validate_passes_on_the_seeds_and_names_the_shape_a_broken_event_breaks(kg, seeds_location, copy_location):
    good = kg("validate", "--store", seeds_location)
    assert good.exit_code == 0 and good.stdout.startswith("valid:")
    broken = ("INSERT DATA { GRAPH doc:broken { ev:broken a kg:Meeting ; kg:participant ent:nato ; "
              "kg:source doc:broken ; kg:negated false } }")
    assert kg("query", "--update", broken, "--store", copy_location).exit_code == 0
    bad = kg("validate", "--store", copy_location)
    assert bad.exit_code == 1
    assert "kg:MeetingShape: 1" in bad.stdout and "kg:EventShape" in bad.stdout
    assert "ev:broken kg:participant: a meeting has at least two participants" in bad.stdout


def test_remove_deletes_one_document_graph(kg, copy_location):
    before = quads_at(copy_location)
    result = kg("remove", "002_85e0a2435721776e.txt", "--store", copy_location)
    assert (result.exit_code, result.stdout) == (0, "removed 002_85e0a2435721776e.txt\n")
    after = quads_at(copy_location)
    gone = {q for q in before if str(q.graph_name).endswith("002_85e0a2435721776e>")}
    derived = {q for q in before + after if str(q.graph_name).endswith(("/graph/entities>", "/graph/happenings>"))}
    assert gone and set(after) - derived == set(before) - gone - derived
    missing = kg("remove", "002_85e0a2435721776e.txt", "--store", copy_location)
    assert missing.exit_code == 1 and "no document" in missing.stderr


def test_csv_export_writes_nodes_and_edges_for_graph_tools(kg, seeds_location, tmp_path):
    result = kg("export", "--format", "csv", "-o", str(tmp_path / "g"), "--store", seeds_location)
    assert result.exit_code == 0, result.stderr
    nodes = list(csv.DictReader((tmp_path / "g" / "nodes.csv").open()))
    edges = list(csv.DictReader((tmp_path / "g" / "edges.csv").open()))
    ids = {n["Id"] for n in nodes}
    assert {"ent:sergey-lavrov", "ent:nato"} <= ids
    assert any(n["Type"] == "Meeting" for n in nodes)
    assert all(e["Source"] in ids and e["Target"] in ids for e in edges)
    assert {"participant", "agent", "metWith"} <= {e["Label"] for e in edges}
    assert kg("export", "--format", "csv", "--store", seeds_location).exit_code == 2


def test_jsonld_export_has_a_context_and_compact_keys(kg, seeds_location):
    result = kg("export", "--format", "jsonld", "--store", seeds_location)
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert data["@context"]["kg"] == "https://w3id.org/kg-news/ontology#"
    text = json.dumps(data)
    assert '"kg:evidence"' in text and "https://w3id.org/kg-news/ontology#evidence" not in text


def test_export_to_a_place_that_cannot_be_written(kg, seeds_location, tmp_path):
    result = kg("export", "--store", seeds_location, "-o", str(tmp_path / "missing" / "graph.ttl"))
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: cannot write") and "unexpected" not in result.stderr


def test_every_format_ends_with_a_newline(kg, seeds_location):
    for query in ("SELECT ?e WHERE { ?e a kg:Meeting }", "ASK { ?e a kg:Meeting }"):
        for fmt in ("table", "csv", "tsv", "json", "xml"):
            result = kg("query", query, "--format", fmt, "--store", seeds_location)
            assert result.exit_code == 0, result.stderr
            assert result.stdout.endswith("\n"), (query, fmt)


def test_select_star_keeps_the_query_column_order(kg, seeds_location):
    result = kg("query", "SELECT * WHERE { ?who kg:metWith ?whom . ?whom skos:prefLabel ?a }", "--format", "json",
                "--store", seeds_location)
    assert json.loads(result.stdout)["head"]["vars"] == ["who", "whom", "a"]
    table = kg("query", "SELECT DISTINCT * WHERE { ?who kg:metWith ?whom }", "--store", seeds_location)
    assert table.stdout.splitlines()[0].split() == ["who", "whom"]


def test_a_table_off_a_terminal_keeps_every_value_whole(kg, seeds_location):
    quotes = {r["quote"] for r in rows(kg("query", "quotes", "--format", "json", "--store", seeds_location).stdout)}
    longest = max(quotes, key=len)
    assert len(longest) > 100
    table = kg("query", "quotes", "--store", seeds_location)
    assert table.exit_code == 0 and "\u2026" not in table.stdout
    assert " ".join(longest.split()) in table.stdout
    narrow = kg("query", "quotes", "--max-width", "20", "--store", seeds_location)
    body = narrow.stdout.splitlines()[2:-1]
    assert "\u2026" in narrow.stdout and all(len(cell) <= 20 for line in body for cell in re.split(" {2,}", line))


def test_limit_and_offset_page_a_select_and_a_construct(kg, seeds_location):
    everything = rows(kg("query", "events", "--format", "json", "--store", seeds_location).stdout)
    page = kg("query", "events", "--format", "json", "--limit", "3", "--offset", "2", "--store", seeds_location)
    assert page.exit_code == 0, page.stderr
    assert rows(page.stdout) == everything[2:5]
    table = kg("query", "events", "--limit", "2", "--store", seeds_location)
    assert table.stdout.endswith("(2 rows)\n")
    construct = kg("query", "CONSTRUCT { ?e a ?k } WHERE { ?e a ?k ; kg:source ?d }", "--limit", "3", "--store", seeds_location)
    assert len(rdflib.Graph().parse(data=construct.stdout, format="turtle")) == 3
    ask = kg("query", "ASK { ?s ?p ?o }", "--limit", "1", "--store", seeds_location)
    assert ask.exit_code == 2 and ask.stderr.startswith("kg: error:")


def test_timeout_takes_seconds_or_none_and_refuses_zero(kg, seeds_location):
    assert kg("query", "ASK { ?s ?p ?o }", "--timeout", "none", "--store", seeds_location).stdout == "true\n"
    assert kg("query", "ASK { ?s ?p ?o }", "--timeout", "2.5", "--store", seeds_location).stdout == "true\n"
    for bad in ("0", "-1", "soon"):
        result = kg("query", "ASK { ?s ?p ?o }", "--timeout", bad, "--store", seeds_location)
        assert result.exit_code == 2 and "--timeout" in result.stderr and "Traceback" not in result.stderr


def test_export_takes_its_format_from_the_extension(kg, seeds_location, tmp_path):
    by_extension, by_name = tmp_path / "graph.nq", tmp_path / "named.nq"
    assert kg("export", "-o", str(by_extension), "--store", seeds_location).exit_code == 0
    assert kg("export", "--format", "nquads", "-o", str(by_name), "--store", seeds_location).exit_code == 0
    assert by_extension.read_bytes() == by_name.read_bytes()
    assert len(list(ox.parse(path=str(by_extension), format=ox.RdfFormat.N_QUADS))) > 100
    assert kg("export", "-o", str(tmp_path / "graph.owl"), "--store", seeds_location).exit_code == 0
    documents = [q for q in quads_at(seeds_location) if "graph/ontology" not in str(q.graph_name)]
    rdfxml = {q.triple for q in ox.parse(path=str(tmp_path / "graph.owl"), format=ox.RdfFormat.RDF_XML)}
    assert rdfxml == {q.triple for q in documents}
    explicit = tmp_path / "graph.txt"
    assert kg("export", "--format", "ntriples", "-o", str(explicit), "--store", seeds_location).exit_code == 0
    assert len(list(ox.parse(path=str(explicit), format=ox.RdfFormat.N_TRIPLES))) > 100
    for args, message in ((("--format", "turtle", "-o", str(tmp_path / "x.nq")), "does not match"),
                          (("-o", str(tmp_path / "x.dat")), "cannot tell the format")):
        result = kg("export", *args, "--store", seeds_location)
        assert result.exit_code == 2 and message in result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_stats_queries_and_their_json(kg, seeds_location):
    stats = json.loads(kg("stats", "--format", "json", "--store", seeds_location).stdout)
    assert len(stats["documents"]) == 5 and stats["quads"] > 100 and stats["classes"]["Statement"] > 10
    assert {d["file_name"] for d in stats["documents"]} == {seed.name for seed in SEEDS.glob("*.txt")}
    listed = json.loads(kg("queries", "--format", "json").stdout)
    suspensions = next(q for q in listed if q["name"] == "suspensions")
    assert "actor" in {p["name"] for p in suspensions["params"]} and suspensions["path"].endswith("suspensions.rq")


def test_completion_offers_saved_queries_and_formats(runner):
    from click.shell_completion import ShellComplete

    from kg.cli import main

    def completions(args: list[str], incomplete: str) -> list[str]:
        return [item.value for item in ShellComplete(main, {}, "kg", "_KG_COMPLETE").get_completions(args, incomplete)]
    assert "met-with" in completions(["query"], "me") and "timeline" not in completions(["query"], "me")
    assert completions(["query", "met-with", "--format"], "j") == ["json"]
    assert completions(["export", "--format"], "rd") == ["rdfxml"]
    assert completions(["stats", "--format"], "") == ["table", "json"]
    for shell, word, expected in (("bash", "2", "plain,met-with"), ("zsh", "2", "met-with"), ("fish", "met", "met-with")):
        env = {"_KG_COMPLETE": f"{shell}_complete", "COMP_WORDS": "kg query met", "COMP_CWORD": word}
        result = runner.invoke(main, [], env=env, prog_name="kg")
        assert result.exit_code == 0 and expected in result.stdout, (shell, result.stdout)
