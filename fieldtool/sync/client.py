"""The HTTP client of the back-office contract (httpx, synchronous; no Qt).

Rules: https always with certificate verification (the system's CAs, or ``sync.ca_bundle``); plain http
only to a loopback address (the local demo). Every reply is checked against the contract before it is
used, so a malformed reply is a clear ``BadReply`` and never half-applied. Errors say in words what
happened and whether trying again later can help (``transient``).

Tokens: the access token's lifetime is counted on *this* machine's clock from when it was received
(``expires_in``), so a laptop whose clock is hours off still refreshes on time. A refreshed session is
handed to ``on_session`` (which keeps it in the vault) before it is used.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import fastjsonschema
import httpx

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.errors import InputError, UserFacingError
from fieldtool.sync import contract
from fieldtool.sync.settings import SyncSettings


class SyncError(UserFacingError):
    """Talking to the back office failed; ``transient`` says whether a later retry can help."""

    transient = True


class Offline(SyncError):
    """No answer: no network, refused, timed out, or the connection broke."""


class ServerTrouble(SyncError):
    """The back office answered with a 5xx."""


class BadReply(SyncError):
    """The reply does not follow the contract (not JSON, wrong shape); nothing of it was used."""


class SignedOut(SyncError):
    """No usable sign-in (expired refresh, revoked, never logged in): a person must log in again."""

    transient = False


class Refused(SyncError):
    """The back office refused the request (4xx); ``code`` is its machine code."""

    transient = False

    def __init__(self, message: str, code: str = "", status: int = 0):
        super().__init__(message)
        self.code, self.status = code, status


def check_server_url(url: str) -> str:
    """The base URL without a trailing slash; refuses anything but https, or http to loopback."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InputError(f"{url!r} is not a back-office address.", hint="Give it like https://backoffice.example.net")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise InputError(f"Plain http to {parts.hostname} would send the installer's data unencrypted.",
                         hint="Use https; plain http is accepted only for a local demo on 127.0.0.1.")
    return url.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Session:
    """A signed-in device: what the vault keeps (as JSON) between runs."""

    server: str
    user: str
    device_id: str
    device_secret: str
    access_token: str = ""
    refresh_token: str = ""
    expires_in: float = 0.0
    obtained_at: str = ""  # this machine's wall clock when the token arrived
    installer: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Session:
        try:
            return cls(**json.loads(text))
        except (TypeError, ValueError) as e:
            raise InputError("The saved back-office sign-in is unreadable; log in again.") from e

    def remaining(self, now: datetime) -> float:
        if not self.access_token or not self.obtained_at:
            return 0.0
        return self.expires_in - (now - datetime.fromisoformat(self.obtained_at)).total_seconds()


