"""``lieta-server``: the central service. Built by the sync issue; until then it says so plainly."""

from __future__ import annotations

import sys


def main() -> int:
    print("lieta-server: the central service is not part of this version yet (see the sync issue); "
          "the desktop app works fully offline without it.", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
