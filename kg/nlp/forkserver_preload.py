"""Imported once by the fork server that starts extraction workers, so that each worker starts
with spaCy imported and the model loaded instead of loading its own copy (the pages are
shared copy-on-write). A model that cannot be loaded is left for the worker to report."""
from __future__ import annotations

try:
    from kg.nlp.pipeline import pipeline

    pipeline()
except Exception:  # the worker's own load gives the one-line error
    pass
