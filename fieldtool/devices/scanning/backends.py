"""Barcode decoder backends: one small interface, two libraries, the same symbology names.

``ZxingBackend`` (zxing-cpp, the default) reads DataMatrix, Code 39 Full ASCII and tells GS1 from plain
symbols; ``ZbarBackend`` (pyzbar over Debian's ``libzbar0``) is selectable where a site prefers it. It has
no DataMatrix decoder, returns Code 39 Full ASCII unexpanded and cannot say whether a Code 128 is GS1-128
(``gs1`` is then ``None``: unknown), as measured in docs/field-data.md A2.

A backend is stateless and thread-safe: ``decode(gray)`` takes an 8-bit single-channel image.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from fieldtool.domain.errors import InputError

Point = tuple[int, int]

# The names every backend reports (zxing-cpp's names without spaces).
SYMBOLOGIES = (
    "QRCode", "MicroQRCode", "RMQRCode", "DataMatrix", "Aztec", "PDF417", "MaxiCode",
    "Code128", "Code39", "Code93", "ITF", "Codabar", "EAN13", "EAN8", "UPCA", "UPCE",
    "DataBar", "DataBarExpanded", "DataBarLimited",
)  # fmt: skip


@dataclass(frozen=True)
class Symbol:
    """One decoded symbol.

    ``gs1`` is True/False when the backend knows (FNC1 in first position, ``]C1``/``]d2``/``]Q3``), None
    when it cannot tell. ``position`` is the four corners (top-left, top-right, bottom-right, bottom-left)
    in the coordinates of the frame handed to the decoder. ``found_by`` names the pipeline step that
    read it (``first`` for the first pass).
    """

    symbology: str
    text: str
    raw: bytes
    gs1: bool | None
    position: tuple[Point, Point, Point, Point]
    backend: str = ""
    found_by: str = "first"

    @property
    def key(self) -> tuple[str, str]:
        return (self.symbology, self.text)

    @property
    def center(self) -> tuple[float, float]:
        return (sum(p[0] for p in self.position) / 4, sum(p[1] for p in self.position) / 4)

    def moved(self, transform, found_by: str) -> Symbol:
        """The same symbol found by step ``found_by``, its corners mapped through ``transform(points)``."""
        pts = transform(np.array(self.position, dtype=np.float64))
        pos = tuple((int(round(x)), int(round(y))) for x, y in pts)
        return replace(self, position=pos, found_by=found_by)


class Backend(Protocol):
    name: str

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[Symbol]:
        """Every symbol found in an 8-bit grayscale image (``fast``: skip the library's own retries)."""
        ...


class ZxingBackend:
    """zxing-cpp. Text in ``Plain`` mode, so GS1 data keeps its GS separators instead of ``(AI)`` brackets."""

    name = "zxing"

    def __init__(self, symbologies: list[str] | None = None):
        import zxingcpp

        self._z = zxingcpp
        self._formats = _zxing_formats(zxingcpp, symbologies)

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[Symbol]:
        z = self._z
        found = z.read_barcodes(
            gray,
            formats=self._formats,
            try_rotate=True,
            try_downscale=not fast,
            try_invert=not fast,
            text_mode=z.TextMode.Plain,
        )
        out = []
        for b in found:
            p = b.position
            pos = tuple((c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
            gs1 = b.content_type == z.ContentType.GS1 or b.symbology_identifier in ("]C1", "]d2", "]Q3", "]e0")
            name, text = _ean_upc(_ZXING_NAMES.get(b.format.name, b.format.name), b.text)
            out.append(Symbol(name, text, text.encode("latin-1", "replace") if name in _EAN_UPC else bytes(b.bytes),
                              gs1, pos, self.name))  # fmt: skip
        return out


_ZXING_NAMES = {"DataBarExp": "DataBarExpanded", "DataBarLtd": "DataBarLimited", "AztecCode": "Aztec",
                "Code39Ext": "Code39", "Code39Std": "Code39"}  # fmt: skip
_EAN_UPC = ("EAN13", "UPCA", "UPCE")


def _ean_upc(name: str, text: str) -> tuple[str, str]:
    """zxing-cpp reports UPC-A and UPC-E as 13-digit EAN; zbar as 12 and 8 digits. Report them as zbar does
    (an EAN-13 starting with 0 *is* a UPC-A), so a code reads the same through either backend."""
    if name == "EAN13" and len(text) == 13 and text.startswith("0"):
        return "UPCA", text[1:]
    if name in ("UPCA", "UPCE") and len(text) == 13 and text.startswith("0"):
        text = text[1:]
    if name == "UPCE" and len(text) == 12:
        return "UPCE", upca_to_upce(text) or text
    return name, text


def upca_to_upce(a: str) -> str | None:
    """The 8-digit UPC-E for a 12-digit UPC-A that is a zero-suppressed UPC-E, else None."""
    if len(a) != 12 or not a.isdigit() or a[0] not in "01":
        return None
    if a[3] in "012" and a[4:8] == "0000":
        e = a[1:3] + a[8:11] + a[3]
    elif a[4:9] == "00000":
        e = a[1:4] + a[9:11] + "3"
    elif a[5:10] == "00000":
        e = a[1:5] + a[10] + "4"
    elif a[6:10] == "0000" and a[10] in "56789":
        e = a[1:6] + a[10]
    else:
        return None
    return a[0] + e + a[11]


def _zxing_formats(z, symbologies):
    if not symbologies:
        return z.BarcodeFormat.AllReadable
    # Our name -> zxing-cpp's format; "Code39" is the family (standard and full ASCII), as zxing reads it.
    inverse = {"DataBarExpanded": "DataBarExp", "DataBarLimited": "DataBarLtd"}
    formats = []
    for s in symbologies:
        fmt = getattr(z.BarcodeFormat, inverse.get(s, s), None)
        if fmt is None:
            raise InputError(f"The symbology {s!r} is not known.", hint=f"Known: {', '.join(SYMBOLOGIES)}.")
        formats.append(fmt)
    return z.BarcodeFormats(formats)


_ZBAR_NAMES = {
    "QRCODE": "QRCode", "CODE128": "Code128", "CODE39": "Code39", "CODE93": "Code93", "I25": "ITF",
    "CODABAR": "Codabar", "EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "UPCA", "UPCE": "UPCE", "ISBN10": "EAN13",
    "ISBN13": "EAN13", "PDF417": "PDF417", "DATABAR": "DataBar", "DATABAR_EXP": "DataBarExpanded",
}  # fmt: skip


class ZbarBackend:
    """pyzbar over libzbar0. Raises ``InputError`` at construction when the library is not installed, or
    when none of the requested symbologies is one zbar reads; those it cannot read are left out and
    listed in ``unsupported`` (so the shared default list, which has DataMatrix, works with zbar too)."""

    name = "zbar"

    def __init__(self, symbologies: list[str] | None = None):
        try:
            from pyzbar import pyzbar
        except (ImportError, OSError) as e:  # pyzbar raises ImportError when libzbar0 is missing
            raise InputError(
                "The zbar decoder is not available: the zbar library is not installed.",
                hint="Install it (Debian/Ubuntu: apt-get install libzbar0; macOS: brew install zbar) "
                "or use the zxing backend.",
            ) from e
        self._zbar = pyzbar
        inverse: dict[str, list[str]] = {}
        for k, v in _ZBAR_NAMES.items():
            inverse.setdefault(v, []).append(k)
        # Without a list: everything zbar reads except DataBar, whose decoder in libzbar 0.23 prints
        # assertion failures on cluttered frames (meter labels do not use DataBar).
        wanted = symbologies or [s for s in inverse if not s.startswith("DataBar")]
        self.unsupported = [s for s in wanted if s not in inverse]
        if len(self.unsupported) == len(wanted):
            raise InputError(f"The zbar decoder cannot read {', '.join(self.unsupported)}.",
                             hint="Use the zxing backend for these symbologies.")  # fmt: skip
        self._symbols = [pyzbar.ZBarSymbol[k] for s in wanted if s in inverse for k in inverse[s]]

    def decode(self, gray: np.ndarray, *, fast: bool = False) -> list[Symbol]:
        found = self._zbar.decode(np.ascontiguousarray(gray), symbols=self._symbols)
        out = []
        for d in found:
            pos = _zbar_corners(d)
            text = d.data.decode("utf-8", errors="replace")
            # zbar drops the leading FNC1: it cannot tell GS1-128 from Code 128 (docs/field-data.md A2).
            out.append(Symbol(_ZBAR_NAMES.get(d.type, d.type), text, bytes(d.data), None, pos, self.name))
        return out


def _zbar_corners(d) -> tuple[Point, Point, Point, Point]:
    r = d.rect
    if len(d.polygon) == 4:
        pts = np.array([(p.x, p.y) for p in d.polygon], dtype=np.float64)
    else:
        pts = np.array([(r.left, r.top), (r.left + r.width, r.top), (r.left + r.width, r.top + r.height),
                        (r.left, r.top + r.height)], dtype=np.float64)  # fmt: skip
    # Order as top-left, top-right, bottom-right, bottom-left like zxing-cpp.
    s = pts.sum(axis=1)
    diff = pts[:, 0] - pts[:, 1]
    tl, br = pts[np.argmin(s)], pts[np.argmax(s)]
    tr, bl = pts[np.argmax(diff)], pts[np.argmin(diff)]
    return tuple((int(x), int(y)) for x, y in (tl, tr, br, bl))  # type: ignore[return-value]


BACKENDS = {"zxing": ZxingBackend, "zbar": ZbarBackend}


def make_backend(name: str = "zxing", symbologies: list[str] | None = None) -> Backend:
    """The backend called ``name`` (``zxing`` or ``zbar``), optionally limited to some symbologies."""
    try:
        cls = BACKENDS[name]
    except KeyError:
        raise InputError(f"There is no decoder backend {name!r}.", hint="Use zxing or zbar.") from None
    return cls(symbologies)
