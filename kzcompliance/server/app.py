"""The app factory: routes, the page, offline docs, error answers, CORS and the request log."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import format_loc
from ..i18n.errors import problem_text
from . import openapi
from .body import ApiError
from .options import request_lang
from .page_texts import page_catalogue
from .requestlog import RequestLog, configure_log
from .routes import public, router
from .settings import ServerSettings

STATIC = Path(__file__).parent / "static"
DOCS_ASSETS = "/docs-assets"


def create_app(settings: Optional[ServerSettings] = None) -> FastAPI:
    """The ASGI app; `settings` default to ServerSettings.from_env() (so uvicorn's workers agree)."""
    settings = settings or ServerSettings.from_env()
    configure_log()
    app = FastAPI(title="kzcompliance", version=__version__, docs_url=None, redoc_url=None,
                  description="Checks a foreign national's stay in Kazakhstan, and their hosts and employers, "
                              "against its migration law. Every answer is the JSON of the matching CLI command.")
    app.state.settings = settings
    app.include_router(router)
    app.include_router(public)
    openapi.install(app)
    _errors(app)
    _page_and_docs(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"])
    app.add_middleware(RequestLog)
    return app


def _errors(app: FastAPI) -> None:
    """Every refusal is a JSON body {"error": "...", "field": "..."}, the error in the CLI's words, in the request's
    language (`request_lang`: its `lang` option, else Accept-Language); the field as it is."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(exc.body(request_lang(request)), exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_option(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        field = format_loc(loc[1:] if loc and loc[0] in ("query", "path", "body") else loc)
        return JSONResponse(ApiError(422, str(first.get("msg", "invalid")), field).body(request_lang(request)), 422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": problem_text(str(exc.detail), request_lang(request))}, exc.status_code,
                            headers=exc.headers)


def _page_and_docs(app: FastAPI) -> None:
    """GET / is the page; /messages.json its texts in every language (from the catalogues); /static its files;
    /docs and /redoc from assets installed with the extra."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    texts = JSONResponse(page_catalogue())  # built once, at start-up, from the catalogues

    @app.get("/messages.json", include_in_schema=False)
    async def page_texts() -> JSONResponse:
        return texts

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="kzcompliance API",
                                   swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title="kzcompliance API",
                              redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png", with_google_fonts=False)
