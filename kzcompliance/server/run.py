"""`kzcompliance serve`: uvicorn running the app factory, loopback by default, with a graceful shutdown
(on SIGINT/SIGTERM it stops accepting, lets requests in flight finish for up to GRACE seconds, then exits)."""

from __future__ import annotations

import uvicorn

GRACE = 10


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    uvicorn.run("kzcompliance.server.app:create_app", factory=True, host=host, port=port, workers=workers,
                access_log=False, timeout_graceful_shutdown=GRACE, server_header=False, ws="none")
