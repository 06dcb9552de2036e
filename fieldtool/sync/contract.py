"""The back-office contract (``openapi.yaml`` beside this file) as something code can check against.

Both sides use it: the reference back office validates every request body with it (the reasons it gives
are the validator's, with the field path), the client validates every reply before trusting it, and the
contract tests check both against it. ``canonical`` is the one byte form of an event used for
de-duplication on both sides.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import yaml
from jsonschema import Draft202012Validator

from fieldtool.domain.errors import InputError

EVENT_KINDS = (
    "transition",
    "soft_registration",
    "as_found",
    "photo",
    "custody",
    "bench_result",
    "coverage_report",
    "han_provisioning",
    "han_request",
    "go_back",
)
SCHEMA_VERSION = 1
MAX_BATCH = 500


@cache
def document() -> dict[str, Any]:
    """The parsed OpenAPI document."""
    text = resources.files("fieldtool.sync").joinpath("openapi.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def validator(name: str) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator for ``components.schemas[name]`` (refs resolve in the document)."""
    doc = document()
    if name not in doc["components"]["schemas"]:
        raise KeyError(name)
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": doc["components"]})


@cache
def fast(name: str):
    """A compiled check for ``name`` (fastjsonschema): the quick yes; ``problems`` gives the reasons."""
    doc = document()
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "$ref": f"#/components/schemas/{name}",
              "components": doc["components"]}
    return fastjsonschema.compile(schema, formats={"date-time": r".*", "date": r".*"})


@cache
def envelope(name: str):
    """A compiled check of a page's envelope only: ``items[].work_order`` must be an object or null, its
    fields are left to the caller (the domain codec checks each work order and names the bad field)."""
    doc = document()
    components = json.loads(json.dumps(doc["components"]))
    components["schemas"]["WorkOrderChange"]["properties"]["work_order"] = {"type": ["object", "null"]}
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "$ref": f"#/components/schemas/{name}",
              "components": components}
    return fastjsonschema.compile(schema, formats={"date-time": r".*", "date": r".*"})


def problems(name: str, value: Any, limit: int = 5) -> list[str]:
    """Why ``value`` is not a valid ``name``, one sentence per problem (empty when it is valid).

    Valid values (nearly all) pass the compiled check in microseconds; only an invalid one pays for
    jsonschema's full walk, which names every problem with its path."""
    try:
        fast(name)(value)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    out = []
    for err in sorted(validator(name).iter_errors(value), key=lambda e: list(e.absolute_path)):
        out.append(f"{_path(err.absolute_path)}: {_message(err)}")
        if len(out) >= limit:
            break
    return out


def check(name: str, value: Any, what: str) -> Any:
    """``value`` when it is a valid ``name``; otherwise ``InputError`` saying what is wrong with ``what``."""
    found = problems(name, value, limit=3)
    if found:
        raise InputError(f"{what} is not what the back-office contract says: {'; '.join(found)}.")
    return value


def canonical(event: dict[str, Any]) -> bytes:
    """The byte form two copies of an event are compared in (sorted keys, no spaces, UTF-8)."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def body_hash(event: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def _path(parts) -> str:
    text = ""
    for p in parts:
        text += f"[{p}]" if isinstance(p, int) else (f".{p}" if text else str(p))
    return text or "body"


def _message(err) -> str:
    # jsonschema's own wording, shortened where it would dump a whole nested object at a person.
    if err.validator == "required":
        return err.message.replace("'", "")
    if err.validator in ("oneOf", "anyOf") and err.context:
        best = min(err.context, key=lambda e: len(list(e.absolute_path)) * -1)
        return best.message if len(best.message) < 200 else "does not match any allowed shape"
    if err.validator == "additionalProperties":
        return err.message.replace("'", "")
    msg = err.message
    return msg if len(msg) < 200 else msg[:197] + "..."
