"""Start tests/emulator with TCP_NODELAY on every accepted connection (benchmark use only).

The emulator's handler writes the status line and headers, then the body, in two send() calls. With
Nagle's algorithm on, the body waits for the ACK of the headers, and the client delays that ACK by
~40 ms: every request then costs latency + 40 ms, for the SDK and the module alike. That is an
artefact of the loopback test server, not of either client, so the benchmark switches Nagle off
(socketserver's own switch) before handing over to the emulator's unchanged main().

    python benchmarks/emulator_nodelay.py --port 0 --dataset SPEC.json --port-file F
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'tests', 'emulator'))

from jobscope_emulator import server  # noqa: E402

server.Handler.disable_nagle_algorithm = True

if __name__ == '__main__':
    sys.exit(server.main())
