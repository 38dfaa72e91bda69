"""Each provider through its real SDK against a loopback server speaking that API."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from lgda_nb._config import LLMSettings
from lgda_nb.errors import ConfigError, ProviderError, TransientProviderError
from lgda_nb.llm import Completion, Provider
from lgda_nb.llm._anthropic import AnthropicProvider
from lgda_nb.llm._gemini import GeminiProvider
from lgda_nb.llm._openai import OpenAIProvider
from lgda_nb.llm._providers import DEFAULT_MODELS, create_provider, parse_retry_after
from lgda_nb.testing import LLMRequest, LLMTestServer, Reply

APIS = ["openai", "gemini", "anthropic"]
KEY = "sk-test-secret-123"
TIMEOUT = 0.5
KEY_VARIABLES = {
    "openai": ("OPENAI_API_KEY",),
    "gemini": ("GOOGLE_API_KEY", "GEMINI_API_KEY"),
    "anthropic": ("ANTHROPIC_API_KEY",),
}
CLASSES: dict[str, Any] = {
    "openai": OpenAIProvider,
    "gemini": GeminiProvider,
    "anthropic": AnthropicProvider,
}
SCHEMA = {
    "title": "plan",
    "type": "object",
    "properties": {"sql": {"type": "string"}},
    "required": ["sql"],
}


@pytest.fixture(autouse=True)
def no_sdk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys and base URLs from the developer's shell never reach a test."""
    for name in (
        *(n for names in KEY_VARIABLES.values() for n in names),
        "OPENAI_BASE_URL",
        "ANTHROPIC_BASE_URL",
        "ANTHROPIC_AUTH_TOKEN",
        "GOOGLE_GENAI_USE_VERTEXAI",
        "GOOGLE_GENAI_USE_ENTERPRISE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=APIS)
def api(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def server(api: str) -> Iterator[LLMTestServer]:
    with LLMTestServer(api) as running:  # type: ignore[arg-type]
        yield running


def provider_for(api: str, base_url: str, **options: Any) -> Any:
    options.setdefault("api_key", KEY)
    options.setdefault("timeout_seconds", TIMEOUT)
    return CLASSES[api](model=f"{api}-test-model", base_url=base_url, **options)


def fail(api: str, server: LLMTestServer, reply: Reply, *, from_sdk: bool = True) -> ProviderError:
    server.add(reply)
    with pytest.raises(ProviderError) as info:
        provider_for(api, server.base_url).complete("system", "user")
    assert len(server.requests) == 1, "the SDK retried on its own"
    assert info.value.provider == api
    if from_sdk:
        assert info.value.__cause__ is not None
    return info.value


def test_text_reply_with_token_counts(api: str, server: LLMTestServer) -> None:
    """A plain answer comes back as a Completion with the API's token counts."""
    server.add(Reply.text("SELECT 1", input_tokens=120, output_tokens=9))
    provider = provider_for(api, server.base_url)
    completion = provider.complete("You write SQL.", "How many orders?")
    assert isinstance(provider, Provider)
    assert completion == Completion(
        text="SELECT 1",
        provider=api,
        model=f"{api}-test-model",
        input_tokens=120,
        output_tokens=9,
        truncated=False,
    )
    assert len(server.requests) == 1


def test_truncated_reply(api: str, server: LLMTestServer) -> None:
    """Hitting max_tokens is reported as truncated, with the partial text."""
    server.add(Reply.text('{"sql": "SELECT', truncated=True))
    completion = provider_for(api, server.base_url).complete("s", "u")
    assert completion.truncated
    assert completion.text == '{"sql": "SELECT'


def test_request_carries_prompt_model_and_limits(api: str, server: LLMTestServer) -> None:
    """The system and user text, the model and the token limit reach the API."""
    provider_for(api, server.base_url, max_tokens=321).complete("Rules here.", "Question?")
    [request] = server.requests
    assert request.system == "Rules here."
    assert request.user == "Question?"
    assert request.model == f"{api}-test-model"
    limits = {
        "openai": request.body.get("max_tokens"),
        "anthropic": request.body.get("max_tokens"),
        "gemini": request.body.get("generationConfig", {}).get("maxOutputTokens"),
    }
    assert limits[api] == 321


def test_no_secret_is_recorded(api: str, server: LLMTestServer) -> None:
    """The key is sent, but the server records it redacted."""
    provider_for(api, server.base_url).complete("s", "u")
    [request] = server.requests
    assert "<redacted>" in request.headers.values()
    assert KEY not in repr(request)


def test_json_schema_asks_for_structured_output(api: str, server: LLMTestServer) -> None:
    """A schema becomes the API's structured output where it has one."""
    server.add(Reply.json({"sql": "SELECT 1"}))
    completion = provider_for(api, server.base_url).complete("s", "u", json_schema=SCHEMA)
    assert json.loads(completion.text) == {"sql": "SELECT 1"}
    body = server.requests[0].body
    if api == "openai":
        assert body["response_format"] == {
            "type": "json_schema",
            "json_schema": {"name": "plan", "schema": SCHEMA, "strict": False},
        }
    elif api == "gemini":
        config = body["generationConfig"]
        assert config["responseMimeType"] == "application/json"
        assert config["responseJsonSchema"] == SCHEMA
    else:
        assert "output_config" not in body
        assert "temperature" not in body


def test_openai_json_object_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """json_mode="object" sends plain JSON mode for servers without schemas."""
    with LLMTestServer("openai") as server:
        provider = OpenAIProvider(
            "m", base_url=server.base_url, timeout_seconds=TIMEOUT, json_mode="object"
        )
        provider.complete("Answer in JSON.", "u", json_schema=SCHEMA)
        off = OpenAIProvider("m", base_url=server.base_url, json_mode="off")
        off.complete("s", "u", json_schema=SCHEMA)
    first, second = server.requests
    assert first.body["response_format"] == {"type": "json_object"}
    assert "response_format" not in second.body


def test_rate_limit_is_transient_with_retry_after(api: str, server: LLMTestServer) -> None:
    """429 with Retry-After is retryable and says how long to wait."""
    error = fail(api, server, Reply.error(429, retry_after=7))
    assert isinstance(error, TransientProviderError)
    assert error.retryable
    assert error.status_code == 429
    assert error.retry_after == 7


def test_gemini_retry_delay_from_error_details() -> None:
    """Gemini's RetryInfo detail counts as Retry-After when the header is absent."""
    body = {
        "error": {
            "code": 429,
            "message": "Quota exceeded",
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "3s"}],
        }
    }
    with LLMTestServer("gemini") as server:
        error = fail("gemini", server, Reply.error(429, body=body))
    assert isinstance(error, TransientProviderError)
    assert error.retry_after == 3


