#!/usr/bin/python3
"""Drives Debian's headless chromium through the DevTools protocol against
the admin portal: logs in with the password, finds the test's container in
the dashboard's table, follows its log link, sees a container created
after the page loaded appear without a reload, and saves screenshots of
the dashboard (desktop and phone widths) to OUT_DIR.

usage: admin_browser.py CHROMIUM URL SPKI PASSWORD NAME OUT_DIR LATE_CMD...

SPKI is the base64 SHA-256 of the server key (chromium then trusts that
key alone); LATE_CMD creates the late container. Exits non-zero with a
message on the first failed check; chromium is always killed by its PID.
"""
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # python3-websocket

TIMEOUT = 30


class Fail(Exception):
    pass


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=TIMEOUT)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise Fail("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)
        raise Fail("%s: no answer" % method)

    def wait_event(self, name):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[: i + 1]
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise Fail("no %s event" % name)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise Fail("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def submit_and_wait(self, expr):
        self.events.clear()
        self.eval(expr)
        self.wait_event("Page.loadEventFired")

    def wait_text(self, text, seconds=TIMEOUT):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if text in (self.eval("document.body.innerText") or ""):
                return
            time.sleep(0.2)
        raise Fail("page never showed %r; it shows:\n%s" %
                   (text, self.eval("document.body.innerText")))

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png",
                         captureBeyondViewport=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


def check(what, ok):
    if not ok:
        raise Fail(what)
    print("ok: " + what)


def start_chromium(chromium, spki, profile):
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile, "--remote-debugging-port=0",
            "--ignore-certificate-errors-spki-list=" + spki,
            "--window-size=1280,900", "about:blank"]
    # TMPDIR: chromium's singleton socket directory goes with the profile
    # instead of staying behind in /tmp once chromium is killed.
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(profile, "stderr"), "w"),
                            env=dict(os.environ, TMPDIR=profile),
                            start_new_session=True)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        if proc.poll() is not None:
            raise Fail("chromium exited with %d" % proc.returncode)
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if lines:
                return proc, int(lines[0])
        time.sleep(0.1)
    raise Fail("chromium did not open its DevTools port")


def run(chromium, url, spki, password, name, out_dir, late_cmd, profile):
    proc, port = start_chromium(chromium, spki, profile)
    try:
        targets = json.load(urllib.request.urlopen(
            "http://127.0.0.1:%d/json/list" % port, timeout=TIMEOUT))
        page = Page(next(t for t in targets if t["type"] == "page")
                    ["webSocketDebuggerUrl"])
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Network.enable")

        page.navigate(url + "/")
        check("the dashboard asks for the password",
              page.eval("!!document.querySelector('input[name=password]')"))
        page.submit_and_wait(
            "document.getElementById('password').value=%s;"
            "document.querySelector('form').submit()" % json.dumps(password))
        page.wait_text("Containers")
        check("logged in: the dashboard is shown",
              page.eval("location.pathname") == "/")
        cookies = page.call("Network.getCookies", urls=[url])["cookies"]
        c = next((c for c in cookies if c["name"] == "tether_admin"), None)
        check("session cookie is Secure, HttpOnly, SameSite=Strict",
              c is not None and c["secure"] and c["httpOnly"] and
              c.get("sameSite") == "Strict")
        check("the script cannot read the cookie",
              "tether_admin" not in page.eval("document.cookie"))
        page.wait_text(name)
        check("the container %s is in the table" % name, True)

        # The table refreshes itself: a container made now shows up
        # without a reload (the marker survives only without one).
        page.eval("window.__noReload = 1")
        subprocess.run(late_cmd, check=True, stdout=subprocess.DEVNULL,
                       timeout=TIMEOUT)
        page.wait_text("late-one", 15)
        check("a new container appears without reloading the page",
              page.eval("window.__noReload") == 1)

        os.makedirs(out_dir, exist_ok=True)
        page.screenshot(os.path.join(out_dir, "dashboard.png"))
        page.call("Emulation.setDeviceMetricsOverride", width=390,
                  height=844, deviceScaleFactor=2, mobile=True)
        page.screenshot(os.path.join(out_dir, "dashboard-phone.png"))
        page.call("Emulation.clearDeviceMetricsOverride")
        print("screenshots in " + out_dir)

        href = page.eval(
            "Array.from(document.querySelectorAll('#containers tr'))"
            ".filter(r => r.innerText.includes(%s))"
            ".map(r => r.querySelector('a').href)[0]" % json.dumps(name))
        check("the container has a log link", bool(href) and
              href.endswith("/logs"))
        page.navigate(href)
        page.wait_text(name + "-stdout-line")
        check("the log link shows the container's output", True)
        text = page.eval("document.body.innerText")
        check("the log shows stderr too", name + "-stderr-line" in text)

        page.navigate(url + "/")
        page.submit_and_wait("document.querySelector('header form').submit()")
        check("logout leads to the login form",
              page.eval("!!document.querySelector('input[name=password]')"))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def main():
    if len(sys.argv) < 8:
        print(__doc__)
        return 2
    chromium, url, spki, password, name, out_dir = sys.argv[1:7]
    late_cmd = sys.argv[7:]
    profile = tempfile.mkdtemp(prefix="admin-chromium.")
    try:
        run(chromium, url, spki, password, name, out_dir, late_cmd, profile)
    except Fail as e:
        print("FAIL: %s" % e, file=sys.stderr)
        err = os.path.join(profile, "stderr")
        if os.path.exists(err):
            print("--- chromium stderr (tail)", file=sys.stderr)
            print(open(err).read()[-2000:], file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    print("admin_browser: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
