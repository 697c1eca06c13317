"""The OpenAPI document: the case and report models' schemas in its components, so /docs shows them
though the routes read their bodies raw (to enforce the limits before parsing)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ..case import Case
from ..report import Report

REF = "#/components/schemas/{model}"


def body_schema(model: str) -> dict[str, Any]:
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}}}}


def answer_schema(model: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": model, "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}}}}


def install(app: FastAPI) -> None:
    """Replace app.openapi with one that adds Case and Report (and their parts) to the components."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in (("Case", Case.model_json_schema(by_alias=True, ref_template=REF)),
                                 ("Report", Report.model_json_schema(ref_template=REF))):
                components.update(schema.pop("$defs", {}))
                components[name] = schema
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
