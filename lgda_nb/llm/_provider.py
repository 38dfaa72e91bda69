"""The one interface every language-model provider implements.

A provider turns a system prompt and a user prompt into text. It knows its
SDK and nothing about SQL, plans or policies: those live in the planner. Each
SDK is imported only when its provider is first used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from lgda_nb.errors import ProviderError, TransientProviderError

__all__ = ["Completion", "Provider", "ProviderError", "TransientProviderError"]


@dataclass(frozen=True)
class Completion:
    """What a provider answered, with the token counts its API reported."""

    text: str
    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    #: True when the provider stopped because it hit ``max_tokens``.
    truncated: bool = False


@runtime_checkable
class Provider(Protocol):
    """A language model behind one SDK."""

    #: Short name used in config and results: "openai", "gemini", "anthropic".
    name: str
    #: The model id sent to the API.
    model: str

    def complete(
        self, system: str, user: str, *, json_schema: dict[str, Any] | None = None
    ) -> Completion:
        """One call, no retries (the chain retries). Raise ``TransientProviderError``
        for what may pass (429 with ``retry_after``, 5xx, timeout, connection) and
        ``ProviderError`` for the rest.

        ``json_schema`` asks for structured output where the API supports it;
        providers without that support ignore it (the prompt also asks for JSON).
        """
        ...
