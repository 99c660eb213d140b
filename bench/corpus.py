"""A deterministic corpus of news-like articles, generated from a small grammar.

Names, places, dates and event types vary from article to article; the same seed and count
always give the same files. No real article is copied.

    python bench/corpus.py OUT_DIR N
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

GIVEN = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hamid", "Ines", "Jonas", "Kenji",
         "Leila", "Marek", "Nadia", "Omar", "Pavel", "Rosa", "Sergei", "Tomas", "Ulla", "Viktor", "Wen",
         "Yusuf", "Zofia"]
FAMILY = ["Abramov", "Bianchi", "Castro", "Duval", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
          "Jansen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Sato",
          "Tanaka", "Urbano", "Varga", "Weber", "Yilmaz", "Zhou"]
STATES = [("Austria", "Austrian", "Vienna"), ("Brazil", "Brazilian", "Brasilia"), ("Canada", "Canadian", "Ottawa"),
          ("Denmark", "Danish", "Copenhagen"), ("Egypt", "Egyptian", "Cairo"), ("Finland", "Finnish", "Helsinki"),
          ("Ghana", "Ghanaian", "Accra"), ("Hungary", "Hungarian", "Budapest"), ("India", "Indian", "New Delhi"),
          ("Japan", "Japanese", "Tokyo"), ("Kenya", "Kenyan", "Nairobi"), ("Mexico", "Mexican", "Mexico City"),
          ("Norway", "Norwegian", "Oslo"), ("Peru", "Peruvian", "Lima"), ("Poland", "Polish", "Warsaw"),
          ("Spain", "Spanish", "Madrid"), ("Turkey", "Turkish", "Ankara"), ("Vietnam", "Vietnamese", "Hanoi")]
BODIES = ["NATO", "the European Union", "the African Union", "ASEAN", "the United Nations", "OPEC"]
ROLES = ["Foreign Minister", "Prime Minister", "President", "Defence Minister", "Trade Minister"]
THINGS = ["military cooperation", "trade talks", "direct flights", "scientific exchanges", "energy cooperation",
          "border consultations", "visa talks", "joint exercises"]
PLANS = ["a new trade agreement", "a regional security treaty", "a ceasefire along the border",
         "joint patrols in the strait", "a summit on water rights"]
QUOTES = ["We are ready to talk, but not under pressure", "Our position has not changed since the spring",
          "This decision serves the interests of both our peoples", "Dialogue remains the only way forward",
          "We expect concrete steps before the next round"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
AGENCIES = ["Wire", "NewsDesk", "Courier"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def article(i: int, seed: int = 7) -> str:
    """The text of article number `i`."""
    rng = random.Random(seed * 1_000_003 + i)
    (a, a_adj, a_cap), (b, b_adj, b_cap) = rng.sample(STATES, 2)
    p1, p2 = person(rng), person(rng)
    while p2.split()[1] == p1.split()[1]:
        p2 = person(rng)
    role1, role2 = rng.choice(ROLES), rng.choice(ROLES)
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    sentences = [
        f"{a_adj} {role1} {p1} met {b_adj} {role2} {p2} in {rng.choice([a_cap, b_cap])} on {rng.choice(DAYS)}.",
        f"\"{rng.choice(QUOTES)},\" {p1.split()[1]} said after the talks.",
        f"{a} suspended {rng.choice(THINGS)} with {b} in {MONTHS[(month - 2) % 12]} last year.",
        f"The {b_adj} {role2.lower()} said {b} had not proposed {rng.choice(PLANS)}.",
        f"{rng.choice(BODIES)} resumed {rng.choice(THINGS)} with {rng.choice([a, b])}.",
        f"{p2.split()[1]} will visit {a_cap} in {MONTHS[(month + 1) % 12]}.",
        f"\"{rng.choice(QUOTES)},\" he added.",
        f"{b_cap} proposed {rng.choice(PLANS)} to {a}, officials said.",
        "Both sides agreed to hold further talks, and analysts said the meeting was a first step.",
    ]
    rng.shuffle(sentences[2:])
    body = " ".join(s[0].upper() + s[1:] for s in sentences[: rng.randint(6, 9)])
    city = rng.choice([a_cap, b_cap]).upper()
    return f"{a} and {b} hold talks\n\n{city}, {MONTHS[month]} {day}. /{rng.choice(AGENCIES)}/. {body}\n"


def write_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """Write `n` articles into `folder` (idempotent) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"article_{i:06d}.txt"
        text = article(i, seed)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        paths.append(path)
    return paths


if __name__ == "__main__":
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    write_corpus(out, count)
    print(f"{count} articles in {out}")