@pytest.mark.parametrize("status", [500, 503, 408])
def test_server_errors_are_transient(api: str, server: LLMTestServer, status: int) -> None:
    """5xx and 408 may pass: retryable, with the status code kept."""
    error = fail(api, server, Reply.error(status))
    assert isinstance(error, TransientProviderError)
    assert error.status_code == status
    assert error.retry_after is None


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_permanent(api: str, server: LLMTestServer, status: int) -> None:
    """A bad request, key or model is not worth retrying."""
    error = fail(api, server, Reply.error(status, message="nope"))
    assert not isinstance(error, TransientProviderError)
    assert not error.retryable
    assert error.status_code == status
    assert "nope" in error.message


def test_stall_past_timeout_is_transient(api: str, server: LLMTestServer) -> None:
    """A reply slower than the timeout fails in about the timeout, retryably."""
    started = time.monotonic()
    error = fail(api, server, Reply.stall(10))
    elapsed = time.monotonic() - started
    assert isinstance(error, TransientProviderError)
    assert "did not answer" in error.message
    assert TIMEOUT * 0.8 <= elapsed < TIMEOUT + 1.5


def test_dropped_connection_is_transient(api: str, server: LLMTestServer) -> None:
    """A connection closed without an answer is retryable."""
    error = fail(api, server, Reply.drop())
    assert isinstance(error, TransientProviderError)
    assert error.status_code is None


def test_provider_that_is_down_is_transient(api: str) -> None:
    """Nothing listening (connection refused) is retryable, and fails fast."""
    provider = provider_for(api, LLMTestServer.unused_url(api))  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(TransientProviderError) as info:
        provider.complete("s", "u")
    assert time.monotonic() - started < 2
    assert info.value.provider == api
    assert "Could not reach" in info.value.message


