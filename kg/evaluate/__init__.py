"""evaluate: how well kg reads news, measured against stories a person annotated by hand.

`evaluate` loads articles into a temporary store and scores them; `evaluate_store` scores
a store already loaded. The reference format and the matching rules are in README.md.
"""
from kg.evaluate.reference import Reference, read_reference
from kg.evaluate.report import EvaluationReport, report_json, report_text
from kg.evaluate.run import evaluate, evaluate_store

__all__ = ["EvaluationReport", "Reference", "evaluate", "evaluate_store", "read_reference", "report_json",
           "report_text"]
