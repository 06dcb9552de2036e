"""``make demo``: the main job on the simulated world (grows with the tool)."""

from __future__ import annotations

import sys


def main() -> int:
    print("fieldtool demo: the simulated world is not built yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
