#!/usr/bin/env python3
"""Browser test of `frontline view`: the page opens from file:// in Debian's headless Chromium with
no network, draws the map, moves to the last step by slider and by the play button, shows each
part's area_km2 in its popup, fetches nothing and logs no error or warning in the console.

Drives chromedriver through the W3C WebDriver HTTP protocol with urllib (no selenium). Kills
chromedriver and Chromium on every path (each in a process group of its own, plus any process
still using this run's private profile folder). Exit codes: 0 pass, 1 fail, 77 skipped (CTest's
SKIP_RETURN_CODE): only when Chromium is absent and FRONTLINE_REQUIRE_BROWSER is unset.

    test_viewer.py --frontline build/cli/frontline --sample-dir sample_data

FRONTLINE_BROWSER_SCREENSHOTS=DIR keeps the screenshots there.
"""
import argparse
import base64
import datetime
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

CHROMIUM = os.environ.get("FRONTLINE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FRONTLINE_CHROMEDRIVER", "/usr/bin/chromedriver")
DEADLINE_S = 90          # the whole test, hard limit (SIGALRM), cleanup included
WIDTH, HEIGHT = 1280, 900


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)
    check(r.returncode == 0, f"{' '.join(cmd)} exited {r.returncode}: {r.stderr}")
    return r


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def week_steps(start, end):
    """(from, to) of every weekly step, computed here independently of frontline."""
    d0 = datetime.date.fromisoformat(start)
    d1 = datetime.date.fromisoformat(end)
    bounds = []
    d = d0
    while d < d1:
        bounds.append(d)
        d += datetime.timedelta(days=7)
    bounds.append(d1)
    return [(a.isoformat(), b.isoformat()) for a, b in zip(bounds, bounds[1:])]


def decode_png(data):
    """RGB(A) PNG, 8 bits per channel, non-interlaced (what Chromium's screenshots are) → (w, h, rows)."""
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            check(depth == 8 and colour in (2, 6) and interlace == 0, f"unexpected PNG format {depth}/{colour}/{interlace}")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise Failure(f"WebDriver {method} {path}: HTTP {e.code}: {e.read()[:500]!r}")

    def s(self, method, path, body=None, timeout=30):
        return self.call(method, f"/session/{self.session}{path}", body, timeout)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})


