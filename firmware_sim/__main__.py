import argparse
import importlib
import pkgutil
import sys

import firmware_sim


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m firmware_sim", description="fieldtool's simulated world")
    sub = parser.add_subparsers(dest="part", metavar="PART", required=True)
    for info in sorted(pkgutil.iter_modules(firmware_sim.__path__), key=lambda m: m.name):
        try:
            mod = importlib.import_module(f"firmware_sim.{info.name}.cli" if info.ispkg else f"firmware_sim.{info.name}")
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith(f"firmware_sim.{info.name}"):
                continue
            raise
        if hasattr(mod, "register"):
            mod.register(sub)
    args = parser.parse_args(argv)
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
