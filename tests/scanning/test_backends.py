"""Both decoder backends on labels made with zxing-cpp's writer: same symbology names, text, GS1 flag, corners."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp

from fieldtool.devices.scanning.backends import ZbarBackend, make_backend
from fieldtool.domain.errors import InputError
from tests.scanning.labelsynth import expected_text, label_image

CASES = [
    ("QRCode", "QRCode", "Z:000D6FFFFE63CCA0$I:83FED3407A939723A5C639B26916D505C3B5"),
    ("Code128", "Code128", "1AL0000000010222R"),
    ("Code39", "Code39", "SN12345678"),
    ("ITF", "ITF", "10735001230015"),
    ("DataMatrix", "DataMatrix", "MFG:LG;SN:0000000042;KH:7.2"),
    ("GS1-128", "Code128", "(01)09501101530003(10)LOT7(21)00000007"),
]


def canvas(label: np.ndarray) -> np.ndarray:
    out = np.full((label.shape[0] + 80, label.shape[1] + 120), 200, np.uint8)
    out[40 : 40 + label.shape[0], 60 : 60 + label.shape[1]] = label
    return out


@pytest.mark.parametrize(("kind", "symbology", "payload"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("backend", ["zxing", "zbar"])
def test_clean_labels_read_with_the_same_names(backend, kind, symbology, payload):
    img = canvas(label_image(kind, payload))
    b = make_backend(backend)
    found = b.decode(img)
    if backend == "zbar" and kind == "DataMatrix":
        assert found == []  # zbar has no DataMatrix decoder (docs/field-data.md A2)
        return
    assert [(s.symbology, s.text) for s in found] == [(symbology, expected_text(kind, payload))]
    s = found[0]
    assert s.backend == backend
    assert s.raw == s.text.encode("latin-1")
    # corners are inside the label, ordered top-left, top-right, bottom-right, bottom-left
    (x0, y0), (x1, _), (x2, y2), (_, y3) = s.position
    assert 60 <= x0 < x1 <= 60 + img.shape[1] and x0 < x2 and y0 < y3 and y0 < y2 <= img.shape[0]
    expected_gs1 = (kind == "GS1-128") if backend == "zxing" else None
    assert s.gs1 is expected_gs1


def test_gs1_128_keeps_group_separators_in_plain_text():
    s = make_backend("zxing").decode(canvas(label_image("GS1-128", "(01)09501101530003(10)AB12(21)9")))[0]
    assert s.text == "0109501101530003" + "10AB12\x1d219"


def test_code39_full_ascii_zbar_gives_the_unexpanded_text():
    img = canvas(np.array(zxingcpp.create_barcode("Ab-1x", zxingcpp.BarcodeFormat.Code39Ext).to_image(scale=3)))
    assert make_backend("zxing").decode(img)[0].text == "Ab-1x"
    assert make_backend("zbar").decode(img)[0].text == "A+B-1+X"  # a wrong text, not a miss


def test_limited_symbologies_and_refusals():
    img = canvas(label_image("QRCode", "HELLO-QR-1"))
    assert make_backend("zxing", ["Code128"]).decode(img) == []
    assert [s.text for s in make_backend("zxing", ["QRCode"]).decode(img)] == ["HELLO-QR-1"]
    assert [s.text for s in make_backend("zbar", ["QRCode"]).decode(img)] == ["HELLO-QR-1"]
    with pytest.raises(InputError, match="zbar decoder cannot read DataMatrix"):
        make_backend("zbar", ["DataMatrix"])
    zbar = make_backend("zbar", ["QRCode", "DataMatrix"])
    assert zbar.unsupported == ["DataMatrix"] and [s.text for s in zbar.decode(img)] == ["HELLO-QR-1"]
    with pytest.raises(InputError, match="not known"):
        make_backend("zxing", ["Barcode9000"])
    with pytest.raises(InputError, match="no decoder backend"):
        make_backend("tesseract")


def test_missing_libzbar_is_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_zbar(name, *a, **kw):
        if name.startswith("pyzbar"):
            raise ImportError("Unable to find zbar shared library")
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_zbar)
    with pytest.raises(InputError, match=r"libzbar0"):
        ZbarBackend()


def test_code39_full_ascii_also_with_the_label_symbology_list():
    from fieldtool.devices.scanning.settings import LABEL_SYMBOLOGIES

    img = canvas(np.array(zxingcpp.create_barcode("Ab-1x", zxingcpp.BarcodeFormat.Code39Ext).to_image(scale=3)))
    assert [(s.symbology, s.text) for s in make_backend("zxing", list(LABEL_SYMBOLOGIES)).decode(img)] == [("Code39", "Ab-1x")]


@pytest.mark.parametrize(("fmt", "content", "symbology", "text"), [
    ("UPCA", "03600029145", "UPCA", "036000291452"),
    ("EAN13", "950110153000", "EAN13", "9501101530003"),
    ("EAN8", "9638507", "EAN8", "96385074"),
    ("UPCE", "0123456", "UPCE", "01234565"),
    ("UPCE", "0654321", "UPCE", "06543217"),
])  # fmt: skip
@pytest.mark.parametrize("backend", ["zxing", "zbar"])
def test_ean_upc_read_the_same_through_both_backends(backend, fmt, content, symbology, text):
    img = canvas(np.array(zxingcpp.create_barcode(content, getattr(zxingcpp.BarcodeFormat, fmt)).to_image(scale=3)))
    assert [(s.symbology, s.text) for s in make_backend(backend).decode(img)] == [(symbology, text)]


def test_upca_to_upce():
    from fieldtool.devices.scanning.backends import upca_to_upce

    assert upca_to_upce("012345000065") == "01234565"
    assert upca_to_upce("012000003455") == "01234505"  # manufacturer 12000, product 345 (pattern 0)
    assert upca_to_upce("036000291452") is None  # not a zero-suppressed code
