#!/usr/bin/python3
"""docker-py (Debian's python3-docker) against attachd's Docker API over
TLS with client certificates: a second client, written independently of
the docker CLI, works unmodified.

  docker_py_test.py STATE_DIR API_PORT
"""
import sys

import docker
from docker.tls import TLSConfig


def main():
    state, port = sys.argv[1], sys.argv[2]
    c = state + "/certs/client/"
    tls = TLSConfig(client_cert=(c + "cert.pem", c + "key.pem"),
                    ca_cert=c + "ca.pem", verify=True)
    client = docker.DockerClient(base_url="https://127.0.0.1:" + port,
                                 tls=tls, timeout=150)

    version = client.version()
    assert version["ApiVersion"] == "1.41", version
    print("ok: version", version["Version"])
    tags = [t for image in client.images.list() for t in image.tags]
    assert "busybox:latest" in tags, tags
    print("ok: images", tags)

    out = client.containers.run("busybox", ["sh", "-c", "echo hi-from-py"],
                                remove=True)
    assert out == b"hi-from-py\n", out
    print("ok: run", out)

    box = client.containers.run("busybox", ["sleep", "60"], detach=True,
                                name="pybox", environment={"K": "v"})
    box.reload()
    assert box.status == "running", box.status
    assert "K=v" in box.attrs["Config"]["Env"], box.attrs["Config"]["Env"]
    print("ok: detached, inspected")
    code, output = box.exec_run(["sh", "-c", "echo $K; exit 2"])
    assert (code, output) == (2, b"v\n"), (code, output)
    print("ok: exec_run", code, output)
    assert [x.name for x in client.containers.list()] == ["pybox"]
    box.kill()
    result = box.wait(timeout=150)
    assert result["StatusCode"] == 137, result
    print("ok: kill, wait", result)
    box.remove()
    try:
        client.containers.get("pybox")
        raise AssertionError("pybox still there")
    except docker.errors.NotFound as e:
        print("ok: removed:", e.explanation)
    return 0


if __name__ == "__main__":
    sys.exit(main())
