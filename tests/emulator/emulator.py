"""Entry point of the jobscope.cloud test emulator (Python standard library only, Python >= 3.9).

    python3 tests/emulator/emulator.py --port 0 --dataset demo [--port-file F] [--host 127.0.0.1]

In tests, with tests/emulator on sys.path:

    from emulator import Emulator
    with Emulator("demo").start() as emu:
        ...  # emu.url, emu.port

See README.md in this directory.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jobscope_emulator import Emulator, main  # noqa: E402  (needs the path above when run as a script)

__all__ = ["Emulator", "main"]

if __name__ == "__main__":
    sys.exit(main())
