"""The real Parley app served by uvicorn on a loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import httpx
import uvicorn

from parley.services.moderation import Moderator
from parley.settings import Settings
from parley.web.app import create_app


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(
        self, settings: Settings, moderator: Moderator | None = None, port: int = 0
    ) -> None:
        self.settings = settings
        config = uvicorn.Config(
            create_app(settings, moderator),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=0.2,  # at teardown: open event streams need not linger
            proxy_headers=False,  # as `parley serve`: the app reads X-Forwarded-For itself
            lifespan="on",
            loop="asyncio",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.url = ""

    def start(self, timeout: float = 15.0) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, **kwargs)