def kill_group(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def kill_profile_users(profile):
    """Any process still running with this run's own --user-data-dir (Chromium helpers that left
    the process group): killed by pid, found through /proc."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if profile.encode() in f.read():
                    os.kill(int(pid), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


def on_alarm(signum, frame):
    raise Failure(f"timed out after {DEADLINE_S} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frontline", required=True)
    ap.add_argument("--sample-dir", required=True)
    a = ap.parse_args()

    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        message = f"no Chromium ({CHROMIUM}) or chromedriver ({CHROMEDRIVER}); apt install chromium chromium-driver"
        if os.environ.get("FRONTLINE_REQUIRE_BROWSER"):
            print("FAIL: " + message + " (FRONTLINE_REQUIRE_BROWSER is set)")
            return 1
        print("SKIP: " + message)
        return 77

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(DEADLINE_S)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="frontline-browser-")
    profile = os.path.join(work, "chromium-profile")
    driver_proc = None
    wd = None
    try:
        # A viewer from the three sample snapshots, weekly, with the sample regions as base map.
        store = os.path.join(work, "s.gpkg")
        samples = [os.path.join(a.sample_dir, f"deepstatemap_data_{d}.geojson") for d in ("20250102", "20250801", "20260101")]
        regions = os.path.join(a.sample_dir, "ukraine_adm1_east.geojson")
        run([a.frontline, "ingest", "--store", store, *samples])
        page = os.path.join(work, "viewer.html")
        run([a.frontline, "view", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01", "--step", "week",
             "--regions", regions, "-o", page])
        series = json.loads(run([a.frontline, "series", "--store", store, "--from", "2025-01-02", "--to", "2026-01-01",
                                 "--step", "week", "--regions", regions, "--json"]).stdout)
        expected = week_steps("2025-01-02", "2026-01-01")
        check(len(series["steps"]) == len(expected) == 52, f"{len(series['steps'])} series steps, expected 52")
        last_from, last_to = expected[-1]
        last_label = f"Step 52 of 52: {last_from} to {last_to}"

        port = free_port()
        driver_proc = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        wd = WebDriver(port)
        for _ in range(100):
            try:
                if wd.call("GET", "/status", timeout=2).get("ready"):
                    break
            except (OSError, Failure):
                pass
            time.sleep(0.1)
        else:
            raise Failure("chromedriver did not start")
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                f"--window-size={WIDTH},{HEIGHT}", "--force-device-scale-factor=1", f"--user-data-dir={profile}",
                # No network: any host name fails to resolve, so a fetch could only fail (and log).
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        created = wd.call("POST", "/session", caps, timeout=60)
        wd.session = created["sessionId"]
        wd.s("POST", "/url", {"url": "file://" + page})
        for _ in range(100):
            if wd.js("return document.body && document.body.dataset.ready === 'true';"):
                break
            time.sleep(0.1)
        else:
            raise Failure("the page never reported ready (document.body.dataset.ready)")

        geometry = wd.js("""
            var v = window.frontlineViewer, m = v.map, b = v.bounds, r = m.getContainer().getBoundingClientRect();
            var nw = m.latLngToContainerPoint(b.getNorthWest()), se = m.latLngToContainerPoint(b.getSouthEast());
            return {x0: r.left + nw.x, y0: r.top + nw.y, x1: r.left + se.x, y1: r.top + se.y,
                    mapRight: r.right, steps: v.steps, dpr: window.devicePixelRatio,
                    bg: getComputedStyle(m.getContainer()).backgroundColor};""")
        check(geometry["steps"] == 52, f"the page has {geometry['steps']} steps, expected 52")
        check(abs(geometry["dpr"] - 1.0) < 1e-9, f"devicePixelRatio {geometry['dpr']}")
        bg = tuple(int(c) for c in geometry["bg"][geometry["bg"].index("(") + 1:-1].split(",")[:3])

        def screenshot_counts(name):
            png = base64.b64decode(wd.s("GET", "/screenshot"))
            keep = os.environ.get("FRONTLINE_BROWSER_SCREENSHOTS")  # a folder to keep them in, for a look
            if keep:
                with open(os.path.join(keep, f"viewer_{name}.png"), "wb") as f:
                    f.write(png)
            w, h, bpp, rows = decode_png(png)
            x0, x1 = max(0, int(geometry["x0"]) + 2), min(w, int(geometry["mapRight"]), int(geometry["x1"]) - 2)
            y0, y1 = max(0, int(geometry["y0"]) + 2), min(h, int(geometry["y1"]) - 2)
            check(x1 - x0 > 100 and y1 - y0 > 100, f"the country's box on screen is too small: {geometry}")
            total = drawn = red = blue = 0
            for y in range(y0, y1):
                row = rows[y]
                for x in range(x0, x1):
                    r, g, b = row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]
                    total += 1
                    if abs(r - bg[0]) + abs(g - bg[1]) + abs(b - bg[2]) > 30:
                        drawn += 1
                    if r > 180 and g < 150 and b < 150:
                        red += 1
                    if b > 150 and r < 140 and g < 190 and b - r > 60:
                        blue += 1
            return total, drawn, red, blue

        total, drawn, _, _ = screenshot_counts("first_step")
        check(drawn > 0.3 * total, f"the map did not draw: {drawn} of {total} pixels in the country's box differ "
                                   f"from the background {bg}")
        first_label = wd.js("return document.getElementById('step-label').textContent;")
        check(first_label == f"Step 1 of 52: {expected[0][0]} to {expected[0][1]}", f"first label {first_label!r}")

        # The slider, set to its end as a user would drag it (value + input event).
        label = wd.js("""var s = document.getElementById('slider'); s.value = s.max;
                         s.dispatchEvent(new Event('input', {bubbles: true}));
                         return document.getElementById('step-label').textContent;""")
        check(label == last_label, f"after moving the slider to its end the page shows {label!r}, expected {last_label!r}")
        total, drawn, red, blue = screenshot_counts("last_step")
        check(red > 200 and blue > 20, f"last step: {red} red (gained) and {blue} blue (lost) pixels; the parts did not draw")

        # The play button, clicked two steps before the end: it stops at the last step.
        wd.js("window.frontlineViewer.show(50);")
        button = wd.s("POST", "/element", {"using": "css selector", "value": "#play"})
        wd.s("POST", f"/element/{list(button.values())[0]}/click", {})
        label = ""
        for _ in range(80):
            label = wd.js("return document.getElementById('step-label').textContent + '|' + "
                          "document.getElementById('play').textContent;")
            if label == last_label + "|Play":
                break
            time.sleep(0.1)
        check(label == last_label + "|Play", f"after play the page shows {label!r}, expected {last_label!r} and a stopped button")
        slider_value = wd.js("return document.getElementById('slider').value;")
        check(slider_value == "52", f"slider at {slider_value} after play")

        # Every part of the last step has a popup giving its area_km2, as in the series' parts.
        popups = wd.js("""var out = [];
            window.frontlineViewer.map.eachLayer(function (l) {
              if (l.feature && l.feature.properties.step === 52) {
                l.openPopup();
                var e = l.getPopup().getElement();
                var c = e ? e.querySelector('.leaflet-popup-content') : null;
                out.push([l.feature.properties.area_km2, c ? c.textContent : '', String(l.feature.properties.area_km2)]);
              }
            });
            window.frontlineViewer.map.closePopup();
            return out;""")
        check(len(popups) > 0, "no part on the map at the last step")
        for area, text, shown in popups:
            check(f"area_km2{shown}" in text, f"popup {text!r} does not give area_km2 {shown}")
        gained = round(sum(a for a, t, _ in popups if "changegained" in t), 4)
        check(abs(gained - series["steps"][-1]["gained_km2"]) < 1e-3 * len(popups) + 1e-6,
              f"last step's gained popups add up to {gained} km2, the series says {series['steps'][-1]['gained_km2']}")

        # "Also show earlier steps" adds step 31's parts (the only other step with change) to step 52's.
        layers = wd.js("""var c = document.getElementById('cumulative'); var count = function () {
              var n = {}; window.frontlineViewer.map.eachLayer(function (l) {
                if (l.feature && l.feature.properties.step !== undefined) { n[l.feature.properties.step] = (n[l.feature.properties.step] || 0) + 1; } });
              return n; };
            var before = count(); c.click(); var after = count(); c.click();
            return [before, after, count()];""")
        check(set(layers[0]) == {"52"} and set(layers[1]) == {"31", "52"} and layers[2] == layers[0],
              f"steps on the map: alone {layers[0]}, with earlier steps {layers[1]}, after unticking {layers[2]}")

        # Nothing fetched, no link out, and a clean console.
        resources = wd.js("return performance.getEntriesByType('resource').map(function (e) { return e.name; });")
        check(resources == [], f"the page fetched {resources}")
        links = wd.js("return Array.prototype.filter.call(document.querySelectorAll('[href],[src]'), function (e) {"
                      "  return e.hasAttribute('src') || e.getAttribute('href').charAt(0) !== '#'; })"
                      ".map(function (e) { return e.outerHTML.slice(0, 120); });")
        check(links == [], f"elements with a src, or an href other than a #fragment (Leaflet's zoom buttons): {links}")
        logs = wd.s("POST", "/se/log", {"type": "browser"}) or []
        bad = [e for e in logs if e.get("level") in ("SEVERE", "WARNING")]
        check(not bad, f"browser console errors/warnings: {bad}")
        print(f"PASS: map drew ({drawn}/{total} px in the box, {red} red, {blue} blue at the last step), slider and "
              f"play reach {last_label!r}, {len(popups)} popups match, 0 fetches, {len(logs)} console entries, none "
              f"at warning level; {time.monotonic() - started:.1f} s")
        return 0
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        signal.alarm(0)
        if wd is not None and wd.session is not None:
            try:
                wd.call("DELETE", f"/session/{wd.session}", timeout=5)
            except Exception:
                pass
        kill_group(driver_proc)
        kill_profile_users(profile)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
