"""The reference back office over real HTTP: de-duplication, validation, districts, cursors, step 8, I1BR5,
photos, tokens, persistence, TLS."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtool.sync.client import BackOfficeClient, Offline, Refused, SignedOut
from firmware_sim.backoffice import plan
from firmware_sim.backoffice.headend import HeadEndReporter
from tests.sync.conftest import FAST, HEADEND_KEY, signed_in, start_backoffice

NOW = "2026-11-26T09:00:00+00:00"


def event(kind="transition", job="WO-N00001", payload=None, **kw):
    payload = payload or {"from_state": "open", "to_state": "arrived", "event": "Arrived", "actor": "inst-001",
                          "at": NOW}
    return {"id": str(uuid.uuid4()), "kind": kind, "schema_version": 1, "correlation_id": str(uuid.uuid4()),
            "job_id": job, "occurred_at": NOW, "event_type": None, "payload": payload, **kw}


def exchange(job="WO-N00001", old="LN700001", new="AMI900001", form="2S", read=None, position=None):
    first = (read or {}).get("final", 41000.0)
    return event("soft_registration", job, {
        "work_kind": "exchange",
        "service_point": {"isp_number": "ISP-N000001", "account_number": "ACN100001"},
        "old_meter": {"meter_number": old, "form": "2S", "readings": [
            {"register": "kwh_delivered", "value": first, "unit": "kWh", "read_at": NOW, "reason": "removal"}]},
        "new_meter": {"meter_number": new, "form": form, "program_id": None, "readings": [
            {"register": "kwh_delivered", "value": 0.0, "unit": "kWh", "read_at": NOW, "reason": "installation"}]},
        "position": position,
        "completed_at": NOW,
        "registration": {"status": "soft", "seen_at": None, "network": None, "reason": "not heard yet"},
    }, event_type={"code": "3.6.0.52", "description": "meter replaced (exchange)"})


def expected_read(plan: dict) -> float:
    r = plan["removal"]
    days = (datetime.fromisoformat(NOW).date() - datetime.fromisoformat(r["last_read_date"]).date()).days
    return r["last_read"] + r["avg_daily_usage"] * days


def test_duplicate_is_fine_conflicting_duplicate_is_rejected_and_kept(backoffice):
    client = signed_in(backoffice.url)
    ev = event()
    assert client.post_events([ev])[0]["status"] == "accepted"
    assert client.post_events([ev])[0]["status"] == "duplicate"
    changed = {**ev, "payload": {**ev["payload"], "to_state": "somewhere else"}}
    res = client.post_events([changed])[0]
    assert res["status"] == "rejected" and res["code"] == "conflict"
    assert "different event with this id" in res["reason"]
    with backoffice.backoffice.db.tx() as c:
        kept = c.execute("SELECT code, body FROM refused_events WHERE event_id=?", (ev["id"],)).fetchall()
        held = c.execute("SELECT body FROM events WHERE id=?", (ev["id"],)).fetchone()
    assert [k["code"] for k in kept] == ["conflict"] and "somewhere else" in kept[0]["body"]
    assert "somewhere else" not in held["body"]  # the first body stands


def test_invalid_events_get_reasons_and_the_rest_of_the_batch_goes_on(backoffice):
    client = signed_in(backoffice.url)
    bad = event(payload={"from_state": "open"})
    results = client.post_events([event(), bad, event(kind="teleport"), event()])
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "accepted"]
    assert "to_state is a required property" in results[1]["reason"]
    assert "kind" in results[2]["reason"]


def test_an_installer_cannot_read_or_write_another_districts_jobs(backoffice):
    north, south = signed_in(backoffice.url), signed_in(backoffice.url, "inst-002")
    south_ids = {i["id"] for i in south.work_orders(None)["items"]}
    assert south_ids == {"WO-S00001", "WO-S00002", "WO-S00003"}
    assert not any(i["id"].startswith("WO-S") for i in north.work_orders(None)["items"])
    with pytest.raises(Refused) as e:
        north.request("GET", "/v1/work-orders/WO-S00001")
    assert e.value.status == 403
    res = north.post_events([event(job="WO-S00001")])[0]
    assert res["code"] == "forbidden" and "another district" in res["reason"]
    assert north.post_events([event(job="WO-X1")])[0]["code"] == "unknown_job"
    assert {c["district"] for c in north.customers(address="street")} <= {"north"}


def test_cursor_pull_is_incremental_with_changes_cancellations_and_reassignments(backoffice):
    client = signed_in(backoffice.url)
    other = signed_in(backoffice.url, "sup-001")
    first = client.work_orders(None, limit=5)
    assert len(first["items"]) == 5 and first["has_more"]
    rest = client.work_orders(first["next_cursor"], limit=100)
    assert len(rest["items"]) == 7 and not rest["has_more"]
    assert client.work_orders(rest["next_cursor"])["items"] == []
    db = backoffice.backoffice.db
    now = datetime.now(UTC)
    with db.tx() as c:
        wos = {r["id"]: __import__("json").loads(r["data"]) for r in c.execute("SELECT id, data FROM work_orders")}
        plan.put(db, c, {**wos["WO-N00002"], "route": "NORTH-R09"}, now)
        plan.put(db, c, {**wos["WO-N00003"], "status": "cancelled"}, now)
        plan.put(db, c, {**wos["WO-N00004"], "installer_id": "sup-001"}, now)
    changes = {i["id"]: i for i in client.work_orders(rest["next_cursor"])["items"]}
    assert changes["WO-N00002"]["change"] == "upsert" and changes["WO-N00002"]["revision"] == 1
    assert changes["WO-N00002"]["work_order"]["route"] == "NORTH-R09"
    assert changes["WO-N00003"]["change"] == "cancelled"
    assert changes["WO-N00004"] == {**changes["WO-N00004"], "change": "reassigned", "work_order": None}
    assert [i["id"] for i in other.work_orders(None)["items"]] == ["WO-N00004"]
    with pytest.raises(Refused) as e:
        client.work_orders("not-a-cursor")
    assert e.value.status == 400 and "cursor" in str(e.value)


def test_step_8_waits_for_the_head_end_and_manual_route_until_heard(backoffice):
    client = signed_in(backoffice.url)
    assert client.registration("LN700001")["manual_read_route"] is True  # the legacy meter is read by hand
    ev = exchange(form="2S", read={"final": expected_read(client.request("GET", "/v1/work-orders/WO-N00001"))})
    assert client.post_events([ev])[0]["status"] == "accepted"
    reg = client.registration("AMI900001")
    assert reg["registered"] is False and reg["manual_read_route"] is True  # I1BR5
    assert client.registration("LN700001")["manual_read_route"] is False  # removed
    assert client.verifications(None)["items"] == []  # nothing heard yet: no verdict
    head_end = HeadEndReporter(backoffice.url, HEADEND_KEY)
    ack = head_end.heard("AMI900001", form="12S", program_id="PRG-DEFAULT", comm_address="rf:00:11",
                         reads=[{"register": "kwh_delivered", "value": 1.5, "unit": "kWh",
                                 "read_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}])
    assert ack == {"recorded": 1, "verifications": 3}
    reg = client.registration("AMI900001")
    assert reg["registered"] is True and reg["manual_read_route"] is False and reg["form"] == "12S"
    page = client.verifications(None)
    by_step = {v["step"]: v for v in page["items"]}
    assert by_step["8.1"]["outcome"] == "discrepancy" and by_step["8.1"]["correlation_id"] == ev["correlation_id"]
    assert [d["field"] for d in by_step["8.1"]["discrepancies"]] == ["new_meter.form"]
    assert by_step["8.2"]["outcome"] == "program_change_required"
    assert by_step["8.2"]["program"] == {"intended": "PRG-RES-FLAT-01", "reported": "PRG-DEFAULT"}
    assert by_step["8.2"]["event_type"]["code"] == "3.9.83.159"
    assert by_step["8.3"]["outcome"] == "program_change_sent"
    assert client.verifications(page["next_cursor"])["items"] == []
    with pytest.raises(httpx.HTTPStatusError):
        HeadEndReporter(backoffice.url, "wrong key").heard("AMI900002")


def test_step_8_against_the_plan_when_the_meter_was_heard_first(backoffice):
    client = signed_in(backoffice.url)
    HeadEndReporter(backoffice.url, HEADEND_KEY).heard("AMI900002", form="2S", program_id="PRG-RES-TOU-02")
    far = {"lat": 10.0, "lon": 10.0, "accuracy_m": 5.0}
    ev = exchange(job="WO-N00002", old="LN999999", new="AMI900002", read={"final": 1.0}, position=far)
    client.post_events([ev])
    items = client.verifications(None)["items"]
    fields = [d["field"] for d in items[0]["discrepancies"]]
    assert fields == ["old_meter.meter_number", "old_meter.final_read", "position"]
    assert items[1]["outcome"] == "program_ok"


def test_photos_upload_in_chunks_resume_and_check_sha256(backoffice):
    client = signed_in(backoffice.url, settings=FAST.__class__(**{**FAST.__dict__, "photo_chunk_bytes": 1000}))
    data = bytes(range(256)) * 20
    digest = hashlib.sha256(data).hexdigest()
    pid = str(uuid.uuid4())
    payload = {"photo_id": pid, "sha256": digest, "size": len(data), "taken_at": NOW}
    assert client.post_events([event("photo", payload=payload)])[0]["code"] == "photo_incomplete"
    client.request("PUT", f"/v1/photos/{pid}", json={"sha256": digest, "size": len(data)}, schema="PhotoUpload")
    client.request("PATCH", f"/v1/photos/{pid}/content", content=data[:1000], headers={"Upload-Offset": "0"})
    with pytest.raises(Refused) as e:  # a chunk at the wrong offset is refused with where to resume
        client.request("PATCH", f"/v1/photos/{pid}/content", content=data[:10], headers={"Upload-Offset": "5"})
    assert e.value.status == 409
    state = client.upload_photo(pid, data, digest, "WO-N00001")  # resumes at 1000
    assert state["complete"] and state["received"] == len(data)
    assert (backoffice.backoffice.db.photo_dir / pid).read_bytes() == data
    assert client.post_events([event("photo", payload=payload)])[0]["status"] == "accepted"
    bad = str(uuid.uuid4())
    with pytest.raises(Refused) as e:
        client.upload_photo(bad, data, "0" * 64, None)
    assert e.value.status == 422 and "SHA-256" in str(e.value)


def test_expired_refreshed_and_revoked_tokens(backoffice, server_clock):
    client = signed_in(backoffice.url)
    old_access = client.session.access_token
    server_clock.offset = timedelta(hours=2)  # the access token (1 h) ran out on the server's clock
    assert client.work_orders(None)["items"]  # 401 token_expired -> refresh -> retried
    assert client.session.access_token != old_access
    stale = BackOfficeClient(backoffice.url, FAST, session=client.session.__class__(
        **{**client.session.__dict__, "access_token": old_access}))
    with pytest.raises(SignedOut):  # the old pair is gone once the new one was used
        stale.request("GET", "/v1/me", retry_auth=False)
    with backoffice.backoffice.db.tx() as c:
        from firmware_sim.backoffice.auth import revoke_installer

        assert revoke_installer(c, "inst-001") >= 2
    with pytest.raises(SignedOut) as e:
        client.me = client.request("GET", "/v1/me")
    assert "withdrawn" in str(e.value)


def test_the_store_survives_a_restart(tmp_path):
    path = tmp_path / "bo.db"
    running = start_backoffice(path)
    client = signed_in(running.url)
    ev = event()
    client.post_events([ev])
    session = client.session
    running.stop()
    running.backoffice.db.close()
    running = start_backoffice(path)  # same file; seeding again adds nothing
    try:
        again = BackOfficeClient(running.url, FAST, session=session)
        assert again.post_events([ev])[0]["status"] == "duplicate"
        assert len(again.work_orders(None)["items"]) == 12
    finally:
        running.stop()
        running.backoffice.db.close()


def test_tls_with_the_self_signed_certificate(tmp_path):
    running = start_backoffice(tmp_path / "bo.db", tls_dir=tmp_path / "tls")
    try:
        assert running.url.startswith("https://")
        trusting = FAST.__class__(**{**FAST.__dict__, "ca_bundle": str(running.ca_file)})
        assert signed_in(running.url, settings=trusting).work_orders(None)["items"]
        with pytest.raises(Offline) as e:  # without the bundle the certificate is not trusted
            signed_in(running.url)
        assert "CERTIFICATE_VERIFY_FAILED" in str(e.value)
    finally:
        running.stop()
        running.backoffice.db.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(st.one_of(
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=12),
    st.builds(lambda kind, payload: {**event(), "kind": kind, "payload": payload},
              st.sampled_from(["transition", "soft_registration", "custody", "photo", "x"]),
              st.dictionaries(st.sampled_from(["old_meter", "new_meter", "action", "asset_ids", "photo_id"]),
                              st.none() | st.text(max_size=5) | st.lists(st.text(max_size=3), max_size=2))),
), min_size=1, max_size=6))
def test_any_batch_gets_a_result_per_event_never_a_crash(backoffice, events):
    """Whatever a (buggy or hostile) client sends in a batch, each item gets a result with a reason."""
    if backoffice.url not in _CLIENTS:  # one sign-in per back office, not one per example
        _CLIENTS[backoffice.url] = signed_in(backoffice.url)
    client = _CLIENTS[backoffice.url]
    r = client.http.post("/v1/events", json={"events": events},
                         headers={"Authorization": f"Bearer {client.session.access_token}"})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert len(results) == len(events)
    assert all(r["status"] in ("accepted", "duplicate", "rejected") for r in results)
    assert all(r["reason"] for r in results if r["status"] == "rejected")


_CLIENTS: dict = {}


def test_a_refresh_whose_reply_is_lost_does_not_sign_the_laptop_out(backoffice):
    from firmware_sim.backoffice.faultproxy import FaultProxy, Faults

    proxy = FaultProxy(backoffice.url, Faults(paths=("/v1/auth/refresh",))).start()
    try:
        client = signed_in(proxy.url)
        before = client.session
        proxy.faults.rates["cut"] = 1.0  # the back office issues new tokens; the reply never arrives
        with pytest.raises(Offline):
            client.refresh()
        assert client.session == before
        proxy.faults.rates.clear()
        client.refresh()  # the old refresh token still works: the lost pair was never used
        assert client.request("GET", "/v1/me")["id"] == "inst-001"
        stale = BackOfficeClient(proxy.url, FAST, session=before)
        with pytest.raises(SignedOut):  # ... but once the new pair is used, the old one is gone
            stale.request("GET", "/v1/me", retry_auth=False)
    finally:
        proxy.stop()
