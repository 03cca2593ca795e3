"""The OpenAPI 3.1 document of /api/v1, from the URL map and the models the views declare: nothing written twice."""

import inspect
import re

from flask import Flask
from pydantic import BaseModel

from beredskap.api import REQUIRED_ATTR
from beredskap.validation import BODY_ATTR, FILE_ATTR, FORM_ATTR, QUERY_ATTR

_REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}}
_ERROR = {"description": "Feil", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_NO_CONTENT = re.compile(r"return\s+(?:\"\"|''|None)\s*,\s*204\b")


def _success_responses(view, method: str) -> dict:
    """The success statuses a view answers: 204 No Content where it returns an empty body, else 200/201."""
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):
        source = ""
    if _NO_CONTENT.search(source):
        return {"204": {"description": "Utført, uten innhold"}}
    if method == "POST":
        return {"200": {"description": "OK"}, "201": {"description": "Opprettet"}}
    return {"200": {"description": "OK"}}


def model_schema(model: type[BaseModel], components: dict) -> dict:
    """The JSON schema of a validation model; the models it nests go to components.schemas."""
    schema = model.model_json_schema(ref_template=_REF, mode="validation")
    components.update(schema.pop("$defs", {}))
    return schema


def _query_params(view, components: dict) -> list[dict]:
    """The query parameters of a view that declares a query model, one per field."""
    model = getattr(view, QUERY_ATTR, None)
    if model is None:
        return []
    schema = model_schema(model, components)
    required = set(schema.get("required", ()))
    params = []
    for name, prop in schema.get("properties", {}).items():
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            param["description"] = prop["description"]
        params.append(param)
    return params


def _request_body(view, components: dict) -> dict | None:
    """The body an operation reads, as its view declares it: a JSON object (its model), a multipart form (its
    model) or a file (CSV, YAML); none at all when it declares none."""
    media_types = getattr(view, FILE_ATTR, None)
    if media_types:
        return {"required": True, "content": {media: {"schema": {"type": "string"}} for media in media_types}}
    model = getattr(view, FORM_ATTR, None)
    if model is not None:
        return {"required": True, "content": {"multipart/form-data": {"schema": model_schema(model, components)}}}
    model = getattr(view, BODY_ATTR, None)
    if model is not None:
        required = not getattr(view, "body_optional", False)
        return {"required": required, "content": {"application/json": {"schema": model_schema(model, components)}}}
    return None


IDEMPOTENCY_PARAM = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "CONTRACT §12: the same key from the same user within 24 h returns the first response (status and body, "
        "header Idempotent-Replayed: true) and changes nothing; the same key with another method, path or body "
        "→ 422 idempotency_key_reused; a key not of 1–200 printable ASCII → 400 invalid_idempotency_key."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x20-\\x7E]+$"},
}


def openapi_path(rule: str) -> str:
    return _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule)


def build_openapi(app: Flask) -> dict:
    """Every /api/v1 route with its methods, parameters, permission and (where declared) body schema."""
    paths: dict[str, dict] = {}
    models: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        path = openapi_path(rule.rule)
        params = [
            {
                "name": m.group(2),
                "in": "path",
                "required": True,
                "schema": _TYPES.get(m.group(1) or "", {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}),
            }
            for m in _PARAM.finditer(rule.rule)
        ]
        perm = getattr(view, REQUIRED_ATTR, None)
        summary = ((view.__doc__ or "").strip().splitlines() or [rule.endpoint])[0]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation: dict = {
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "summary": summary,
                "parameters": params + _query_params(view, models),
                "responses": {**_success_responses(view, method), "4XX": _ERROR},
            }
            if perm is not None:
                operation["x-permission"] = perm.value
                operation["security"] = [{"bearer": []}, {"session": []}]
            else:
                operation["security"] = []
            if method in ("POST", "PATCH", "PUT", "DELETE"):
                operation["parameters"] = [*operation["parameters"], IDEMPOTENCY_PARAM]
            if method in ("POST", "PATCH", "PUT"):
                body = _request_body(view, models)
                if body is not None:
                    operation["requestBody"] = body
            paths.setdefault(path, {})[method.lower()] = operation
    _drop_null_defaults(paths)
    _drop_null_defaults(models)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Beredskap API",
            "version": "1",
            "description": "Kristiansand kommune og Agder politidistrikt – beredskapskoordinering.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                **models,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {"type": "object"},
                                "existing": {"type": "object"},
                            },
                        }
                    },
                },
            },
        },
    }


def _allows_null(schema: dict) -> bool:
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(isinstance(s, dict) and _allows_null(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def _drop_null_defaults(node: object) -> None:
    """A model field `= None` means "may be left out": its schema says so by not being required, and a
    `default: null` that the field's own type does not admit is dropped (openapi-spec-validator checks defaults)."""
    if isinstance(node, dict):
        if "default" in node and node["default"] is None:
            typed = "type" in node and not _allows_null(node)
            listed = "enum" in node and None not in node["enum"]
            if typed or listed:
                del node["default"]
        for value in node.values():
            _drop_null_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _drop_null_defaults(value)
