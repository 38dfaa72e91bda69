"""Evaluation of question answering against gold SQL (used by ``lgda eval``).

Not imported by ``import lgda_nb``; pandas loads only when answers are compared.
"""

from lgda_nb.eval._harness import (
    TIERS,
    EvalCase,
    EvalFailure,
    EvalReport,
    compare_answer,
    load_cases,
    run_eval,
)

__all__ = [
    "TIERS",
    "EvalCase",
    "EvalFailure",
    "EvalReport",
    "compare_answer",
    "load_cases",
    "run_eval",
]
