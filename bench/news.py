"""Real news for the extraction benchmark: the 300 ABC stories of the Lee corpus (2001),
which the gensim wheel on PyPI ships as test data. Fetched at run time with pip, never
stored in this repository.

    python bench/news.py OUT_DIR          # writes OUT_DIR/lee_000.txt ... lee_299.txt
    python bench/run.py --texts OUT_DIR   # adds (a) rows for those stories
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "gensim==4.4.0"
MEMBER = "gensim/test/test_data/lee_background.cor"


def lee_stories(cache: Path) -> list[str]:
    """The stories, one per line of the corpus file, from a wheel downloaded into `cache`."""
    wheels = sorted(cache.glob("gensim-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64", "--dest", str(cache),
                        WHEEL], check=True)
        wheels = sorted(cache.glob("gensim-*.whl"))
    raw = zipfile.ZipFile(wheels[0]).read(MEMBER).decode("latin-1")
    return [line.strip() for line in raw.split("\n") if line.strip()]


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.gettempdir()) / "kg-news-cache"
    cache.mkdir(exist_ok=True)
    stories = lee_stories(cache)
    for n, story in enumerate(stories):
        (out / f"lee_{n:03d}.txt").write_text(story + "\n", encoding="utf-8")
    print(f"{len(stories)} stories in {out}")


if __name__ == "__main__":
    main()
