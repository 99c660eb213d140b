"""Shared fixtures: the real spaCy pipeline, real on-disk Oxigraph stores, the CLI runner."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.extract import extract
from kg.ingest import document_from_bytes
from kg.load import load
from kg.records import Extraction

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import pipeline
    return pipeline()


@pytest.fixture(scope="session")
def read(nlp):
    """Extract from a short text written for the test."""
    def _read(text: str, date: str | None = None) -> Extraction:
        document = document_from_bytes(text.encode("utf-8"), "test.txt", date=date)
        return extract(nlp(document.text), document)
    return _read


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory) -> Path:
    """The five seed articles loaded once into an on-disk store (read it, don't change it)."""
    path = tmp_path_factory.mktemp("seeds") / "store"
    load([str(SEEDS)], str(path))
    return path


@pytest.fixture
def store_copy(seeds_store, tmp_path) -> Path:
    """A private copy of the seeds store that a test may change."""
    target = tmp_path / "store"
    shutil.copytree(seeds_store, target, ignore=shutil.ignore_patterns("kg-writer.lock"))
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def kg(runner):
    """Run a kg command in-process; returns click's result (exit_code, stdout, stderr)."""
    def _kg(*args: str, input: bytes | str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)
    return _kg


def canonical(quads) -> ox.Dataset:
    """A dataset with blank nodes canonicalized, for comparing RDF as data, never as text."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def store_quads(path: Path) -> list[ox.Quad]:
    store = ox.Store.read_only(str(path))
    try:
        return list(store)
    finally:
        del store


def rows(result_json: str) -> list[dict[str, str]]:
    data = json.loads(result_json)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def start_server(store: Path, log: Path, **options) -> tuple[subprocess.Popen, str]:
    """`kg.server.serve` in its own process on a free loopback port; returns it and its URL."""
    arguments = "".join(f", {k}={v!r}" for k, v in options.items())
    code = f"from kg.server import serve; serve({str(store)!r}, port=0{arguments})"
    handle = log.open("w")
    process = subprocess.Popen([sys.executable, "-c", code], stderr=handle, stdout=handle, cwd=ROOT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text()
        if "kg: serving" in text:
            return process, text.split(" at ", 1)[1].split()[0]
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the server did not start: {log.read_text()}")


@contextlib.contextmanager
def running_server(store: Path, log: Path, **options):
    """A server over `store` for the duration of a with block; yields its URL."""
    process, url = start_server(store, log, **options)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