def test_missing_key_is_a_config_error(api: str) -> None:
    """Without a key (explicit or the SDK's variable) the provider refuses to start."""
    with pytest.raises(ConfigError) as info:
        CLASSES[api](base_url="https://llm.example.com")
    assert "LGDA_LLM__API_KEY" in info.value.hint
    for name in KEY_VARIABLES[api]:
        assert name in info.value.hint


def test_sdk_variable_supplies_the_key(api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK's usual environment variable works as the key."""
    monkeypatch.setenv(KEY_VARIABLES[api][-1], "from-env")
    with LLMTestServer(api) as server:  # type: ignore[arg-type]
        CLASSES[api]("m", base_url=server.base_url, timeout_seconds=TIMEOUT).complete("s", "u")
    assert len(server.requests) == 1


def test_local_openai_compatible_server_needs_no_key() -> None:
    """Ollama, LM Studio and friends on loopback run without any key."""
    with LLMTestServer("openai") as server:
        completion = OpenAIProvider("llama3", base_url=server.base_url).complete("s", "u")
    assert completion.text == "OK"
    assert server.requests[0].headers["authorization"] == "<redacted>"


def test_openai_token_field_follows_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenAI itself gets max_completion_tokens; compatible servers get max_tokens."""
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    assert OpenAIProvider()._tokens_field == "max_completion_tokens"
    assert OpenAIProvider(base_url="http://localhost:11434/v1")._tokens_field == "max_tokens"


@pytest.mark.parametrize(
    ("api", "module", "extra"),
    [
        ("openai", "openai", "lgda-nb[openai]"),
        ("gemini", "google.genai", "lgda-nb[gemini]"),
        ("anthropic", "anthropic", "lgda-nb[anthropic]"),
    ],
)
def test_missing_sdk_names_the_extra(
    api: str, module: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without its SDK a provider says which extra to install."""
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ConfigError) as info:
        CLASSES[api](api_key=KEY)
    assert extra in info.value.hint


@pytest.mark.parametrize("api", APIS)
def test_create_provider_from_settings(api: str) -> None:
    """Settings become a configured provider; no model means the documented default."""
    settings = LLMSettings(
        provider=api,
        api_key=KEY,
        base_url="http://127.0.0.1:9/v1",
        temperature=0.3,
        max_tokens=99,
        timeout_seconds=4,
    )
    provider = create_provider(api, settings)
    assert isinstance(provider, CLASSES[api])
    assert provider.name == api
    assert provider.model == DEFAULT_MODELS[api]
    assert (provider.temperature, provider.max_tokens, provider.timeout_seconds) == (0.3, 99, 4)
    named = create_provider(api, LLMSettings(model="custom", api_key=KEY))
    assert named.model == "custom"


def test_create_provider_settings_reach_the_api() -> None:
    """create_provider wires model, key, URL and temperature through to the request."""
    with LLMTestServer("openai") as server:
        settings = LLMSettings(
            model="qwen", base_url=server.base_url, temperature=0.7, timeout_seconds=1
        )
        create_provider("openai", settings).complete("s", "u")
    body = server.requests[0].body
    assert (body["model"], body["temperature"]) == ("qwen", 0.7)


def test_default_models_are_documented() -> None:
    """The factory's docstring states each default model."""
    import lgda_nb.llm._providers as module

    for model in DEFAULT_MODELS.values():
        assert model in (module.__doc__ or "")


def test_unknown_provider_suggests_a_name() -> None:
    """A misspelt provider is a ConfigError with a suggestion."""
    with pytest.raises(ConfigError) as info:
        create_provider("opnai", LLMSettings())
    assert "openai" in info.value.hint


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "12"}, 12.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    """Retry-After in seconds, milliseconds or as a (past) HTTP date."""
    assert parse_retry_after(headers) == expected


# -- the test server itself -----------------------------------------------------------------


def test_server_computes_replies_from_the_prompt() -> None:
    """A callable default answers from the request, after the queue is used up."""

    def echo(request: LLMRequest) -> Reply:
        return Reply.text(request.user.upper())

    with LLMTestServer("anthropic", [Reply.text("first")], default=echo) as server:
        provider = provider_for("anthropic", server.base_url)
        assert provider.complete("s", "hello").text == "first"
        assert provider.complete("s", "again").text == "AGAIN"
        assert server.pending == 0


