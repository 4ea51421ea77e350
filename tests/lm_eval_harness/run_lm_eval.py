"""Run lm-eval's own command line with the test-only model registered (``python run_lm_eval.py run ...``)."""

import gold_model  # noqa: F401  (registers --model annotate-gold-answers)
from lm_eval.__main__ import cli_evaluate  # type: ignore[import-not-found]

if __name__ == "__main__":
    cli_evaluate()
