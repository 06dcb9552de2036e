"""The decode pipeline: a fast first pass, then recovery steps until a symbol reads or the budget is spent.

A person can read a label that is at an angle, tilted away, a little out of focus, in poor light or
behind glare; the pipeline tries what helps in such photos. Mostly *regions*: likely symbol areas are
found from the image gradient, straightened by a perspective warp of their outline (which also undoes
any rotation and estimates the orientation), scaled so a module is a few pixels wide, and decoded as a
bar profile (linear symbols), downscaled, binarised, denoised, contrast-enhanced and sharpened; then the
whole frame scaled, denoised, contrast-enhanced (CLAHE), flat-fielded against glare, with the library's
own retries, binarised. Positions are mapped back to the frame's coordinates.

``Decoder.decode`` is pure computation on the caller's thread; it reads only the monotonic clock (for
the budget), through the injected ``Clock``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices.scanning.backends import Backend, Symbol, make_backend
from fieldtool.devices.scanning.regions import bar_profiles, candidate_quads, warp_quad
from fieldtool.domain.gs1 import GS, Gs1Error, parse_gs1
from fieldtool.domain.gs1 import check_digit as gs1_check_digit

Transform = Callable[[np.ndarray], np.ndarray]  # points in the step's image -> points in the frame


@dataclass
class DecodeResult:
    symbols: list[Symbol]
    passes: list[str] = field(default_factory=list)  # the steps tried, in order
    found_by: str | None = None  # the first step that read something
    elapsed_s: float = 0.0
    budget_spent: bool = False
    next_step: int = 0  # where a following frame of the same scene should resume recovery (live path)


def to_gray(frame: np.ndarray) -> np.ndarray:
    """An 8-bit single-channel view of a BGR, BGRA or gray frame."""
    if frame.ndim == 2:
        return frame if frame.dtype == np.uint8 else cv2.convertScaleAbs(frame)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


def _identity(p: np.ndarray) -> np.ndarray:
    return p


def _scaled(f: float) -> Transform:
    return lambda p: p / f


_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))


def clahe(g: np.ndarray) -> np.ndarray:
    return _CLAHE.apply(g)


def flat_field(g: np.ndarray) -> np.ndarray:
    """Divide by the local background, which takes out glare gradients and uneven light."""
    k = max(15, (min(g.shape[:2]) // 8) | 1)
    small = cv2.resize(g, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    bg = cv2.resize(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k // 4 | 1, k // 4 | 1), np.uint8)),
                    (g.shape[1], g.shape[0]), interpolation=cv2.INTER_LINEAR)  # fmt: skip
    return cv2.divide(g, np.maximum(bg, 1), scale=255)


def sharpen(g: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(g, (0, 0), 2.0)
    return cv2.addWeighted(g, 1.8, blurred, -0.8, 0)


def denoise(g: np.ndarray) -> np.ndarray:
    return cv2.bilateralFilter(g, 5, 40, 5)


def binarise(g: np.ndarray) -> np.ndarray:
    block = max(15, (min(g.shape[:2]) // 12) | 1)
    return cv2.adaptiveThreshold(g, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 5)


def otsu(g: np.ndarray) -> np.ndarray:
    return cv2.threshold(cv2.GaussianBlur(g, (3, 3), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


class Frame:
    """One frame under recovery: its gray image and, computed once when first needed, its candidate regions
    straightened into crops (each with the map of its points back to the frame)."""

    def __init__(self, gray: np.ndarray):
        self.gray = gray
        self._crops: list[tuple[np.ndarray, Transform]] | None = None

    @property
    def crops(self) -> list[tuple[np.ndarray, Transform]]:
        if self._crops is None:
            self._crops = [warp_quad(self.gray, q) for q in candidate_quads(self.gray)]
        return self._crops


Step = tuple[str, Callable[[Frame], Iterator[tuple[np.ndarray, Transform]]]]


def _whole(fn) -> Callable:
    def step(f: Frame):
        yield fn(f.gray), _identity

    return step


def _scale_step(k: float) -> Callable:
    def step(f: Frame):
        interp = cv2.INTER_CUBIC if k > 1 else cv2.INTER_AREA
        yield cv2.resize(f.gray, None, fx=k, fy=k, interpolation=interp), _scaled(k)

    return step


def _regions(enhance: Callable[[np.ndarray], np.ndarray] | None) -> Callable:
    def step(f: Frame):
        for crop, back in f.crops:
            yield (enhance(crop) if enhance else crop), back

    return step


def _profiles(f: Frame):
    for crop, back in f.crops:
        for profile in bar_profiles(crop):
            # A profile has no geometry of its own: report the region's corners.
            yield profile, _region_corners(crop, back)


def _region_corners(crop: np.ndarray, back: Transform) -> Transform:
    h, w = crop.shape[:2]
    corners = back(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64))
    return lambda _p: corners


def _retry(f: Frame):
    yield f.gray, _identity  # decoded with the backend's own retries (fast=False), see Decoder.decode


# Recovery steps in the order that read the most labels per millisecond on the bench corpus (a greedy
# cover of the frames the first pass missed): straightened regions are small and cheap to decode, and
# a bar profile reads most damaged linear symbols; whole-frame enhancements cost a full-frame decode.
RECOVERY: list[Step] = [
    ("regions_profile", _profiles),
    ("regions_down", _regions(lambda c: flat_field(cv2.resize(c, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA)))),
    ("regions_otsu", _regions(lambda c: otsu(clahe(c)))),
    ("scale_down", _scale_step(0.5)),
    ("regions", _regions(None)),
    ("regions_smooth", _regions(lambda c: otsu(flat_field(cv2.GaussianBlur(c, (0, 0), 2.0))))),
    ("denoise", _whole(lambda g: clahe(denoise(g)))),
    ("regions_denoise", _regions(lambda c: clahe(cv2.bilateralFilter(c, 9, 50, 9)))),
    ("regions_contrast", _regions(clahe)),
    ("regions_sharpen", _regions(lambda c: sharpen(clahe(c)))),
    ("regions_binarised", _regions(binarise)),
    ("regions_smooth_contrast", _regions(lambda c: clahe(cv2.GaussianBlur(c, (0, 0), 2.0)))),
    ("regions_flat_field", _regions(flat_field)),
    ("contrast", _whole(clahe)),
    ("flat_field", _whole(flat_field)),
    ("retry", _retry),
    ("binarised", _whole(binarise)),
    ("sharpen", _whole(lambda g: sharpen(clahe(g)))),
    ("scale_up", _scale_step(1.6)),
]

# For live frames: the steps that cost a fraction of a full-frame decode (region crops, the half-size
# frame). Whole-frame enhancements each cost more than a camera frame interval; a still picture gets them.
LIVE_RECOVERY: list[Step] = [s for s in RECOVERY if s[0].startswith("regions") or s[0] == "scale_down"]

# Linear symbologies with no mandatory check character: short reads of them out of clutter (printed text,
# a grille, a bolt's edge) are the false positives decoders produce; real labels carry longer codes.
WEAK_LINEAR = frozenset({"ITF", "Code39", "Codabar", "Code93", "DataBarLimited"})


def _gs1_keys_check(text: str) -> bool:
    """False when GS1 data carries a GTIN, SSCC or GLN whose check digit is wrong. Printers compute the
    check digit, so a wrong one is almost always a misread: at small module sizes two wrong bars can still
    pass a Code 128 checksum (seen on the bench's live video). Data that is not parseable GS1 passes here;
    the label parser explains it."""
    try:
        data = parse_gs1(text)
    except Gs1Error:
        return True
    return not any("check digit" in p for p in data.problems)


def _full_decode(step_name: str) -> bool:
    """Whether a step's images get the backend's own retries: region crops are small, so downscaled and
    inverted retries are cheap there and help a noisy crop; on whole frames they cost too much."""
    return step_name == "retry" or step_name.startswith("regions")


class Decoder:
    """Decodes frames with a backend, recovering unreadable frames within a time budget.

    ``budget_s`` bounds the whole decode: the first pass always runs in full, recovery steps start only
    while time is left (a step that has started finishes its current image). ``first_step`` starts the
    recovery at that step (wrapping round): the live path resumes on the next frame where the last one
    ran out of time, so a hard label gets every step over a few frames while each frame stays fast. ``want``: stop once this many distinct symbols are found (pallet labels carry
    several; the default 1 stops at the first). Reads of ITF, Code 39, Codabar and Code 93 shorter than
    ``min_linear_length`` are dropped as false positives (see ``WEAK_LINEAR``). ITF is the weakest: a scan
    line that crosses it at an angle reads a shorter, valid-looking number, so only the lengths in
    ``itf_lengths`` are accepted (empty: any), and a 14-digit ITF must carry a valid GS1 check digit
    (ITF-14 is a GTIN).
    """

    def __init__(self, backend: Backend | str = "zxing", *, budget_s: float = 0.25, clock: Clock = SYSTEM_CLOCK,
                 steps: list[Step] | None = None, min_linear_length: int = 8,
                 itf_lengths: tuple[int, ...] = (14,)):  # fmt: skip
        self.backend = make_backend(backend) if isinstance(backend, str) else backend
        self.budget_s = budget_s
        self.clock = clock
        self.steps = RECOVERY if steps is None else steps
        self.min_linear_length = min_linear_length
        self.itf_lengths = tuple(itf_lengths)

    def with_steps(self, steps: list[Step]) -> Decoder:
        """The same decoder with other recovery steps (``LIVE_RECOVERY`` for camera frames)."""
        return Decoder(self.backend, budget_s=self.budget_s, clock=self.clock, steps=steps,
                       min_linear_length=self.min_linear_length, itf_lengths=self.itf_lengths)  # fmt: skip

    def plausible(self, s: Symbol) -> bool:
        if s.gs1 or (s.gs1 is None and GS in s.text):
            return _gs1_keys_check(s.text)
        if s.symbology not in WEAK_LINEAR:
            return True
        if s.symbology == "ITF":
            if self.itf_lengths and len(s.text) not in self.itf_lengths:
                return False
            if len(s.text) == 14 and gs1_check_digit(s.text[:-1]) != s.text[-1]:
                return False
        # One character repeated is what a grille or a row of fins reads as; no label carries it.
        return len(s.text) >= self.min_linear_length and len(set(s.text)) > 1

    def first_pass(self, frame: np.ndarray) -> list[Symbol]:
        return [s for s in self.backend.decode(to_gray(frame), fast=True) if self.plausible(s)]

    def decode(self, frame: np.ndarray, *, budget_s: float | None = None, want: int = 1,
               first_step: int = 0) -> DecodeResult:  # fmt: skip
        start = self.clock.monotonic()
        deadline = start + (self.budget_s if budget_s is None else budget_s)
        gray = to_gray(frame)
        frame_ctx = Frame(gray)
        found: dict[tuple[str, str], Symbol] = {}
        result = DecodeResult([], ["first"])

        def take(symbols: list[Symbol], back: Transform, name: str) -> None:
            for s in symbols:
                if s.key not in found and self.plausible(s):
                    found[s.key] = s if name == "first" else s.moved(back, name)
                    result.found_by = result.found_by or name

        take(self.backend.decode(gray, fast=True), _identity, "first")
        n = len(self.steps)
        first_step = first_step % n if n else 0
        result.next_step = first_step
        for i in range(n):
            name, step = self.steps[(first_step + i) % n]
            if len(found) >= want:
                break
            if self.clock.monotonic() >= deadline:
                result.budget_spent = True
                break
            result.passes.append(name)
            result.next_step = (first_step + i + 1) % n
            fast = not _full_decode(name)
            for image, back in step(frame_ctx):
                take(self.backend.decode(image, fast=fast), back, name)
                if len(found) >= want or self.clock.monotonic() >= deadline:
                    break
        result.symbols = list(found.values())
        result.elapsed_s = self.clock.monotonic() - start
        return result