def test_stall_then_answers(api: str, server: LLMTestServer) -> None:
    """A short stall inside the timeout still answers its follow-up reply."""
    server.add(Reply.stall(0.1, then=Reply.text("late")))
    assert provider_for(api, server.base_url, timeout_seconds=2).complete("s", "u").text == "late"


def test_server_lists_models_and_refuses_other_routes() -> None:
    """GET /v1/models lists the configured models; unknown routes get an API-shaped 404."""
    import openai

    with LLMTestServer("openai", models=["a", "b"]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
        assert [model.id for model in client.models.list()] == ["a", "b"]
        with pytest.raises(openai.NotFoundError):
            client.embeddings.create(model="a", input="x")
        client.close()
    assert [request.path for request in server.requests] == ["/v1/models", "/v1/embeddings"]


def test_stop_wakes_stalled_replies() -> None:
    """Stopping the server does not wait for a long stall to finish."""
    import threading

    server = LLMTestServer("openai", [Reply.stall(60)]).start()
    provider = provider_for("openai", server.base_url, timeout_seconds=30)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            provider.complete("s", "u")
        except ProviderError as exc:
            errors.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    while not server.requests:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    worker.join(timeout=5)
    assert time.monotonic() - started < 3
    assert not worker.is_alive()
    assert isinstance(errors[0], TransientProviderError)


@pytest.mark.parametrize("body", ["<html>gateway</html>", {"unexpected": 1}, []])
def test_unreadable_reply_is_transient(api: str, server: LLMTestServer, body: Any) -> None:
    """A 200 that is not the API's shape is worth a retry, not a crash."""
    error = fail(api, server, Reply.raw(body), from_sdk=api != "gemini")
    assert isinstance(error, TransientProviderError)


def test_gemini_blocked_prompt_is_permanent() -> None:
    """A prompt Gemini refuses (no candidate, a block reason) is not retried."""
    with LLMTestServer("gemini") as server:
        blocked = Reply.raw({"promptFeedback": {"blockReason": "SAFETY"}})
        error = fail("gemini", server, blocked, from_sdk=False)
    assert not isinstance(error, TransientProviderError)
    assert "SAFETY" in error.message


def sdk_exceptions(module: Any, base: type[BaseException]) -> list[type[BaseException]]:
    return sorted(
        {
            value
            for value in list(vars(module).values())
            if isinstance(value, type) and issubclass(value, base) and value is not base
        }
        | {base},
        key=lambda cls: cls.__name__,
    )


def build(cls: type[BaseException]) -> BaseException:
    """An instance of an SDK exception without its constructor's arguments."""
    import httpx2

    try:
        return cls("boom")
    except (TypeError, AttributeError):  # the constructor needs a request or a response
        exc = cls.__new__(cls)
    status = getattr(cls, "status_code", None)
    status = status if isinstance(status, int) else 500
    request = httpx2.Request("POST", "http://127.0.0.1/v1")
    exc.args = ("boom",)
    for name, value in {
        "message": "boom",
        "body": None,
        "request": request,
        "status_code": status,
        "response": httpx2.Response(status, request=request),
    }.items():
        setattr(exc, name, value)
    return exc


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_every_sdk_exception_is_mapped(api: str) -> None:
    """No exception the SDK exports escapes the provider untranslated."""
    import anthropic
    import openai

    module, base = (
        (openai, openai.OpenAIError) if api == "openai" else (anthropic, anthropic.AnthropicError)
    )
    provider = provider_for(api, "http://127.0.0.1:9")
    for cls in sdk_exceptions(module, base):
        with pytest.raises(ProviderError), provider._map_errors():
            raise build(cls)


def test_every_gemini_exception_is_mapped() -> None:
    """google-genai's API errors and the httpx2 network errors it lets through are mapped."""
    import httpx2
    from google.genai import errors

    provider = provider_for("gemini", "http://127.0.0.1:9")
    for cls in sdk_exceptions(errors, errors.APIError):
        with pytest.raises(ProviderError), provider._map_errors():
            raise cls(503, {"error": {"message": "boom"}})
    for cls in sdk_exceptions(httpx2, httpx2.TransportError):
        with pytest.raises(TransientProviderError), provider._map_errors():
            raise cls("boom")
