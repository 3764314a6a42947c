#!/usr/bin/env python3
"""Builds image tarballs for the image tests, as docker would hand them
over, with busybox-static inside; no docker needed.

  make_image.py save   OUT TAG [--config JSON] [--layer2]  docker save (v1.2)
  make_image.py oci    OUT NAME [--config JSON]            OCI layout, gzip layers
  make_image.py rootfs OUT                                 rootfs .tar.gz (import)
  make_image.py bomb   OUT COUNT                           docker save, a gzip layer of COUNT empty files
  make_image.py save-with OUT TAG LAYER.tar                docker save, root layer + LAYER (streamed)
  make_image.py escape OUT                                 docker save, ../ path
  make_image.py symlink OUT                                docker save, write through /etc symlink

The root layer holds /bin/busybox with applet links, /etc/passwd and
/etc/group (root and app 1000:1000), /srv owned by app, /www/index.html
and /etc/marker. --layer2 adds a second layer that whites out /etc/marker
and adds /etc/layer2.
"""
import gzip
import hashlib
import io
import json
import shutil
import sys
import tarfile
import time

BUSYBOX = shutil.which("busybox")
APPLETS = ["sh", "cat", "echo", "id", "pwd", "env", "httpd", "ls", "sleep",
           "touch", "rm", "test", "true", "grep", "stat", "wc", "head"]


def add(t, name, kind="f", data=b"", mode=0o644, uid=0, gid=0, link=""):
    ti = tarfile.TarInfo(name)
    ti.mtime = 1700000000
    ti.uid, ti.gid, ti.mode = uid, gid, mode
    if kind == "d":
        ti.type = tarfile.DIRTYPE
        t.addfile(ti)
    elif kind == "l":
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
        t.addfile(ti)
    else:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))


def tar_bytes(fill):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        fill(t)
    return b.getvalue()


def root_layer(t):
    with open(BUSYBOX, "rb") as f:
        bb = f.read()
    for d in ["bin", "etc", "tmp", "www"]:
        add(t, d, "d", mode=0o1777 if d == "tmp" else 0o755)
    add(t, "bin/busybox", data=bb, mode=0o755)
    for a in APPLETS:
        add(t, "bin/" + a, "l", link="busybox")
    add(t, "etc/passwd", data=b"root:x:0:0:root:/root:/bin/sh\n"
        b"app:x:1000:1000:app:/srv:/bin/sh\n")
    add(t, "etc/group", data=b"root:x:0:\napp:x:1000:\n")
    add(t, "etc/marker", data=b"marker from the image\n")
    add(t, "srv", "d", mode=0o755, uid=1000, gid=1000)
    add(t, "srv/file", data=b"pristine\n", uid=1000, gid=1000)
    add(t, "www/index.html", data=b"hello from a container VM\n")


def layer2(t):
    add(t, "etc/.wh.marker")
    add(t, "etc/layer2", data=b"second layer\n")


DEFAULT_CONFIG = {"Env": ["PATH=/bin"], "Cmd": ["sh"]}


def image_config(layers, config):
    return json.dumps({
        "architecture": "amd64", "os": "linux",
        "created": "2024-01-02T03:04:05Z", "config": config,
        "rootfs": {"type": "layers",
                   "diff_ids": ["sha256:" + hashlib.sha256(l).hexdigest()
                                for l in layers]},
        "history": [{"created": "2024-01-02T03:04:05Z"}]}).encode()


def save(out, tag, layers, config):
    cfg = image_config(layers, config)
    cid = hashlib.sha256(cfg).hexdigest()

    def fill(t):
        names = []
        for l in layers:
            d = hashlib.sha256(l).hexdigest()
            add(t, d, "d", mode=0o755)
            add(t, d + "/VERSION", data=b"1.0")
            add(t, d + "/layer.tar", data=l)
            names.append(d + "/layer.tar")
        add(t, cid + ".json", data=cfg)
        add(t, "manifest.json", data=json.dumps(
            [{"Config": cid + ".json", "RepoTags": [tag], "Layers": names}]).encode())
    with open(out, "wb") as f:
        f.write(tar_bytes(fill))


