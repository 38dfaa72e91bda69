"""OpenAI and every server that speaks its chat-completions API.

With ``base_url`` the same provider talks to Ollama (``http://localhost:11434/v1``),
vLLM, LM Studio or llama.cpp's server. A loopback server needs no key.
"""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from lgda_nb.llm._provider import Completion
from lgda_nb.llm._providers import (
    DEFAULT_MODELS,
    is_loopback,
    malformed_reply,
    missing_key,
    missing_sdk,
    resolve_api_key,
    sdk_errors,
)

if TYPE_CHECKING:
    import openai

__all__ = ["OpenAIProvider"]

_KEY_VARIABLES = ("OPENAI_API_KEY",)
#: Sent when a local server needs no key; the SDK refuses to start without one.
NO_KEY = "not-needed"

JSONMode = Literal["schema", "object", "off"]


class OpenAIProvider:
    """Chat completions through the ``openai`` SDK, never retrying on its own.

    ``json_mode`` decides what a ``json_schema`` turns into: ``"schema"`` sends
    ``response_format={"type": "json_schema", ...}`` (not strict), which OpenAI,
    Ollama, vLLM, LM Studio and llama.cpp accept; ``"object"`` sends JSON mode
    (the prompt must then mention JSON); ``"off"`` relies on the prompt alone.
    """

    name = "openai"

    def __init__(
        self,
        model: str = DEFAULT_MODELS["openai"],
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        temperature: float = 0.0,
        max_tokens: int = 2048,
        timeout_seconds: float = 60.0,
        json_mode: JSONMode = "schema",
    ) -> None:
        try:
            import openai
        except ImportError as exc:
            raise missing_sdk(self.name, exc) from exc
        effective_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = resolve_api_key(api_key, _KEY_VARIABLES)
        if key is None:
            if not is_loopback(effective_url):
                raise missing_key(self.name, _KEY_VARIABLES)
            key = NO_KEY
        self.model = model
        self.base_url = effective_url
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_seconds = timeout_seconds
        self.json_mode: JSONMode = json_mode
        # OpenAI itself wants max_completion_tokens (its reasoning models refuse
        # max_tokens); compatible servers know max_tokens best.
        host = urlsplit(effective_url).hostname if effective_url else "api.openai.com"
        self._tokens_field = "max_completion_tokens" if host == "api.openai.com" else "max_tokens"
        self._client: openai.OpenAI = openai.OpenAI(
            api_key=key, base_url=effective_url, timeout=timeout_seconds, max_retries=0
        )

    def complete(
        self, system: str, user: str, *, json_schema: dict[str, Any] | None = None
    ) -> Completion:
        messages: list[Any] = []
        if system:
            messages.append({"role": "system", "content": system})
        messages.append({"role": "user", "content": user})
        options: dict[str, Any] = {self._tokens_field: self.max_tokens}
        if json_schema is not None and self.json_mode != "off":
            options["response_format"] = _response_format(json_schema, self.json_mode)
        with self._map_errors():
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=self.temperature,
                **options,
            )
        with malformed_reply(self.name):
            choice = response.choices[0]
            usage = response.usage
            return Completion(
                text=choice.message.content or "",
                provider=self.name,
                model=self.model,
                input_tokens=usage.prompt_tokens if usage else 0,
                output_tokens=usage.completion_tokens if usage else 0,
                truncated=choice.finish_reason == "length",
            )

    def close(self) -> None:
        """Close the SDK's connection pool."""
        self._client.close()

    def __repr__(self) -> str:
        where = f", base_url={self.base_url!r}" if self.base_url else ""
        return f"OpenAIProvider(model={self.model!r}{where})"

    def _map_errors(self) -> AbstractContextManager[None]:
        """Translate the SDK's exceptions into the error tree."""
        import openai

        return sdk_errors(self.name, openai, openai.OpenAIError, timeout=self.timeout_seconds)


def _response_format(schema: dict[str, Any], mode: JSONMode) -> dict[str, Any]:
    if mode == "object":
        return {"type": "json_object"}
    title = str(schema.get("title") or "answer")
    name = "".join(c if c.isalnum() or c in "_-" else "_" for c in title)[:64]
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": False}}
