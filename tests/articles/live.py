"""A live TaskLedger for end-to-end tests: daphne serving HTTP on a free port."""
import socket
import sys
import time

from tests.processes import Process, child_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_daphne(**env_overrides) -> tuple[Process, str]:
    """Start daphne on the test database; return it and its base URL once it listens."""
    port = free_port()
    process = Process([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                       "config.asgi:application"], child_env(**env_overrides), "daphne")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise AssertionError(f"daphne exited at start:\n{process.log()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.stop()
    raise AssertionError("daphne did not listen within 30 s")
