"""Contract tests: the OpenAPI document is sound, the domain model and the document agree, and a whole
client session against the reference back office is checked request by request and reply by reply
against the document (paths, methods, statuses, bodies)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import uuid

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from fieldtool.domain import model
from fieldtool.sync import contract
from fieldtool.sync.client import BackOfficeClient
from firmware_sim.backoffice.headend import HeadEndReporter
from firmware_sim.backoffice.seed import DEMO_PASSWORD
from tests.sync.conftest import FAST, HEADEND_KEY
from tests.sync.test_backoffice import event, exchange

DOC = contract.document()


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def test_the_document_is_sound():
    assert DOC["openapi"].startswith("3.1")
    for ref in set(_refs(DOC)):
        node = DOC
        for part in ref.lstrip("#/").split("/"):
            node = node[part]  # every $ref resolves
    for name, schema in DOC["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        contract.validator(name)
    assert all(p.startswith(("/v1/", "/headend/v1/")) for p in DOC["paths"])
    kinds = DOC["components"]["schemas"]["Event"]["properties"]["kind"]["enum"]
    assert tuple(kinds) == contract.EVENT_KINDS


def test_the_work_order_schema_is_the_domain_model():
    pairs = {"WorkOrder": model.WorkOrder, "ServicePoint": model.ServicePoint, "PlannedRemoval": model.PlannedRemoval,
             "PlannedInstall": model.PlannedInstall, "PlannedHanDevice": model.PlannedHanDevice,
             "Tolerances": model.Tolerances, "LegacyIds": model.LegacyIds}
    for name, cls in pairs.items():
        props = set(DOC["components"]["schemas"][name]["properties"])
        assert props == {f.name for f in dataclasses.fields(cls)}, name
    wo = model.WorkOrder(
        "WO-1", model.WorkOrderKind.EXCHANGE, model.WorkOrderStatus.OPEN,
        model.ServicePoint("ISP-1", "AC1", "A Customer", "1 Main St", 45.5, -73.6, hazards=("dog",)),
        "north", "R1", removal=model.PlannedRemoval("L1", "2S", last_read=10.0),
        install=model.PlannedInstall("AMI", "2S", tariff="RES"),
        han_devices=(model.PlannedHanDevice("0013A20040B5F1C2", "thermostat"),))
    from fieldtool.domain.codec import to_data

    assert contract.problems("WorkOrder", to_data(wo)) == []


def _operation(method: str, path: str):
    for template, ops in DOC["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in ops:
            return template, ops[method.lower()]
    raise AssertionError(f"{method} {path} is not in the contract")


def _schema_of(node) -> dict | None:
    if "$ref" in node:
        node = DOC["components"]["responses"][node["$ref"].rsplit("/", 1)[1]]
    content = node.get("content", {})
    for media in ("application/json",):
        if media in content:
            return content[media]["schema"]
    return None


def _check(schema: dict, value, what: str) -> None:
    v = Draft202012Validator({**schema, "components": DOC["components"]})
    errors = [e.message for e in v.iter_errors(value)]
    assert not errors, f"{what}: {errors[:3]}"


class Recording(httpx.BaseTransport):
    """Forwards to the real server and checks every exchange against the contract."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.seen: set[tuple[str, str, int]] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        template, op = _operation(request.method, request.url.path)
        body = request.read()
        if "requestBody" in op:
            schema = _schema_of(op["requestBody"])
            if schema is not None:
                _check(schema, json.loads(body), f"request {request.method} {template}")
        response = self.inner.handle_request(request)
        response.read()
        status = str(response.status_code)
        assert status in op["responses"], f"{request.method} {template} answered {status}, not in the contract"
        schema = _schema_of(op["responses"][status])
        if schema is not None:
            _check(schema, response.json(), f"reply {status} to {request.method} {template}")
        self.seen.add((request.method, template, response.status_code))
        return response


def test_a_whole_session_follows_the_contract(backoffice):
    rec = Recording()
    client = BackOfficeClient(backoffice.url, FAST, transport=rec)
    device = str(uuid.uuid4())
    secret = client.enroll("inst-001", DEMO_PASSWORD, device, "laptop")
    client.login("inst-001", DEMO_PASSWORD, device, secret)
    client.request("GET", "/v1/me", schema="Installer")
    client.work_orders(None, limit=3)
    client.request("GET", "/v1/work-orders/WO-N00001", schema="WorkOrder")
    data = b"jpeg bytes " * 50
    digest = hashlib.sha256(data).hexdigest()
    pid = str(uuid.uuid4())
    client.upload_photo(pid, data, digest, "WO-N00001")
    client.request("GET", f"/v1/photos/{pid}", schema="PhotoUpload")
    taken = {"photo_id": pid, "sha256": digest, "size": len(data), "taken_at": "2026-11-26T09:00:00Z"}
    ev = exchange()
    client.post_events([event(), ev, event("photo", payload=taken)])
    client.post_events([ev])
    HeadEndReporter(backoffice.url, HEADEND_KEY).heard("AMI900001", form="2S", program_id="PRG-RES-FLAT-01")
    client.verifications(None)
    client.registration("AMI900001")
    client.programs()
    client.inventory()
    client.customers(account="ACN100001")
    client.request("GET", "/v1/han/sealing-key", schema="HanSealingKey")
    client.request("GET", "/v1/meters/AMI900001/han", schema="HanStatus")
    client.refresh()
    for bad in ("/v1/work-orders?cursor=zzz", "/v1/customers"):
        try:
            client.request("GET", bad)
        except Exception:
            pass
    try:
        client.request("GET", "/v1/work-orders/WO-S00001")
    except Exception:
        pass
    client.logout()
    statuses = {(m, t): s for m, t, s in rec.seen}
    assert statuses[("POST", "/v1/events")] == 200
    assert ("GET", "/v1/work-orders/{id}", 403) in rec.seen
    assert ("GET", "/v1/work-orders", 400) in rec.seen
    assert ("POST", "/v1/auth/logout", 204) in rec.seen
    ops = {(m.upper(), t) for t, o in DOC["paths"].items() for m in o if not t.startswith("/headend")}
    assert ops - {(m, t) for m, t, _ in rec.seen} == set()  # every client operation was exercised


def test_the_server_serves_exactly_the_contracts_paths(backoffice):
    routes = {(m, r.path) for r in backoffice.backoffice.app.routes for m in r.methods if m != "HEAD"}
    documented = {(m.upper(), t) for t, o in DOC["paths"].items() for m in o}
    assert routes == documented


VALID_EVENT = event()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_compiled_check_and_the_reference_validator_agree(data):
    """The fast compiled check must never accept what jsonschema (the reference) refuses."""
    ev = json.loads(json.dumps(VALID_EVENT))
    for _ in range(data.draw(st.integers(0, 3))):
        target = data.draw(st.sampled_from(["top", "payload"]))
        node = ev["payload"] if target == "payload" and isinstance(ev.get("payload"), dict) else ev
        key = data.draw(st.sampled_from(sorted(node) + ["extra"]))
        action = data.draw(st.sampled_from(["drop", "set"]))
        if action == "drop":
            node.pop(key, None)
        else:
            node[key] = data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=8), st.booleans(),
                                            st.lists(st.integers(), max_size=2), st.sampled_from(contract.EVENT_KINDS)))
    reference = not list(contract.validator("Event").iter_errors(ev))
    try:
        contract.fast("Event")(ev)
        fast = True
    except Exception:
        fast = False
    assert fast == reference, ev
