"""Smoke test against real providers, run only where their keys are set.

    OPENAI_API_KEY=... GOOGLE_API_KEY=... ANTHROPIC_API_KEY=... \
        pytest tests/integration/test_llm_smoke.py

Each provider with a key answers one question on the embedded sample, with no
fallback, and the answer must equal the gold SQL's. Without keys (as in CI) every
case is skipped; nothing here is needed for the offline product.
"""

from __future__ import annotations

import pytest

from lgda_nb import Engine
from lgda_nb._config import load_config
from tests.conftest import REAL_PROVIDER_KEYS

KEYS = {
    "openai": ("OPENAI_API_KEY",),
    "gemini": ("GOOGLE_API_KEY", "GEMINI_API_KEY"),
    "anthropic": ("ANTHROPIC_API_KEY",),
}
QUESTION = "How many orders were placed by users from Brasil?"
GOLD = (
    "SELECT COUNT(DISTINCT orders.order_id) AS orders FROM orders "
    "JOIN users ON users.id = orders.user_id WHERE users.country = 'Brasil'"
)


@pytest.mark.parametrize("provider", sorted(KEYS))
def test_a_real_provider_answers_one_question(
    provider: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = next((REAL_PROVIDER_KEYS[v] for v in KEYS[provider] if v in REAL_PROVIDER_KEYS), None)
    if key is None:
        pytest.skip(f"no {' or '.join(KEYS[provider])} set; the real {provider} API is not tried")
    pytest.importorskip({"gemini": "google.genai"}.get(provider, provider))
    config = load_config(**{"llm.provider": provider, "llm.api_key": key, "llm.fallback": []})
    with Engine(config) as engine:
        result = engine.ask(QUESTION)
        gold = engine.run_sql(GOLD)
    assert result.plan.source.startswith(provider + "/")
    assert int(result.df.iloc[0, 0]) == int(gold.df.iloc[0, 0])
