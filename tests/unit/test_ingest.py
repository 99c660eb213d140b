"""Reading inputs before the model sees them: what cannot be read is refused with the name
and the reason, and a folder's link loop does not trap the walk (the same refusals through
`kg load` are in tests/acceptance/test_reliability_load.py)."""
from __future__ import annotations

import os

import pytest

from kg.errors import InputError
from kg.ingest.sources import Source, collect_sources, read_source
from kg.ingest.text import document_from_bytes

FRENCH = ("Le ministre des Affaires \u00e9trang\u00e8res a rencontr\u00e9 son homologue allemand "
          "\u00e0 Paris mardi. Les deux hommes ont discut\u00e9 de la situation en Ukraine et de "
          "la coop\u00e9ration entre leurs pays dans le domaine de la d\u00e9fense.\n" * 3)
RUSSIAN = ("\u041c\u043e\u0441\u043a\u0432\u0430 \u0438 \u0411\u0435\u0440\u043b\u0438\u043d "
           "\u043f\u0440\u043e\u0432\u0435\u043b\u0438 \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b.\n")


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    (bytes(range(1, 32)) * 20, "binary file"),
    (b"", "empty document"),
    (b"  \n\t\n   ", "empty document"),
    ("Talks in Kiev ".encode() + b"\x81\x8d\x8f\x90\x9d" + b" continued.\n", "not UTF-8 text"),
    (FRENCH.encode(), "does not look like English"),
    (RUSSIAN.encode(), "no article text"),
], ids=["png", "controls", "empty", "blank", "invalid-utf8", "french", "russian"])
def test_text_that_cannot_be_read_is_refused_with_the_reason(data, reason):
    with pytest.raises(InputError) as refused:
        document_from_bytes(data, "story.txt")
    assert str(refused.value).startswith("story.txt: ") and reason in str(refused.value)


def test_paths_that_cannot_be_read_are_named_with_the_reason(tmp_path):
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    (empty_dir / "notes.md").write_text("not an article")
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    missing = tmp_path / "missing.txt"
    sources, failures = collect_sources([str(missing), str(empty_dir), str(loop)])
    assert sources == []
    assert failures == [(str(missing), f"{missing}: no such file or folder"),
                        (str(empty_dir), f"{empty_dir}: no .txt files in this folder"),
                        (str(loop), f"{loop}: symbolic link loop")]


def test_a_link_loop_inside_a_folder_is_walked_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("Austria and Chile held talks in Geneva on Monday.\n")
    os.symlink(folder, folder / "again")
    sources, failures = collect_sources([str(folder)])
    assert ([s.name for s in sources], failures) == (["a.txt", "b.txt"], [])


def test_an_unreadable_file_is_refused(unreadable_file):
    with pytest.raises(InputError, match="permission denied"):
        read_source(Source(name=unreadable_file.name, path=unreadable_file), None)


LEAD = "Sergey Lavrov met Frank-Walter Steinmeier in Berlin on Friday."


@pytest.mark.parametrize("byline", [
    "By Maria Keller",
    "By Maria Keller, staff correspondent",
    "By Maria Keller, Reuters",
    "By Northern Wire staff",
    "By MARIA KELLER",
    "BY Maria Keller and Jon de la Cruz | Updated 12:03 GMT",
    "By Maria Keller, Jon Lee and Ana Diaz \u2022 Published Feb 3, 2024",
    "By Maria Keller, our diplomatic correspondent in Moscow",
    "Maria Keller, staff reporter",
    "Maria Keller, Reuters correspondent",
    "(Reporting by Maria Keller; Editing by Jon Lee)",
])
def test_a_byline_is_blanked_and_the_lead_kept_in_place(byline):
    text = f"Ministers meet in Berlin\n\n{byline}\n\n{LEAD}\n"
    document = document_from_bytes(text.encode(), "story.txt")
    assert len(document.text) == len(text) and "Keller" not in document.text and "staff" not in document.text
    assert document.text.index(LEAD) == text.index(LEAD)


@pytest.mark.parametrize("line", [
    "By Monday the talks had ended.",
    "By then, officials said, the ministers had left Berlin.",
    "Sergey Lavrov, Foreign Minister",
    "Lavrov met Steinmeier and Kerry, the envoys said.",
])
def test_article_lines_that_open_like_a_byline_are_kept(line):
    text = f"Ministers meet in Berlin\n\n{LEAD}\n{line}\n"
    assert line in document_from_bytes(text.encode(), "story.txt").text


def test_a_wire_credit_opening_the_lead_is_blanked_and_names_the_outlet():
    text = f"Ministers meet in Berlin\n\n(Harbour Ledger) - {LEAD}\n"
    document = document_from_bytes(text.encode(), "story.txt")
    assert document.publisher == "Harbour Ledger" and "Ledger" not in document.text
    assert document.text.index(LEAD) == text.index(LEAD) and len(document.text) == len(text)


def test_a_dash_after_a_name_is_a_credit_only_for_the_outlet():
    credited = document_from_bytes(f"AP - {LEAD}\n".encode(), "story.txt", meta={"publisher": "AP"})
    kept = document_from_bytes(f"NATO - Russia talks resume in Brussels after a long break.\n".encode(),
                               "story.txt", meta={"publisher": "AP"})
    assert credited.text.lstrip() == LEAD + "\n" and kept.text.startswith("NATO - Russia")
