#!/usr/bin/env python3
"""Prints a free loopback TCP port for a server that must come back on the
same one after a restart. It is below the kernel's ephemeral range
(32768-60999 by default): a port there can become the local end of another
test's outgoing connection while the server is down."""
import random
import socket
import sys

for _ in range(100):
    port = random.randrange(12000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    sys.exit(0)
sys.exit("free_port: no free port in 12000-31999")
