"""A loopback server that speaks one LLM provider's HTTP API, with scripted replies.

``LLMTestServer(api="openai" | "anthropic" | "gemini")`` answers the endpoint that
provider's official SDK calls (chat completions, messages, generateContent) well
enough for the SDK to parse the reply, so providers, planners and notebooks are
tested through the real client code without the internet::

    with LLMTestServer("openai", [Reply.error(429, retry_after=2), Reply.text("hi")]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)

Each request takes the next queued reply, then ``default`` (a ``Reply`` or a
function of the ``LLMRequest``). Every request is recorded, secrets redacted.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["API", "LLMRequest", "LLMTestServer", "Reply", "Responder"]

API = Literal["openai", "anthropic", "gemini"]
_APIS: tuple[str, ...] = ("openai", "anthropic", "gemini")
_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie"}
)
REDACTED = "<redacted>"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: ``text``, ``json``, ``error``, ``raw``, ``stall`` or ``drop``."""

    kind: Literal["text", "error", "stall", "drop"] = "text"
    #: The model's text (``kind="text"``).
    content: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    #: Stopped at the token limit: finish_reason "length", stop_reason "max_tokens",
    #: finishReason "MAX_TOKENS".
    truncated: bool = False
    #: HTTP status of an error reply.
    status: int = 200
    #: Seconds sent in the ``Retry-After`` header of an error reply.
    retry_after: float | None = None
    #: Error message inside the API's error body.
    message: str = ""
    #: A JSON body sent as is instead of the API's usual error shape.
    body: Any = None
    #: How long a stall sleeps before answering ``then``.
    seconds: float = 0.0
    then: Reply | None = None

    @classmethod
    def text(
        cls,
        content: str,
        *,
        input_tokens: int = 12,
        output_tokens: int = 7,
        truncated: bool = False,
    ) -> Reply:
        """The model answers ``content`` with these token counts."""
        return cls(
            "text",
            content=content,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            truncated=truncated,
        )

    @classmethod
    def json(cls, value: Any, **kwargs: Any) -> Reply:
        """The model answers ``value`` serialised as JSON text."""
        return cls.text(json.dumps(value), **kwargs)

    @classmethod
    def error(
        cls,
        status: int,
        *,
        retry_after: float | None = None,
        message: str = "",
        body: Any = None,
    ) -> Reply:
        """An HTTP error in the API's own error shape (or ``body`` verbatim)."""
        return cls(
            "error",
            status=status,
            retry_after=retry_after,
            message=message or _REASONS.get(status, "error"),
            body=body,
        )

    @classmethod
    def raw(cls, body: Any, status: int = 200) -> Reply:
        """Any JSON ``body`` with any status: replies in shapes the SDK does not expect."""
        return cls("error", status=status, body=body)

    @classmethod
    def stall(cls, seconds: float, then: Reply | None = None) -> Reply:
        """Say nothing for ``seconds`` (past a client timeout), then answer ``then``."""
        return cls("stall", seconds=seconds, then=then)

    @classmethod
    def drop(cls) -> Reply:
        """Close the connection without answering."""
        return cls("drop")


#: A reply, or a function that computes one from the request (e.g. from its prompt).
Responder = Reply | Callable[["LLMRequest"], Reply]


@dataclass(frozen=True)
class LLMRequest:
    """One request as the server saw it; secret headers are replaced by ``<redacted>``."""

    api: str
    method: str
    path: str
    #: Lower-cased header names.
    headers: dict[str, str]
    #: The parsed JSON body ({} for none).
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def model(self) -> str | None:
        """The model asked for: from the body, or from Gemini's URL path."""
        if self.api == "gemini":
            _, _, rest = self.path.partition("/models/")
            return (rest.split(":", 1)[0] or None) if rest else None
        model = self.body.get("model")
        return str(model) if model is not None else None

    @property
    def system(self) -> str:
        """The system prompt text."""
        if self.api == "openai":
            return _join(
                _text_of(m.get("content"))
                for m in self.body.get("messages", [])
                if m.get("role") in {"system", "developer"}
            )
        if self.api == "anthropic":
            return _text_of(self.body.get("system"))
        instruction = self.body.get("systemInstruction") or self.body.get("system_instruction")
        return _gemini_text(instruction)

    @property
    def user(self) -> str:
        """The user turns' text, joined by blank lines."""
        if self.api in {"openai", "anthropic"}:
            return _join(
                _text_of(m.get("content"))
                for m in self.body.get("messages", [])
                if m.get("role") == "user"
            )
        return _join(
            _gemini_text(c)
            for c in self.body.get("contents", [])
            if isinstance(c, dict) and c.get("role", "user") == "user"
        )


