"""A real uvicorn serving the app on 127.0.0.1 on an ephemeral port, in a thread, stopped on exit."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from kzcompliance.server import ServerSettings, create_app


@contextmanager
def running(settings: ServerSettings, app: object = None) -> Iterator[str]:
    """The base URL of a server running `app` (default: create_app(settings)) until the block ends."""
    config = uvicorn.Config(app or create_app(settings), host="127.0.0.1", port=0, access_log=False,
                            log_level="warning", lifespan="off", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
