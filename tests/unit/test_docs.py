"""Every command has help text with an example, and a README entry."""
from __future__ import annotations

import re

from kg.cli import main

from conftest import ROOT


def commands() -> list[str]:
    return sorted(main.commands)


def test_every_command_has_help_with_an_example(kg):
    for name in commands():
        result = kg(name, "--help")
        assert result.exit_code == 0
        assert len(main.commands[name].help or "") > 20, name
        assert "Example" in result.stdout, name


def test_every_command_has_a_readme_entry():
    readme = (ROOT / "README.md").read_text()
    for name in commands():
        assert re.search(rf"^#+ .*`kg {name}\b", readme, re.MULTILINE), f"README has no section for kg {name}"


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```(?:sh|bash)?\n(.*?)```", quick, re.DOTALL).group(1)
    assert [line for line in block.splitlines() if line.strip()] == ["make demo", "make test"]