def _join(parts: Iterable[str]) -> str:
    return "\n\n".join(part for part in parts if part)


def _text_of(content: Any) -> str:
    """Text of an OpenAI/Anthropic content: a string or a list of text blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return _join(
            str(block.get("text", "")) if isinstance(block, dict) else str(block)
            for block in content
        )
    return ""


def _gemini_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return _join(str(part.get("text", "")) for part in content.get("parts", []))
    return ""


_REASONS = {
    400: "Bad request",
    401: "Invalid API key",
    403: "Permission denied",
    404: "Not found",
    408: "Request timeout",
    429: "Rate limit exceeded",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
    529: "Overloaded",
}
_OPENAI_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
}
_ANTHROPIC_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}
_GEMINI_STATUSES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


def _error_body(api: str, status: int, message: str) -> dict[str, Any]:
    if api == "openai":
        kind = _OPENAI_TYPES.get(
            status, "server_error" if status >= 500 else "invalid_request_error"
        )
        return {"error": {"message": message, "type": kind, "param": None, "code": None}}
    if api == "anthropic":
        kind = _ANTHROPIC_TYPES.get(status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": message}}
    state = _GEMINI_STATUSES.get(status, "INTERNAL" if status >= 500 else "FAILED_PRECONDITION")
    return {"error": {"code": status, "message": message, "status": state}}


def _success_body(api: str, reply: Reply, request: LLMRequest, number: int) -> dict[str, Any]:
    model = request.model or "test-model"
    if api == "openai":
        return {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content, "refusal": None},
                    "finish_reason": "length" if reply.truncated else "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": reply.input_tokens,
                "completion_tokens": reply.output_tokens,
                "total_tokens": reply.input_tokens + reply.output_tokens,
            },
        }
    if api == "anthropic":
        return {
            "id": f"msg_{number:024d}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": reply.content}],
            "stop_reason": "max_tokens" if reply.truncated else "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
        }
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": reply.content}]},
                "finishReason": "MAX_TOKENS" if reply.truncated else "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": reply.input_tokens,
            "candidatesTokenCount": reply.output_tokens,
            "totalTokenCount": reply.input_tokens + reply.output_tokens,
        },
        "modelVersion": model,
        "responseId": f"resp-{number}",
    }


def _is_completion_path(api: str, method: str, path: str) -> bool:
    if method != "POST":
        return False
    if api == "openai":
        return path.rstrip("/").endswith("/chat/completions")
    if api == "anthropic":
        return path.rstrip("/").endswith("/v1/messages")
    return "/models/" in path and path.endswith(":generateContent")


class LLMTestServer:
    """A loopback HTTP server for one provider API; use as a context manager.

    ``replies`` are consumed one per completion request, then ``default``
    answers (an ``OK`` text when not given). ``requests`` lists what arrived.
    """

    def __init__(
        self,
        api: API = "openai",
        replies: Iterable[Responder] = (),
        *,
        default: Responder | None = None,
        models: Iterable[str] = ("test-model",),
    ) -> None:
        if api not in _APIS:
            raise ValueError(f"api must be one of {', '.join(_APIS)}, not {api!r}")
        self.api: str = api
        self.default: Responder = default if default is not None else Reply.text("OK")
        self.models = list(models)
        self._replies: deque[Responder] = deque(replies)
        self._requests: list[LLMRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # -- scripting and inspection -------------------------------------------------

    def add(self, *replies: Responder) -> None:
        """Queue more replies after the ones already waiting."""
        with self._lock:
            self._replies.extend(replies)

    @property
    def requests(self) -> list[LLMRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def pending(self) -> int:
        """Queued replies not yet used."""
        with self._lock:
            return len(self._replies)

    def clear(self) -> None:
        """Forget recorded requests and queued replies."""
        with self._lock:
            self._requests.clear()
            self._replies.clear()

    # -- addresses ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the server is not started")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` with no path."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The address this API's SDK takes as ``base_url``."""
        return _base_url(self.api, self.url)

    @staticmethod
    def closed_port() -> int:
        """A loopback port nothing listens on (just bound and released)."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        return port

    @classmethod
    def unused_url(cls, api: API = "openai") -> str:
        """A ``base_url`` for ``api`` where nothing listens: a provider that is down."""
        return _base_url(api, f"http://127.0.0.1:{cls.closed_port()}")

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> LLMTestServer:
        """Listen on a free loopback port in a daemon thread."""
        if self._server is not None:
            return self
        from http.server import ThreadingHTTPServer

        class _QuietServer(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                return  # a client that hung up mid-stall is expected here

        server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._server = server
        self._port = int(server.server_address[1])
        self._stopping.clear()
        self._thread = threading.Thread(
            # A short poll keeps stop() quick (the default polls every 0.5 s).
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"LLMTestServer-{self.api}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening; stalled replies wake up and give up."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> LLMTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- request handling (called from the handler threads) -------------------------

    def _record(self, request: LLMRequest) -> tuple[Reply, int]:
        with self._lock:
            self._requests.append(request)
            number = len(self._requests)
            responder = self._replies.popleft() if self._replies else None
        if responder is None:
            responder = self.default
        reply = responder(request) if callable(responder) else responder
        return reply, number

    def _models_body(self) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [
                {"id": model, "object": "model", "created": 0, "owned_by": "lgda-test"}
                for model in self.models
            ],
        }


def _base_url(api: str, root: str) -> str:
    return f"{root}/v1" if api == "openai" else root


def _make_handler(owner: LLMTestServer) -> type[Any]:
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "LLMTestServer/1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send_json(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _drop(self) -> None:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

        def _answer(self, reply: Reply, request: LLMRequest, number: int) -> None:
            if reply.kind == "stall":
                if owner._stopping.wait(reply.seconds):
                    self._drop()
                    return
                self._answer(reply.then or Reply.text("OK"), request, number)
                return
            if reply.kind == "drop":
                self._drop()
                return
            headers = {"request-id": f"req_{number}", "x-request-id": f"req_{number}"}
            if reply.kind == "error":
                if reply.retry_after is not None:
                    seconds = reply.retry_after
                    headers["Retry-After"] = (
                        str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
                    )
                body = reply.body
                if body is None:
                    body = _error_body(owner.api, reply.status, reply.message)
                self._send_json(reply.status, body, headers)
                return
            self._send_json(200, _success_body(owner.api, reply, request, number), headers)

        def _handle(self) -> None:
            path, _, _query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            if not isinstance(body, dict):
                body = {"_json": body}
            headers = {
                key.lower(): (REDACTED if key.lower() in _SECRET_HEADERS else value)
                for key, value in self.headers.items()
            }
            request = LLMRequest(owner.api, self.command, path, headers, body)
            completion = _is_completion_path(owner.api, self.command, path)
            if not completion:
                with owner._lock:
                    owner._requests.append(request)
                if self.command == "GET" and path.rstrip("/").endswith("/models"):
                    self._send_json(200, owner._models_body(), {})
                else:
                    message = f"No route for {self.command} {path}"
                    self._send_json(404, _error_body(owner.api, 404, message), {})
                return
            reply, number = owner._record(request)
            self._answer(reply, request, number)

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                # The client gave up (its timeout) while we stalled: nothing to answer.
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler
