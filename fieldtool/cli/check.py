"""``fieldtool check ID --actual ACTUAL.json``: every I1FR15 rule on a work order's plan and actual values."""

from __future__ import annotations

from fieldtool.cli._common import command, read_json_file
from fieldtool.cli._install_service import install_service
from fieldtool.domain.errors import InputError
from fieldtool.domain.findings import as_json as finding_json


def register(sub) -> None:
    p = command(sub, "check", _check, "check a work order's plan against actual values (I1FR15)")
    p.add_argument("id", help="work order id")
    p.add_argument("--actual", required=True, metavar="ACTUAL.json",
                   help="the actual values; a key left out is not captured yet and its rules do not run")


def _check(args):
    actual = read_json_file(args.actual)
    if not isinstance(actual, dict):
        raise InputError(f"{args.actual} must hold a JSON object of actual values.")
    with install_service() as svc:
        findings = svc.check(args.id, actual)
    return {"findings": [finding_json(f) for f in findings]}