def oci(out, name, layers, config):
    cfg = image_config(layers, config)
    blobs = {}
    descs = []
    for l in layers:
        z = gzip.compress(l, mtime=0)
        d = hashlib.sha256(z).hexdigest()
        blobs[d] = z
        descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": "sha256:" + d, "size": len(z)})
    blobs[hashlib.sha256(cfg).hexdigest()] = cfg
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": "sha256:" + hashlib.sha256(cfg).hexdigest(),
                   "size": len(cfg)},
        "layers": descs}).encode()
    md = hashlib.sha256(manifest).hexdigest()
    blobs[md] = manifest
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:" + md, "size": len(manifest),
        "annotations": {"io.containerd.image.name": name,
                        "org.opencontainers.image.ref.name": name.split(":")[-1]}}]})

    def fill(t):
        add(t, "oci-layout", data=b'{"imageLayoutVersion":"1.0.0"}')
        add(t, "index.json", data=index.encode())
        for d, b in blobs.items():
            add(t, "blobs/sha256/" + d, data=b)
    with open(out, "wb") as f:
        f.write(tar_bytes(fill))


def bomb(out, count):
    # tarfile takes a minute for a million headers: these differ only in
    # the name and its checksum, so they are patched into one template.
    hdr = bytearray(512)
    hdr[100:108] = b"0000644\0"
    hdr[108:116] = b"0000000\0"
    hdr[116:124] = b"0000000\0"
    hdr[124:136] = b"00000000000\0"
    hdr[136:148] = b"14540000000\0"
    hdr[148:156] = b"        "
    hdr[156:157] = b"0"
    hdr[257:265] = b"ustar\x0000"
    base = sum(hdr)
    raw = io.BytesIO()
    z = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0)
    diff = hashlib.sha256()
    chunk = bytearray()
    for i in range(count):
        name = b"f%07d" % i
        h = bytearray(hdr)
        h[0:8] = name
        h[148:156] = b"%06o\0 " % (base + sum(name))
        chunk += h
        if len(chunk) >= 1 << 20:
            z.write(chunk)
            diff.update(chunk)
            chunk = bytearray()
    chunk += bytes(1024)
    z.write(chunk)
    diff.update(chunk)
    z.close()
    # One gzip layer of a docker save archive: the bomb is inside.
    layer = raw.getvalue()
    cfg = json.dumps({"rootfs": {"type": "layers",
                                 "diff_ids": ["sha256:" + diff.hexdigest()]}}).encode()

    def fill(t):
        add(t, "bomb/layer.tar", data=layer)
        add(t, "c.json", data=cfg)
        add(t, "manifest.json", data=json.dumps(
            [{"Config": "c.json", "RepoTags": ["evil:bomb"],
              "Layers": ["bomb/layer.tar"]}]).encode())
    with open(out, "wb") as f:
        f.write(tar_bytes(fill))


def save_with(out, tag, extra, config):
    """docker save of the root layer and a large layer file, streamed."""
    root = tar_bytes(root_layer)
    h = hashlib.sha256()
    with open(extra, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    digests = [hashlib.sha256(root).hexdigest(), h.hexdigest()]
    cfg = json.dumps({
        "architecture": "amd64", "os": "linux", "config": config,
        "rootfs": {"type": "layers",
                   "diff_ids": ["sha256:" + d for d in digests]}}).encode()
    cid = hashlib.sha256(cfg).hexdigest()
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        add(t, digests[0] + "/layer.tar", data=root)
        t.add(extra, arcname=digests[1] + "/layer.tar")
        add(t, cid + ".json", data=cfg)
        add(t, "manifest.json", data=json.dumps(
            [{"Config": cid + ".json", "RepoTags": [tag],
              "Layers": [d + "/layer.tar" for d in digests]}]).encode())


def main():
    kind, out = sys.argv[1], sys.argv[2]
    config = dict(DEFAULT_CONFIG)
    if "--config" in sys.argv:
        config = json.loads(sys.argv[sys.argv.index("--config") + 1])
    layers = [tar_bytes(root_layer)]
    if "--layer2" in sys.argv:
        layers.append(tar_bytes(layer2))
    if kind == "save":
        save(out, sys.argv[3], layers, config)
    elif kind == "oci":
        oci(out, sys.argv[3], layers, config)
    elif kind == "save-with":
        save_with(out, sys.argv[3], sys.argv[4], config)
    elif kind == "rootfs":
        with open(out, "wb") as f:
            f.write(gzip.compress(layers[0]))
    elif kind == "bomb":
        bomb(out, int(sys.argv[3]))
    elif kind == "escape":
        save(out, "evil:escape", [tar_bytes(
            lambda t: add(t, "../../../tmp/tether-escaped", data=b"x"))], config)
    elif kind == "symlink":
        def fill(t):
            add(t, "etc", "l", link="/etc")
            add(t, "etc/tether-escaped", data=b"x")
        save(out, "evil:symlink", [tar_bytes(fill)], config)
    else:
        sys.exit("unknown kind " + kind)


if __name__ == "__main__":
    main()
