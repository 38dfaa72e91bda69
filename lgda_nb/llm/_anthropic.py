"""Anthropic's Claude through the ``anthropic`` SDK's messages API.

No sampling temperature is sent: API version 2026-10-21 (the default of SDK 2.x)
rejects ``temperature`` on every model. JSON comes from the prompt alone.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from lgda_nb.llm._provider import Completion
from lgda_nb.llm._providers import (
    DEFAULT_MODELS,
    malformed_reply,
    missing_key,
    missing_sdk,
    resolve_api_key,
    sdk_errors,
)

if TYPE_CHECKING:
    import anthropic

__all__ = ["AnthropicProvider"]

_KEY_VARIABLES = ("ANTHROPIC_API_KEY",)


class AnthropicProvider:
    """``messages.create`` with the SDK's retries switched off."""

    name = "anthropic"

    def __init__(
        self,
        model: str = DEFAULT_MODELS["anthropic"],
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        temperature: float = 0.0,
        max_tokens: int = 2048,
        timeout_seconds: float = 60.0,
    ) -> None:
        try:
            import anthropic
        except ImportError as exc:
            raise missing_sdk(self.name, exc) from exc
        key = resolve_api_key(api_key, _KEY_VARIABLES)
        if key is None:
            raise missing_key(self.name, _KEY_VARIABLES)
        self.model = model
        self.base_url = base_url
        #: Kept for the record only; see the module docstring.
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_seconds = timeout_seconds
        self._client: anthropic.Anthropic = anthropic.Anthropic(
            api_key=key, base_url=base_url, timeout=timeout_seconds, max_retries=0
        )

    def complete(
        self, system: str, user: str, *, json_schema: dict[str, Any] | None = None
    ) -> Completion:
        options: dict[str, Any] = {"system": system} if system else {}
        with self._map_errors():
            response = self._client.messages.create(
                model=self.model,
                max_tokens=self.max_tokens,
                messages=[{"role": "user", "content": user}],
                **options,
            )
        with malformed_reply(self.name):
            return Completion(
                text="".join(block.text for block in response.content if block.type == "text"),
                provider=self.name,
                model=self.model,
                input_tokens=response.usage.input_tokens or 0,
                output_tokens=response.usage.output_tokens or 0,
                truncated=response.stop_reason == "max_tokens",
            )

    def close(self) -> None:
        """Close the SDK's connection pool."""
        self._client.close()

    def __repr__(self) -> str:
        where = f", base_url={self.base_url!r}" if self.base_url else ""
        return f"AnthropicProvider(model={self.model!r}{where})"

    def _map_errors(self) -> AbstractContextManager[None]:
        """Translate the SDK's exceptions into the error tree."""
        import anthropic

        return sdk_errors(
            self.name, anthropic, anthropic.AnthropicError, timeout=self.timeout_seconds
        )
