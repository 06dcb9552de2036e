"""``fieldtool config``: show the configuration, write a file with every default."""

from __future__ import annotations

import tomli_w

from fieldtool.cli._common import command, group
from fieldtool.config import defaults, load_config, paths
from fieldtool.domain.errors import UserFacingError


def register(sub) -> None:
    g = group(sub, "config", "the configuration file")
    command(g, "show", _show, "every section with the values in force")
    p = command(g, "init", _init, "write the configuration file with every default")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    command(g, "paths", _paths, "where configuration, data and logs live")


def _show(args):
    import dataclasses

    from fieldtool.config import SECTIONS

    cfg = load_config()
    return {name: dataclasses.asdict(cfg.section(name)) for name in SECTIONS}


def _init(args):
    p = paths().ensure()
    if p.config_file.exists() and not args.force:
        raise UserFacingError(f"{p.config_file} exists already.", hint="Use --force to overwrite it.")
    p.config_file.write_text(tomli_w.dumps(defaults()), encoding="utf-8")
    return {"written": str(p.config_file)}


def _paths(args):
    p = paths()
    return {"config_file": str(p.config_file), "data_dir": str(p.data_dir), "log_dir": str(p.log_dir)}
