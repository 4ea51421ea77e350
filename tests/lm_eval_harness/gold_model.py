"""A test-only lm-eval model that answers every question with the task's gold target.

Loaded in the lm-eval venv by ``run_lm_eval.py`` (never imported by the test suite itself); registering it with
``lm_eval.api.registry.register_model`` makes ``--model annotate-gold-answers`` available to the real CLI. It pads
each answer with white space so the task's ``remove_whitespace`` filter is exercised: a model that answers with
the gold must score 1.0 after filtering.
"""

from __future__ import annotations

from typing import Any

from lm_eval.api.model import LM  # type: ignore[import-not-found]
from lm_eval.api.registry import register_model  # type: ignore[import-not-found]


@register_model("annotate-gold-answers")
class GoldAnswers(LM):  # type: ignore[misc]
    """Answers ``generate_until`` requests with ``doc["answer"]``; nothing else is supported."""

    def __init__(self, **_kwargs: Any) -> None:
        super().__init__()

    @classmethod
    def create_from_arg_string(cls, arg_string: str, additional_config: dict[str, Any] | None = None) -> GoldAnswers:
        return cls()

    def generate_until(self, requests: list[Any], disable_tqdm: bool = False) -> list[str]:
        return [f"  {request.doc['answer']} \n" for request in requests]

    def loglikelihood(self, requests: list[Any], disable_tqdm: bool = False) -> list[tuple[float, bool]]:
        raise NotImplementedError("the gold-answer model only generates")

    def loglikelihood_rolling(self, requests: list[Any], disable_tqdm: bool = False) -> list[float]:
        raise NotImplementedError("the gold-answer model only generates")
