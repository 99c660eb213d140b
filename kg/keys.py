"""Name keys: the one form a name is looked up in, so "Lavrov", "lavrov", "Sergey Lavrov"
and "Sérgey  Lavrov" find the same entity by an exact match on an indexed literal
(`kg:key`) instead of a filter over every label. The same function writes the keys into
the store and reads `--param` values, so both sides always agree.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

DROPPED = re.compile(r"[.'\u2018\u2019`\u00b4]")  # "U.S." is "us", "Workers'" is "workers"
SEPARATORS = re.compile(r"[\W_]+")  # dashes, other punctuation and white space
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def name_key(name: str) -> str:
    """The key of a name: case folded, accents stripped, dots and apostrophes dropped,
    dashes, other punctuation and white space folded to one space.

    >>> name_key("Sergey Lavrov"), name_key("  SÉRGEY   lavrov "), name_key("Frank-Walter Steinmeier")
    ('sergey lavrov', 'sergey lavrov', 'frank walter steinmeier')
    >>> name_key("U.S."), name_key("Côte d’Ivoire"), name_key("Transport Workers' Union"), name_key("—")
    ('us', 'cote divoire', 'transport workers union', '')
    """
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c)).casefold()
    return SEPARATORS.sub(" ", DROPPED.sub("", name)).strip()


def surname_key(name: str) -> str:
    """The key of a person's surname: the last word of the name, past a generational suffix.

    >>> surname_key("Sergey Lavrov"), surname_key("Martin Luther King Jr."), surname_key("Lula")
    ('lavrov', 'king', 'lula')
    """
    words = name_key(name).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def label_keys(labels: Iterable[str], person: bool) -> frozenset[str]:
    """Every key an entity with these labels is found by: each label's, and for a person
    each label's surname too.

    >>> sorted(label_keys(["Sergey Lavrov", "Lavrov"], person=True))
    ['lavrov', 'sergey lavrov']
    >>> sorted(label_keys(["North Atlantic Treaty Organization", "NATO"], person=False))
    ['nato', 'north atlantic treaty organization']
    """
    keys = {name_key(label) for label in labels}
    if person:
        keys |= {surname_key(label) for label in labels}
    return frozenset(keys - {""})
