"""``fieldtool label``: what a label's text says (meter number, serial, packing, install code)."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.config import load_config
from fieldtool.domain.errors import InputError


def register(sub) -> None:
    g = group(sub, "label", "read the text of meter, packing and install-code labels")
    p = command(g, "parse", _parse, "what a label's text (as scanned or typed) says")
    p.add_argument("text")
    p.add_argument("--gs1", action="store_true", help="the decoder said the symbol is GS1")
    p.add_argument("--symbology", help="the symbology the decoder reported (e.g. ITF)")
    p = command(g, "install-code", _install_code, "check a typed install code as the entry field does")
    p.add_argument("text")


def _parse(args):
    from fieldtool.domain.labels import parse_label

    try:
        rules = load_config().section("scanning").label_rules()
    except ValueError as e:
        raise InputError(str(e), hint="Fix [scanning] meter_number_pattern in the configuration.") from e
    return parse_label(args.text.replace("\\x1d", "\x1d"), gs1=True if args.gs1 else None,
                       symbology=args.symbology, rules=rules).to_dict()  # fmt: skip


def _install_code(args):
    from dataclasses import asdict

    from fieldtool.protocols.han.install_code import check_entry

    return asdict(check_entry(args.text))