class BackOfficeClient:
    """One back office. Thread rule: one client per thread (the drain worker has its own)."""

    def __init__(self, server: str, settings: SyncSettings | None = None, *, clock: Clock = SYSTEM_CLOCK,
                 session: Session | None = None, on_session: Callable[[Session], None] | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.server = check_server_url(server)
        self.settings = settings or SyncSettings()
        self.clock = clock
        self.session = session
        self.on_session = on_session
        self.server_skew_s: float | None = None
        s = self.settings
        verify: Any = True
        if s.ca_bundle:
            try:
                verify = ssl.create_default_context(cafile=s.ca_bundle)
            except (OSError, ssl.SSLError) as e:
                raise InputError(f"The CA bundle {s.ca_bundle} cannot be read: {e}.") from e
        self.http = httpx.Client(
            base_url=self.server, verify=verify, transport=transport, follow_redirects=False,
            timeout=httpx.Timeout(s.read_timeout_s, connect=s.connect_timeout_s),
            headers={"User-Agent": "fieldtool-sync/1"},
        )

    def close(self) -> None:
        self.http.close()

    # -- the one request path ------------------------------------------------------------------------------
    def request(self, method: str, path: str, *, schema: str | None = None, authed: bool = True,
                retry_auth: bool = True, ok: tuple[int, ...] = (200,), **kw) -> Any:
        """Send, check the status and the reply's shape; returns the parsed JSON (None for 204)."""
        headers = dict(kw.pop("headers", None) or {})
        if authed:
            if self.session is None or not self.session.refresh_token:
                raise SignedOut("This laptop is not signed in to the back office.", hint="Run fieldtool login.")
            if self.session.remaining(self.clock.now()) < self.settings.refresh_margin_s:
                self.refresh()
            headers["Authorization"] = f"Bearer {self.session.access_token}"
        try:
            r = self.http.request(method, path, headers=headers, **kw)
        except httpx.TimeoutException as e:
            raise Offline(f"The back office did not answer in time ({type(e).__name__}).") from e
        except httpx.TransportError as e:
            raise Offline(f"The back office cannot be reached: {str(e).rstrip('.') or type(e).__name__}.") from e
        if r.status_code == 401 and authed and retry_auth and self._error(r)[1] == "token_expired":
            self.refresh()
            return self.request(method, path, schema=schema, authed=True, retry_auth=False, ok=ok,
                                headers={k: v for k, v in headers.items() if k != "Authorization"}, **kw)
        return self._reply(r, schema, ok)

    def _error(self, r: httpx.Response) -> tuple[str, str]:
        try:
            data = r.json()
            return str(data.get("error") or ""), str(data.get("code") or "")
        except (ValueError, AttributeError):
            return "", ""

    def _reply(self, r: httpx.Response, schema: str | None, ok: tuple[int, ...]) -> Any:
        if r.status_code >= 500:
            raise ServerTrouble(f"The back office has a problem (HTTP {r.status_code}); will try again later.")
        if r.status_code not in ok:
            message, code = self._error(r)
            if r.status_code == 401:
                raise SignedOut(message or "The back office no longer accepts this sign-in.", hint="Log in again.")
            raise Refused(message or f"The back office refused the request (HTTP {r.status_code}).", code,
                          r.status_code)
        if r.status_code == 204:
            return None
        try:
            data = r.json()
        except (ValueError, UnicodeDecodeError) as e:
            raise BadReply(f"The back office's reply is not JSON ({e}); nothing of it was used.") from e
        if schema:
            found = contract.problems(schema, data, limit=3)
            if found:
                raise BadReply("The back office's reply does not follow the contract: " + "; ".join(found)
                               + ". Nothing of it was used.")
        if isinstance(data, dict) and isinstance(data.get("server_time"), str):
            server = datetime.fromisoformat(data["server_time"].replace("Z", "+00:00"))
            self.server_skew_s = (self.clock.now() - server).total_seconds()
        return data

    # -- sign-in -------------------------------------------------------------------------------------------
    def enroll(self, user: str, password: str, device_id: str, device_name: str) -> str:
        body = {"user": user, "password": password, "device_id": device_id, "device_name": device_name}
        data = self.request("POST", "/v1/devices/enroll", json=body, schema="EnrollResponse", authed=False, ok=(201,))
        return data["device_secret"]

    def login(self, user: str, password: str, device_id: str, device_secret: str) -> Session:
        body = {"user": user, "password": password, "device_id": device_id, "device_secret": device_secret}
        data = self.request("POST", "/v1/auth/login", json=body, schema="TokenResponse", authed=False)
        return self._take(Session(self.server, user, device_id, device_secret), data)

    def refresh(self) -> Session:
        s = self.session
        if s is None or not s.refresh_token:
            raise SignedOut("This laptop is not signed in to the back office.", hint="Run fieldtool login.")
        data = self.request("POST", "/v1/auth/refresh", json={"refresh_token": s.refresh_token, "device_id": s.device_id},
                            schema="TokenResponse", authed=False)
        return self._take(s, data)

    def _take(self, base: Session, data: dict) -> Session:
        # Count the lifetime from our clock now (minus nothing: a late reply only makes us refresh early).
        session = replace(base, access_token=data["access_token"], refresh_token=data["refresh_token"],
                          expires_in=float(data["expires_in"]), obtained_at=self.clock.now().isoformat(),
                          installer=data["installer"])
        if self.on_session:
            self.on_session(session)
        self.session = session
        return session

    def logout(self) -> None:
        self.request("POST", "/v1/auth/logout", ok=(204,))

    # -- the contract's operations -------------------------------------------------------------------------
    def post_events(self, events: list[dict]) -> list[dict]:
        """One result per event, in the same order (checked: a reply that does not match is a BadReply)."""
        body = {"sent_at": self.clock.now().isoformat(), "events": events}
        data = self.request("POST", "/v1/events", json=body, schema="BatchResult")
        results = data["results"]
        if [r["id"] for r in results] != [e["id"] for e in events]:
            raise BadReply("The back office answered for other events than the ones sent; nothing was marked.")
        return results

    def work_orders(self, cursor: str | None, limit: int | None = None) -> dict:
        """One page of work-order changes. The envelope is checked here; each work order is checked when
        it is converted (``WorkOrder`` via the domain codec), which names the bad field."""
        params = {"limit": limit or self.settings.page_size, **({"cursor": cursor} if cursor else {})}
        page = self.request("GET", "/v1/work-orders", params=params)
        try:
            contract.envelope("WorkOrderPage")(page)
        except fastjsonschema.JsonSchemaException as e:
            raise BadReply(f"The back office's page of work orders does not follow the contract: {e.message}. "
                           "Nothing of it was used.") from None
        return page

    def verifications(self, cursor: str | None, limit: int | None = None) -> dict:
        params = {"limit": limit or self.settings.page_size, **({"cursor": cursor} if cursor else {})}
        return self.request("GET", "/v1/verifications", params=params, schema="VerificationPage")

    def registration(self, meter_number: str) -> dict:
        return self.request("GET", f"/v1/meters/{meter_number}/registration", schema="Registration")

    def programs(self) -> list[dict]:
        return self.request("GET", "/v1/programs", schema="ProgramList")["programs"]

    def inventory(self) -> dict:
        return self.request("GET", "/v1/inventory", schema="Inventory")

    def customers(self, account: str | None = None, address: str | None = None) -> list[dict]:
        params = {k: v for k, v in (("account", account), ("address", address)) if v}
        return self.request("GET", "/v1/customers", params=params, schema="CustomerList")["customers"]

    def upload_photo(self, photo_id: str, data: bytes, sha256: str, job_id: str | None,
                     content_type: str = "image/jpeg") -> dict:
        """Upload a photo's bytes, resuming where the back office stands; returns the final upload state."""
        state = self.request("PUT", f"/v1/photos/{photo_id}", schema="PhotoUpload",
                             json={"sha256": sha256, "size": len(data), "content_type": content_type, "job_id": job_id})
        step = max(1, min(self.settings.photo_chunk_bytes, state["chunk_size"]))
        while not state["complete"]:
            at = state["received"]
            try:
                state = self.request("PATCH", f"/v1/photos/{photo_id}/content", schema="PhotoUpload",
                                     content=data[at:at + step],
                                     headers={"Upload-Offset": str(at), "Content-Type": "application/offset+octet-stream"})
            except Refused as e:
                if e.status != 409:
                    raise
                # A chunk whose reply was lost: ask where the back office stands and go on from there.
                state = self.request("GET", f"/v1/photos/{photo_id}", schema="PhotoUpload")
        return state

