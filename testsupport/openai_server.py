"""An OpenAI-compatible HTTP server for tests and benchmarks, on 127.0.0.1.

The real `openai` SDK talks to it over HTTP (`base_url=server.base_url`), so everything
between TaskLedger and the wire is exercised: request building, base64 embeddings, `usage`,
the SDK's error classes and retries. Tests script faults (429, 500, 401, a hang past the
client's timeout, a junk answer) and read back every request and the usage it reported.

    with OpenAITestServer(latency=0.1) as server:
        server.fail("429", times=2)
        server.chat_answer = lambda body: '{"weight_g": 1200}'
        ...
        server.usage_reported  # {"text-embedding-3-small": {"prompt_tokens": …}, …}

Standalone, for a running TaskLedger or a benchmark:

    python -m testsupport.openai_server --port 8765 --latency 0.1
"""
import argparse
import base64
import hashlib
import json
import re
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

DEFAULT_DIMENSIONS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072,
                      "text-embedding-ada-002": 1536}
FAULTS = {
    "429": (429, "rate_limit_exceeded", "requests", "Rate limit reached for requests"),
    "500": (500, "server_error", "server_error", "The server had an error processing your request"),
    "503": (503, "server_error", "server_error", "The engine is currently overloaded"),
    "401": (401, "invalid_api_key", "invalid_request_error", "Incorrect API key provided: sk-te***"),
    "403": (403, "unsupported_country_region_territory", "request_forbidden",
            "Country, region, or territory not supported"),
    "400": (400, "invalid_request", "invalid_request_error", "Invalid request"),
    "quota": (429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota"),
}
# Faults that answer 200 with a body the client cannot use: cut short mid-JSON, or (for
# embeddings) one embedding fewer than inputs.
ANSWER_FAULTS = ("truncated", "short")
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")


def token_count(text: str) -> int:
    """A deterministic stand-in for tiktoken: words and punctuation marks."""
    return max(1, len(TOKEN_PATTERN.findall(text)))


def embedding_vector(text: str, dimensions: int) -> list[float]:
    """A deterministic unit vector derived from the text."""
    return _embedding_array(text, dimensions).tolist()


def _embedding_array(text: str, dimensions: int) -> np.ndarray:
    # NumPy, not a Python loop: at 1,536 dimensions the loop cost ~0.4 ms per text, enough
    # to make the server, not the client under test, the bottleneck of a benchmark.
    seed = hashlib.sha256(text.encode()).digest()
    blocks = b"".join(hashlib.sha256(seed + counter.to_bytes(4, "little")).digest()
                      for counter in range(-(-dimensions // 32)))
    values = (np.frombuffer(blocks, dtype=np.uint8)[:dimensions] - 127.5) / 127.5
    norm = float(np.sqrt(np.dot(values, values))) or 1.0
    return values / norm


def _default_chat_answer(body: dict) -> str:
    return json.dumps({"echo": body["messages"][-1]["content"][:80]})


class OpenAITestServer:
    """A threaded server answering each request `latency` seconds after it came in (its own
    work included), with a fault if one is queued."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0):
        self.latency = latency
        self.hang_seconds = 30.0
        self.chat_answer = _default_chat_answer
        self.requests: list[dict] = []
        self.usage_reported: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._faults: deque[str] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = None

    # --- control ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def fail(self, fault: str, *, times: int = 1) -> None:
        """Answer the next `times` requests with `fault`: 429, quota, 500, 503, 401, 403, 400,
        hang, junk (chat: content that is not JSON), truncated or short."""
        if fault not in FAULTS and fault not in ("hang", "junk", *ANSWER_FAULTS):
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._faults.extend([fault] * times)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def paths(self) -> list[str]:
        with self._lock:
            return [request["path"] for request in self.requests]

    def start(self) -> "OpenAITestServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- protocol -----------------------------------------------------------------------------
    def _next_fault(self):
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _record(self, path: str, body: dict, status: int, usage: dict | None) -> None:
        with self._lock:
            self.requests.append({"path": path, "body": body, "status": status, "usage": usage})
            if usage:
                model = self.usage_reported[body.get("model", "")]
                for key, value in usage.items():
                    if isinstance(value, int):
                        model[key] += value

    def _embeddings(self, body: dict) -> dict:
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not inputs:
            raise _BadRequest("'input' must be a non-empty string or array")
        model = body.get("model") or ""
        dimensions = int(body.get("dimensions") or DEFAULT_DIMENSIONS.get(model, 1536))
        data, tokens = [], 0
        for index, item in enumerate(inputs):
            text = item if isinstance(item, str) else " ".join(map(str, item))
            if not text:
                raise _BadRequest(f"input[{index}] is empty")
            tokens += token_count(text)
            vector = _embedding_array(text, dimensions)
            if body.get("encoding_format") == "base64":
                encoded = base64.b64encode(vector.astype("<f4").tobytes()).decode()
            else:
                encoded = vector.tolist()
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return {"object": "list", "data": data, "model": model, "usage": usage}

    def _chat(self, body: dict, *, junk: bool) -> dict:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise _BadRequest("'messages' must be a non-empty array")
        content = "this is not JSON {" if junk else self.chat_answer(body)
        prompt = sum(token_count(str(message.get("content", ""))) for message in messages)
        completion = token_count(content)
        usage = {"prompt_tokens": prompt, "completion_tokens": completion,
                 "total_tokens": prompt + completion}
        return {
            "id": f"chatcmpl-{hashlib.md5(content.encode()).hexdigest()[:12]}",
            "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": content}}],
            "usage": usage,
        }

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle's algorithm the body
            # would wait for the client's delayed ACK (~40 ms a call, measured).
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _send(self, status: int, payload: dict, headers: dict | None = None,
                      truncated: bool = False) -> None:
                data = json.dumps(payload).encode()
                if truncated:
                    data = data[:len(data) // 2]
                self._wait_until_due()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _wait_until_due(self) -> None:
                remaining = self.due - time.monotonic()
                if remaining > 0:
                    time.sleep(remaining)

            def do_POST(self):
                # `latency` is the time to answer, the server's own work included, as a real
                # provider's is: the answer is built first and sent when it is due. (Sleeping
                # first and working after added the work, serialised on this process's GIL
                # across concurrent requests, to every answer: ~20 ms at 50 embeddings.)
                self.due = time.monotonic() + server.latency
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                fault = server._next_fault()
                if fault == "hang":
                    server._record(self.path, body, 0, None)
                    self._wait_until_due()
                    time.sleep(server.hang_seconds)
                    self.close_connection = True
                    return
                if fault in FAULTS:
                    status, code, kind, message = FAULTS[fault]
                    server._record(self.path, body, status, None)
                    self._send(status, {"error": {"message": message, "type": kind,
                                                  "param": None, "code": code}})
                    return
                try:
                    if self.path.endswith("/embeddings"):
                        payload = server._embeddings(body)
                    elif self.path.endswith("/chat/completions"):
                        payload = server._chat(body, junk=fault == "junk")
                    else:
                        self._send(404, {"error": {"message": f"no route {self.path}",
                                                   "type": "invalid_request_error",
                                                   "param": None, "code": None}})
                        return
                except _BadRequest as error:
                    server._record(self.path, body, 400, None)
                    self._send(400, {"error": {"message": str(error),
                                               "type": "invalid_request_error",
                                               "param": None, "code": None}})
                    return
                if fault == "short" and payload.get("data"):
                    payload["data"] = payload["data"][:-1]
                server._record(self.path, body, 200, payload["usage"])
                self._send(200, payload, truncated=fault == "truncated")

        return Handler


class _BadRequest(Exception):
    pass


def main(factory=OpenAITestServer, name: str = "OpenAI test server") -> None:
    """Serve from the command line: `--host`, `--port`, `--latency`."""
    parser = argparse.ArgumentParser(description=f"{name}, speaking OpenAI's protocol")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    args = parser.parse_args()
    server = factory(host=args.host, port=args.port, latency=args.latency)
    print(f"{name} on {server.base_url}", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
