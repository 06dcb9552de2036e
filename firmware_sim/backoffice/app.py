"""The reference back office as a Starlette application implementing ``fieldtool/sync/openapi.yaml``.

Handlers are plain functions (Starlette runs them in its worker threads); each takes the database lock for
one transaction. Every request body is validated against the contract's schema and refused with the
validator's reasons; every reply has the contract's shape (the contract tests check both).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fieldtool.sync import contract
from firmware_sim.backoffice import auth, events, han, photos, plan
from firmware_sim.backoffice.db import BackOfficeDb, loads


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.status, self.code, self.details = status, code, details or []


class BackOffice:
    """State and behaviour of one back office; ``app`` is its ASGI application."""

    def __init__(self, db: BackOfficeDb, *, now: Callable[[], datetime] | None = None,
                 access_ttl: float = 3600.0, refresh_ttl: float = 30 * 86400.0, headend_key: str | None = None):
        self.db = db
        self.now = now or (lambda: datetime.now(UTC))
        self.ttl = {"access": access_ttl, "refresh": refresh_ttl}
        self.headend_key = headend_key
        self.app = Starlette(routes=[
            Route("/v1/devices/enroll", self._wrap(self.enroll), methods=["POST"]),
            Route("/v1/auth/login", self._wrap(self.login), methods=["POST"]),
            Route("/v1/auth/refresh", self._wrap(self.refresh), methods=["POST"]),
            Route("/v1/auth/logout", self._wrap(self.logout), methods=["POST"]),
            Route("/v1/me", self._wrap(self.me), methods=["GET"]),
            Route("/v1/work-orders", self._wrap(self.work_orders), methods=["GET"]),
            Route("/v1/work-orders/{id}", self._wrap(self.work_order), methods=["GET"]),
            Route("/v1/events", self._wrap(self.post_events), methods=["POST"]),
            Route("/v1/photos/{photo_id}", self._wrap(self.photo), methods=["PUT", "GET"]),
            Route("/v1/photos/{photo_id}/content", self._wrap(self.photo_chunk), methods=["PATCH"]),
            Route("/v1/verifications", self._wrap(self.verifications), methods=["GET"]),
            Route("/v1/meters/{meter_number}/registration", self._wrap(self.registration), methods=["GET"]),
            Route("/v1/programs", self._wrap(self.programs), methods=["GET"]),
            Route("/v1/inventory", self._wrap(self.inventory), methods=["GET"]),
            Route("/v1/customers", self._wrap(self.customers), methods=["GET"]),
            Route("/headend/v1/registrations", self._wrap(self.headend_registrations), methods=["POST"]),
            Route("/v1/han/sealing-key", self._wrap(self.han_sealing_key), methods=["GET"]),
            Route("/v1/meters/{meter_number}/han", self._wrap(self.meter_han), methods=["GET"]),
            Route("/headend/v1/han/requests", self._wrap(self.headend_han_requests), methods=["GET"]),
            Route("/headend/v1/han/status", self._wrap(self.headend_han_status), methods=["POST"]),
        ])

    # -- plumbing ---------------------------------------------------------------------------------------
    def _wrap(self, handler):
        async def endpoint(request: Request) -> Response:
            body = await request.body()
            try:
                result = await run_in_threadpool(handler, request, body)
            except HttpError as e:
                return JSONResponse({"error": str(e), "code": e.code, "details": e.details}, status_code=e.status)
            except auth.AuthError as e:
                return JSONResponse({"error": str(e), "code": e.code}, status_code=401)
            except plan.CursorError as e:
                return JSONResponse({"error": str(e), "code": "bad_cursor"}, status_code=400)
            except photos.PhotoError as e:
                payload = e.state if e.state is not None else {"error": str(e), "code": e.code}
                return JSONResponse(payload, status_code=e.status)
            if isinstance(result, Response):
                return result
            status, payload = result if isinstance(result, tuple) else (200, result)
            return JSONResponse(payload, status_code=status)

        return endpoint

    def _json(self, body: bytes, schema: str) -> dict:
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise HttpError(400, "not_json", f"The request body is not JSON: {e}.") from None
        found = contract.problems(schema, data)
        if found:
            raise HttpError(400, "invalid", "The request is not valid: " + "; ".join(found) + ".", found)
        return data

    def _who(self, c, request: Request) -> auth.Principal:
        return auth.authenticate(c, request.headers.get("authorization"), self.now())

    def _limit(self, request: Request) -> int:
        try:
            n = int(request.query_params.get("limit", "1000"))
        except ValueError:
            raise HttpError(400, "invalid", "limit must be a whole number.") from None
        if not 1 <= n <= 5000:
            raise HttpError(400, "invalid", "limit must be between 1 and 5000.")
        return n

    # -- auth -------------------------------------------------------------------------------------------
    def enroll(self, request, body):
        data = self._json(body, "EnrollRequest")
        with self.db.tx() as c:
            now = self.now()
            secret = auth.enroll(c, data["user"], data["password"], data["device_id"], data["device_name"], now)
        return 201, {"device_id": data["device_id"], "device_secret": secret, "enrolled_at": now.isoformat()}

    def login(self, request, body):
        data = self._json(body, "LoginRequest")
        with self.db.tx() as c:
            return auth.login(c, data["user"], data["password"], data["device_id"], data["device_secret"],
                              self.now(), self.ttl)

    def refresh(self, request, body):
        data = self._json(body, "RefreshRequest")
        with self.db.tx() as c:
            return auth.refresh(c, data["refresh_token"], data["device_id"], self.now(), self.ttl)

    def logout(self, request, body):
        with self.db.tx() as c:
            auth.revoke_pair(c, self._who(c, request).pair)
        return Response(status_code=204)

    def me(self, request, body):
        with self.db.tx() as c:
            return self._who(c, request).installer()

    # -- work ---------------------------------------------------------------------------------------------
    def work_orders(self, request, body):
        limit = self._limit(request)
        with self.db.tx() as c:
            out = plan.page(c, self._who(c, request), request.query_params.get("cursor"), limit)
        return {**out, "server_time": self.now().isoformat()}

    def work_order(self, request, body):
        with self.db.tx() as c:
            who = self._who(c, request)
            row = c.execute("SELECT district, data FROM work_orders WHERE id=?", (request.path_params["id"],)).fetchone()
        if row is None:
            raise HttpError(404, "not_found", f"There is no work order {request.path_params['id']}.")
        if row["district"] != who.district:
            raise HttpError(403, "forbidden", "This work order belongs to another district.")
        return loads(row["data"])

    def verifications(self, request, body):
        limit = self._limit(request)
        with self.db.tx() as c:
            out = plan.verifications_page(c, self._who(c, request), request.query_params.get("cursor"), limit)
        return {**out, "server_time": self.now().isoformat()}

    def registration(self, request, body):
        with self.db.tx() as c:
            self._who(c, request)
            return events.registration_view(c, request.path_params["meter_number"])

    def programs(self, request, body):
        with self.db.tx() as c:
            self._who(c, request)
            rows = c.execute("SELECT * FROM programs ORDER BY tariff").fetchall()
        return {"programs": [dict(r) for r in rows]}

    def inventory(self, request, body):
        with self.db.tx() as c:
            who = self._who(c, request)
            rows = c.execute("SELECT * FROM inventory WHERE district=? ORDER BY meter_number", (who.district,)).fetchall()
        items = [{k: r[k] for k in ("meter_number", "meter_type", "status", "holder", "location")} for r in rows]
        return {"installer_id": who.installer_id, "district": who.district,
                "issued": [i for i in items if i["status"] == "CheckedOut" and i["holder"] == who.installer_id],
                "district_stock": [i for i in items if i["status"] == "InInventory"],
                "server_time": self.now().isoformat()}

    def customers(self, request, body):
        account, address = request.query_params.get("account"), request.query_params.get("address")
        if not account and not (address and len(address) >= 3):
            raise HttpError(400, "invalid", "Give an account number, or at least three letters of the address.")
        with self.db.tx() as c:
            who = self._who(c, request)
            if account:
                rows = c.execute("SELECT * FROM customers WHERE district=? AND account_number=?",
                                 (who.district, account)).fetchall()
            else:
                rows = c.execute("SELECT * FROM customers WHERE district=? AND premise_address LIKE ? LIMIT 50",
                                 (who.district, f"%{address}%")).fetchall()
            out = []
            for r in rows:
                wos = c.execute("SELECT id FROM work_orders WHERE json_extract(data, '$.service_point.account_number')=?",
                                (r["account_number"],)).fetchall()
                out.append({**dict(r), "work_order_ids": [w["id"] for w in wos]})
        return {"customers": out}

    # -- events and photos ----------------------------------------------------------------------------------
    def post_events(self, request, body):
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise HttpError(400, "not_json", f"The request body is not JSON: {e}.") from None
        if not isinstance(data, dict) or not isinstance(data.get("events"), list) or not data["events"]:
            raise HttpError(400, "invalid", "The body must be an object with a non-empty list 'events'.")
        if len(data["events"]) > contract.MAX_BATCH:
            raise HttpError(413, "too_large", f"At most {contract.MAX_BATCH} events per batch.")
        with self.db.tx() as c:
            who = self._who(c, request)
            results = events.ingest(c, who, data["events"], self.now())
        return {"results": results, "server_time": self.now().isoformat()}

    def photo(self, request, body):
        photo_id = request.path_params["photo_id"]
        with self.db.tx() as c:
            who = self._who(c, request)
            if request.method == "GET":
                return photos.get(c, photo_id)
            if contract.problems("Uuid", photo_id):
                raise HttpError(400, "invalid", "The photo id must be a UUID.")
            return photos.announce(c, who, photo_id, self._json(body, "PhotoAnnounce"))

    def photo_chunk(self, request, body):
        try:
            offset = int(request.headers.get("upload-offset", ""))
        except ValueError:
            raise HttpError(400, "invalid", "The Upload-Offset header is missing or not a number.") from None
        with self.db.tx() as c:
            self._who(c, request)
            return photos.chunk(self.db, c, request.path_params["photo_id"], offset, body)

    # -- HAN (I1FR45) ---------------------------------------------------------------------------------------
    def han_sealing_key(self, request, body):
        with self.db.tx() as c:
            self._who(c, request)
            return han.sealing_key(c)

    def meter_han(self, request, body):
        with self.db.tx() as c:
            self._who(c, request)
            return han.status(c, request.path_params["meter_number"])

    def headend_han_requests(self, request, body):
        self._headend(request)
        with self.db.tx() as c:
            return han.pending(c)

    def headend_han_status(self, request, body):
        self._headend(request)
        data = self._json(body, "HanStatusReport")
        with self.db.tx() as c:
            return han.report(c, data, self.now().isoformat())

    # -- head-end -----------------------------------------------------------------------------------------
    def _headend(self, request) -> None:
        if not self.headend_key or request.headers.get("authorization") != f"Bearer {self.headend_key}":
            raise HttpError(401, "token_invalid", "The head-end key is missing or wrong.")

    def headend_registrations(self, request, body):
        self._headend(request)
        data = self._json(body, "HeadEndReport")
        with self.db.tx() as c:
            recorded, made = events.head_end_report(c, data["registrations"], self.now().isoformat())
        return {"recorded": recorded, "verifications": made}
