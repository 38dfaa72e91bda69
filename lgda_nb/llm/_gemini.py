"""Google Gemini through ``google-genai`` (the Gemini Developer API, with an API key)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from lgda_nb.errors import ProviderError, TransientProviderError
from lgda_nb.llm._provider import Completion
from lgda_nb.llm._providers import (
    DEFAULT_MODELS,
    connection_error,
    missing_key,
    missing_sdk,
    parse_retry_after,
    resolve_api_key,
    status_error,
    transport_errors,
)

if TYPE_CHECKING:
    from google import genai

__all__ = ["GeminiProvider"]

_KEY_VARIABLES = ("GOOGLE_API_KEY", "GEMINI_API_KEY")


class GeminiProvider:
    """``models.generate_content`` with structured JSON output when a schema is given.

    The SDK's own retries are switched off (one attempt); ``base_url`` points it at
    another host, such as a proxy or a test server.
    """

    name = "gemini"

    def __init__(
        self,
        model: str = DEFAULT_MODELS["gemini"],
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        temperature: float = 0.0,
        max_tokens: int = 2048,
        timeout_seconds: float = 60.0,
    ) -> None:
        try:
            from google import genai
            from google.genai import types
        except ImportError as exc:
            raise missing_sdk(self.name, exc) from exc
        key = resolve_api_key(api_key, _KEY_VARIABLES)
        if key is None:
            raise missing_key(self.name, _KEY_VARIABLES)
        self.model = model
        self.base_url = base_url
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_seconds = timeout_seconds
        http_options = types.HttpOptions(
            base_url=base_url,
            # The SDK takes whole milliseconds.
            timeout=max(1, round(timeout_seconds * 1000)),
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        self._client: genai.Client = genai.Client(
            api_key=key, vertexai=False, http_options=http_options
        )

    def complete(
        self, system: str, user: str, *, json_schema: dict[str, Any] | None = None
    ) -> Completion:
        from google.genai import types

        config = types.GenerateContentConfig(
            system_instruction=system or None,
            temperature=self.temperature,
            max_output_tokens=self.max_tokens,
        )
        if json_schema is not None:
            config.response_mime_type = "application/json"
            config.response_json_schema = json_schema
        with self._map_errors():
            response = self._client.models.generate_content(
                model=self.model, contents=user, config=config
            )
        candidates = response.candidates or []
        feedback = response.prompt_feedback
        reason = feedback.block_reason if feedback is not None else None
        if not candidates and reason:
            raise ProviderError(
                f"Gemini refused the prompt ({getattr(reason, 'value', reason)}).",
                provider=self.name,
                hint="Rephrase the question, or use another provider.",
            )
        if not candidates:
            raise TransientProviderError(
                "The gemini API answered without any candidate.", provider=self.name
            )
        content = candidates[0].content
        text = "".join(
            part.text
            for part in (content.parts or [] if content is not None else [])
            if part.text and not part.thought
        )
        usage = response.usage_metadata
        return Completion(
            text=text,
            provider=self.name,
            model=self.model,
            input_tokens=(usage.prompt_token_count or 0) if usage else 0,
            output_tokens=(usage.candidates_token_count or 0) if usage else 0,
            truncated=candidates[0].finish_reason == types.FinishReason.MAX_TOKENS,
        )

    def close(self) -> None:
        """Close the SDK's HTTP client (older SDKs have no ``close``)."""
        close = getattr(self._client, "close", None)
        if callable(close):
            close()

    def __repr__(self) -> str:
        where = f", base_url={self.base_url!r}" if self.base_url else ""
        return f"GeminiProvider(model={self.model!r}{where})"

    @contextmanager
    def _map_errors(self) -> Iterator[None]:
        """Translate the SDK's exceptions (and the httpx ones it lets through)."""
        from google.genai import errors

        network = transport_errors()
        try:
            yield
        except errors.APIError as exc:
            headers = getattr(exc.response, "headers", None)
            retry_after = parse_retry_after(headers) or _retry_delay(exc.details)
            raise status_error(
                self.name,
                int(exc.code),
                exc.message or exc.status or "",
                retry_after=retry_after,
                detail=str(exc),
            ) from exc
        except network as exc:
            raise connection_error(self.name, exc, timeout=self.timeout_seconds) from exc
        except TimeoutError as exc:
            raise connection_error(self.name, exc, timeout=self.timeout_seconds) from exc


def _retry_delay(details: Any) -> float | None:
    """Gemini puts its wait in the error's ``RetryInfo`` detail ("retryDelay": "37s")."""
    error = details.get("error", details) if isinstance(details, dict) else None
    entries = error.get("details") if isinstance(error, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        delay = entry.get("retryDelay") if isinstance(entry, dict) else None
        match = re.fullmatch(r"\s*([0-9.]+)s\s*", str(delay or ""))
        if match:
            return float(match.group(1))
    return None
