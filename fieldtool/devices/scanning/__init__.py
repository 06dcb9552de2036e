"""Scanning: decoders (zxing-cpp default, pyzbar selectable), the recovery pipeline, camera, keyboard-wedge
and serial scanners.

Modules: ``backends`` (the decoder interface and its two libraries), ``pipeline`` (first pass + recovery
within a time budget), ``regions`` (finding and straightening symbols), ``dedup`` (one scan per code over
consecutive frames), ``camera`` (OpenCV capture thread, latest frame wins), ``live`` (camera + decoder +
de-duplication as a stream of scans), ``inputs`` (keyboard wedge, serial scanners), ``settings`` (the
``[scanning]`` configuration section). Importing this package loads none of the heavy libraries.
"""
