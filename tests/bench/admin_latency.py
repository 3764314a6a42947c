#!/usr/bin/python3
"""GET latency of admin portal routes over one kept-alive TLS connection
with the client certificate: N requests per path, taking turns.

usage: admin_latency.py HOST PORT CERT_DIR N PATH...
prints one line per path: PATH p50_us p99_us
"""
import http.client
import ssl
import sys
import time


def main():
    host, port, certs, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    paths = sys.argv[5:]
    ctx = ssl.create_default_context(cafile=certs + "/ca.pem")
    ctx.load_cert_chain(certs + "/client/cert.pem", certs + "/client/key.pem")
    conn = http.client.HTTPSConnection(host, port, context=ctx, timeout=30)
    times = {p: [] for p in paths}
    for i in range(n + 10):
        for p in paths:
            t0 = time.perf_counter()
            conn.request("GET", p)
            r = conn.getresponse()
            r.read()
            dt = time.perf_counter() - t0
            if r.status not in (200, 503):
                raise SystemExit("%s: status %d" % (p, r.status))
            if i >= 10:  # Warm-up rounds are not counted.
                times[p].append(dt)
    for p in paths:
        t = sorted(times[p])
        print("%s %d %d" % (p, t[len(t) // 2] * 1e6, t[int(len(t) * 0.99)] * 1e6))


if __name__ == "__main__":
    main()
