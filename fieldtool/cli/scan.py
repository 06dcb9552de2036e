"""``fieldtool scan``: decode barcodes in pictures, or live from a camera or a video file."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.config import load_config
from fieldtool.domain.errors import InputError


def register(sub) -> None:
    g = group(sub, "scan", "read barcodes from pictures, a camera or a video")
    p = command(g, "decode", _decode, "decode the barcodes in picture files")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--backend", choices=("zxing", "zbar"), help="decoder (default: [scanning] backend)")
    p.add_argument("--expect", type=int, default=1, metavar="N",
                   help="keep trying recovery until N symbols are found or the budget is spent (pallets)")  # fmt: skip
    p.add_argument("--parse", action="store_true", help="add what each label says (as `label parse`)")
    p = command(g, "camera", _camera, "scan live from a camera or a video file; one line per new code")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--device", type=int, metavar="N", help="camera index (default: [scanning] camera_device)")
    src.add_argument("--video", metavar="FILE", help="a video file or stream URL instead of a camera")
    p.add_argument("--backend", choices=("zxing", "zbar"))
    p.add_argument("--seconds", type=float, help="stop after this many seconds")
    p.add_argument("--every-frame", action="store_true",
                   help="with --video: decode every frame instead of pacing the file like a live camera")  # fmt: skip
    p.add_argument("--parse", action="store_true", help="add what each label says (as `label parse`)")
    p = command(g, "serial", _serial, "read a serial (or TCP) barcode scanner; one line per scan")
    p.add_argument("--port", help="the scanner's port (default: [scanning] serial_port)")
    p.add_argument("--seconds", type=float, help="stop after this many seconds")
    p.add_argument("--parse", action="store_true", help="add what each label says (as `label parse`)")


def _settings():
    return load_config().section("scanning")


def _decoder(settings, backend: str | None):
    from fieldtool.devices.scanning.factory import decoder_from_settings

    return decoder_from_settings(settings, backend)


def _symbol(s, rules=None) -> dict:
    out = {"symbology": s.symbology, "text": s.text, "gs1": s.gs1, "position": [list(p) for p in s.position]}
    if rules is not None:
        out["label"] = _label(s.text, s.gs1, s.symbology, rules)
    return out


def _label(text, gs1, symbology, rules) -> dict:
    from fieldtool.domain.labels import parse_label

    return parse_label(text, gs1=gs1, symbology=symbology, rules=rules).to_dict()


def _rules(args, settings):
    if not getattr(args, "parse", False):
        return None
    try:
        return settings.label_rules()
    except ValueError as e:
        raise InputError(str(e), hint="Fix [scanning] meter_number_pattern in the configuration.") from e


def _decode(args):
    import cv2

    settings = _settings()
    decoder = _decoder(settings, args.backend)
    rules = _rules(args, settings)
    out = []
    for path in args.images:
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            out.append({"file": path, "symbols": [], "error": f"{path} is missing or not a picture."})
            continue
        result = decoder.decode(image, want=max(1, args.expect))
        out.append({"file": path, "symbols": [_symbol(s, rules) for s in result.symbols]})
    if all("error" in o for o in out):
        raise InputError(out[0]["error"] if len(out) == 1 else "None of the files is a picture.")
    return out


def _camera(args):
    import threading

    from fieldtool.clock import SYSTEM_CLOCK
    from fieldtool.devices.scanning.camera import Camera
    from fieldtool.devices.scanning.dedup import ScanDeduplicator
    from fieldtool.devices.scanning.live import live_scans

    settings = _settings()
    decoder = _decoder(settings, args.backend)
    rules = _rules(args, settings)
    if args.video:
        camera = Camera(args.video, pace="every_frame" if args.every_frame else "realtime")
    else:
        device = settings.camera_device if args.device is None else args.device
        camera = Camera(device, width=settings.camera_width, height=settings.camera_height, fps=settings.camera_fps)
    cancel = threading.Event()

    def stream():
        camera.start()
        timer = None
        if args.seconds:
            timer = threading.Timer(SYSTEM_CLOCK.seconds(args.seconds), cancel.set)
            timer.daemon = True
            timer.start()
        try:
            for scan in live_scans(camera, decoder, budget_s=settings.live_budget_ms / 1000,
                                   dedup=ScanDeduplicator(settings.dedup_hold_s), cancel=cancel):  # fmt: skip
                item = scan.to_dict()
                if rules is not None:
                    item["label"] = _label(scan.symbol.text, scan.symbol.gs1, scan.symbol.symbology, rules)
                yield item
        finally:
            if timer:
                timer.cancel()
            camera.stop()

    return stream()


def _serial(args):
    import dataclasses
    import queue

    from fieldtool.clock import SYSTEM_CLOCK
    from fieldtool.devices.scanning.inputs import SerialScanner

    settings = _settings()
    if args.port:
        settings = dataclasses.replace(settings, serial_port=args.port)
    rules = _rules(args, settings)
    scans: queue.Queue = queue.Queue()  # the scanner's reader thread hands its scans over here
    scanner = SerialScanner.from_settings(settings, scans.put)
    deadline = None if args.seconds is None else SYSTEM_CLOCK.monotonic() + SYSTEM_CLOCK.seconds(args.seconds)

    def stream():
        scanner.start()
        try:
            while deadline is None or SYSTEM_CLOCK.monotonic() < deadline:
                try:
                    scan = scans.get(timeout=0.1)
                except queue.Empty:
                    if scanner.error:
                        raise InputError(scanner.error) from None
                    continue
                item = {"text": scan.text, "source": scan.source}
                if rules is not None:
                    item["label"] = _label(scan.text, None, None, rules)
                yield item
        finally:
            scanner.stop()

    return stream()
