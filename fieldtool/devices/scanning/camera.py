"""Camera capture with OpenCV on a worker thread; the latest frame wins.

Thread rule: the ``cv2.VideoCapture`` lives on the capture thread (opened, read and released there);
controls (torch, exposure) are applied under the same lock the reads take. The consumer calls
``next_frame(after)`` from its own thread and gets the newest frame captured after the one it had: frames
the consumer was too slow for are overwritten, never queued, so a slow decode never builds a backlog and
what is decoded is at most one frame old.

A video file or URL stands in for a camera (there is none on the build machines). ``pace="realtime"``
plays it at its frame rate like a live camera (frames are dropped if the consumer is slow);
``pace="every_frame"`` hands over every frame, the capture thread waiting for the consumer (tests).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.errors import InputError


@dataclass(frozen=True)
class CapturedFrame:
    seq: int  # 1, 2, ... in capture order; a gap means frames were dropped for a slow consumer
    image: np.ndarray  # BGR
    captured_at: float  # the clock's monotonic time
    t: float  # the frame's time in the stream: capture time for a camera, media time for a file


class Camera:
    """A camera (device index), video file or stream URL read on a worker thread."""

    def __init__(self, source: int | str, *, clock: Clock = SYSTEM_CLOCK, pace: str = "realtime",
                 width: int | None = None, height: int | None = None, fps: float | None = None,
                 open_timeout_s: float = 5.0):  # fmt: skip
        if pace not in ("realtime", "every_frame"):
            raise InputError(f"Unknown pace {pace!r}.", hint="Use realtime or every_frame.")
        self.source = source
        self.clock = clock
        self.pace = pace
        self._want = (width, height, fps)
        self._open_timeout_s = open_timeout_s
        self._cap: cv2.VideoCapture | None = None
        self._lock = threading.Lock()  # guards the VideoCapture (reads and controls)
        self._cond = threading.Condition()  # guards the frame slot below
        self._frame: CapturedFrame | None = None
        self._taken = 0  # seq of the last frame handed to the consumer
        self._stop = threading.Event()
        self._opened = threading.Event()
        self._thread: threading.Thread | None = None
        self.ended = False  # end of the file, or the camera was lost
        self.error: str | None = None
        self.captured = 0
        self.dropped = 0  # frames overwritten before the consumer took them
        self.fps = 0.0

    # -- life cycle -------------------------------------------------------------------------------
    def start(self) -> Camera:
        self._thread = threading.Thread(target=self._run, name=f"camera {self.source}", daemon=True)
        self._thread.start()
        if not self._opened.wait(self._open_timeout_s) or self.error:
            self.stop()
            raise InputError(self.error or f"The camera {self.source} did not open in time.",
                             hint="Check that it is connected and not used by another program.")  # fmt: skip
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> Camera:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- consumer side ----------------------------------------------------------------------------
    def next_frame(self, timeout: float = 1.0) -> CapturedFrame | None:
        """The newest frame not handed out yet; waits up to ``timeout`` (real seconds). None when there is
        none in time or the source has ended."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: (self._frame is not None and self._frame.seq > self._taken) or self.ended or self._stop.is_set(),
                timeout,
            )
            if not ok or self._frame is None or self._frame.seq <= self._taken:
                return None
            frame = self._frame
            self.dropped += frame.seq - self._taken - 1
            self._taken = frame.seq
            self._cond.notify_all()  # an every_frame producer waits for this
            return frame

    # -- controls ---------------------------------------------------------------------------------
    def set_torch(self, on: bool) -> bool:
        """Switch the torch (flash LED) where the camera driver offers one; False when it does not."""
        props = [getattr(cv2, n) for n in ("CAP_PROP_ANDROID_DEVICE_TORCH", "CAP_PROP_IOS_DEVICE_TORCH") if hasattr(cv2, n)]
        return any(self._set(p, 1.0 if on else 0.0) for p in props)

    def set_exposure(self, value: float | None) -> bool:
        """Manual exposure (driver units; V4L2: 100 µs steps) or ``None`` for automatic. False if unsupported."""
        if value is None:
            return self._set(cv2.CAP_PROP_AUTO_EXPOSURE, 0.75) or self._set(cv2.CAP_PROP_AUTO_EXPOSURE, 3)
        manual = self._set(cv2.CAP_PROP_AUTO_EXPOSURE, 0.25) or self._set(cv2.CAP_PROP_AUTO_EXPOSURE, 1)
        return self._set(cv2.CAP_PROP_EXPOSURE, float(value)) and manual

    def controls(self) -> dict:
        """What the source reports: size, frame rate, exposure (None where it reports nothing)."""
        with self._lock:
            cap = self._cap
            if cap is None:
                return {}
            get = cap.get
            return {
                "width": int(get(cv2.CAP_PROP_FRAME_WIDTH)),
                "height": int(get(cv2.CAP_PROP_FRAME_HEIGHT)),
                "fps": get(cv2.CAP_PROP_FPS) or None,
                "exposure": get(cv2.CAP_PROP_EXPOSURE) or None,
                "backend": cap.getBackendName(),
            }

    def _set(self, prop: int, value: float) -> bool:
        with self._lock:
            return bool(self._cap is not None and self._cap.set(prop, value))

    # -- capture thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            self.error = f"Cannot open the camera or video {self.source}."
            self._opened.set()
            return
        width, height, fps = self._want
        if width:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if height:
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        if fps:
            cap.set(cv2.CAP_PROP_FPS, fps)
        self.fps = cap.get(cv2.CAP_PROP_FPS) or fps or 30.0
        is_file = isinstance(self.source, str) and not self.source.startswith(("rtsp:", "http:", "https:"))
        with self._lock:
            self._cap = cap
        self._opened.set()
        interval = 1.0 / self.fps
        next_due = self.clock.monotonic()
        try:
            while not self._stop.is_set():
                with self._lock:
                    ok, image = cap.read()
                if not ok:
                    break
                self.captured += 1
                now = self.clock.monotonic()
                frame = CapturedFrame(self.captured, image, now, (self.captured - 1) * interval if is_file else now)
                with self._cond:
                    if self.pace == "every_frame":
                        self._cond.wait_for(lambda: self._taken >= self.captured - 1 or self._stop.is_set())
                    self._frame = frame
                    self._cond.notify_all()
                if is_file and self.pace == "realtime":
                    # A file decodes faster than a camera delivers; wait as a camera would.
                    next_due += interval
                    delay = next_due - self.clock.monotonic()
                    if delay > 0:
                        self._stop.wait(delay)
                    else:
                        next_due = self.clock.monotonic()
        finally:
            with self._lock:
                self._cap = None
                cap.release()
            with self._cond:
                self.ended = True
                self._cond.notify_all()
