"""What an install carries: every package of kg, its data folders and the page's files."""
from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_package_is_listed_for_the_install():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    data = set(settings["package-dir"])
    assert set(settings["packages"]) == on_disk | data
    assert {settings["package-dir"][name] for name in data} == {"ontology", "queries"}
