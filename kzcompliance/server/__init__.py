"""The HTTP service and its page (`kzcompliance serve`, the `server` extra): FastAPI over the library's API.

`create_app(settings)` builds the ASGI app; `serve(...)` runs it under uvicorn. Every answer is the
library's own (check, check_hire, check_roster, plan, the batch's per-line check), serialised as the
CLI serialises it.
"""

from .app import create_app
from .settings import ServerSettings

__all__ = ["ServerSettings", "create_app"]
