"""``fieldtool photo``: attach a picture (a file, or a frame from the camera) to a job as evidence."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.domain.errors import InputError


def register(sub) -> None:
    g = group(sub, "photo", "photos as evidence: as found, before and after installation")
    p = command(g, "attach", _attach, "attach a picture file, or a camera frame, to a job")
    p.add_argument("job_id")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--image", metavar="FILE", help="a picture file")
    src.add_argument("--device", type=int, metavar="N", help="take a frame from camera N")
    src.add_argument("--video", metavar="FILE", help="take the first frame of a video file or stream")
    p.add_argument("--caption", default="")
    p.add_argument("--attached-to", help="as_found, before, after, meter, seal, premise, other")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--accuracy", type=float, metavar="M", help="the position's accuracy in metres")
    p = command(g, "list", _list, "the photos attached to a job")
    p.add_argument("job_id")


def _service():
    from fieldtool.config import paths
    from fieldtool.services.photos import PhotoService
    from fieldtool.store.db import open_store

    return PhotoService(open_store(), paths().ensure().data_dir / "photos")


def _attach(args):
    from fieldtool.domain.model import Position

    if (args.lat is None) != (args.lon is None):
        raise InputError("Give both --lat and --lon, or neither.")
    position = None
    if args.lat is not None:
        if not (-90 <= args.lat <= 90 and -180 <= args.lon <= 180):
            raise InputError("The position is off the globe.", hint="Latitude -90..90, longitude -180..180.")
        position = Position(args.lat, args.lon, args.accuracy, None, "manual")
    image = _picture(args)
    attached = _service().attach_image(args.job_id, image, position=position, caption=args.caption,
                                       attached_to=args.attached_to)  # fmt: skip
    p = attached.photo
    return {"photo_id": p.id, "job_id": args.job_id, "sha256": p.sha256, "size": attached.size, "path": p.path,
            "taken_at": p.taken_at, "event_id": attached.event_id}  # fmt: skip


def _picture(args):
    if args.image:
        from fieldtool.devices.photos import load_still

        return load_still(args.image)
    from fieldtool.config import load_config
    from fieldtool.devices.photos import capture_frame
    from fieldtool.devices.scanning.camera import Camera

    if args.video:
        camera = Camera(args.video, pace="every_frame")
    else:
        s = load_config().section("scanning")
        camera = Camera(args.device, width=s.camera_width, height=s.camera_height, fps=s.camera_fps)
    with camera:
        return capture_frame(camera)


def _list(args):
    from fieldtool.store.photos import Photos

    service = _service()
    return [{"photo_id": p.id, "sha256": p.sha256, "taken_at": p.taken_at, "path": p.path, "caption": p.caption,
             "position": None if p.position is None else {"lat": p.position.lat, "lon": p.position.lon,
                                                          "accuracy_m": p.position.accuracy_m}}
            for p in Photos(service.store).for_job(args.job_id)]  # fmt: skip
