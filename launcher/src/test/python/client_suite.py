#!/usr/bin/python3
"""Herd client suite: drives five real server processes the way Herd's users do.

    /usr/bin/python3 client_suite.py --server-cmd "java -jar launcher/target/launcher.jar"
    /usr/bin/python3 client_suite.py --server-cmd "/usr/bin/python3 bench/asyncio-herd/server.py"

Standard library only.  The suite picks free loopback ports, runs a stand-in
Google Places server (checks the key, records location and radius, answers a
canned Google-shaped body; some locations are marked to fail or to be slow),
writes a config (default herd names and links, provider google, url of the
stand-in, key in the environment variable HERD_SUITE_PLACES_KEY), starts
`<server-cmd> NAME --config CFG` for each server (plus one extra single-server
herd with the key unset, for REQUEST_DENIED), waits until every port accepts,
and runs the cases.  Every client writes its command(s), half-closes and reads
to end of input, and replies are compared byte for byte.

Output: one line per case, `ok NAME` or `FAIL NAME: detail`, then exactly one
line `N passed, M failed`.  Exit status 0 only when M == 0.  Every server
process is stopped at the end, also on failure or Ctrl-C.
"""

import argparse
import asyncio
import http.server
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

NAMES = ["Goloman", "Hands", "Holiday", "Welsh", "Wilkes"]
LINKS = [["Goloman", "Hands"], ["Goloman", "Holiday"], ["Goloman", "Wilkes"],
         ["Hands", "Wilkes"], ["Holiday", "Welsh"], ["Holiday", "Wilkes"]]
KEY_ENV = "HERD_SUITE_PLACES_KEY"
TEST_KEY = "suite-key-7f3a9c1e-do-not-log"
PLACES_PATH = "/maps/api/place/nearbysearch/json"
TIMEOUT_MS = 2000
SUITE_DEADLINE = 45.0           # the cases; stopping servers adds at most ~4 s
LOG_READ_CAP = 8 * 1024 * 1024  # bytes of each log the suite reads
START_DEADLINE = 20.0           # every port accepting
FLOOD_DEADLINE = 10.0
IO_TIMEOUT = 10.0

# Marked client latitudes that make the stand-in misbehave.
LAT_HTTP_500 = 11.111111
LAT_BAD_JSON = 22.222222
LAT_TIMEOUT = 33.333333
LAT_SLOW = 44.444444
LAT_ZERO = 55.555555
LAT_CHUNKED = 66.666666
SLOW_DELAY = 1.0
TIMEOUT_DELAY = 4.0

# --------------------------------------------------------------------------
# Canned Places body

FIRST_TWO = [
    {
        "geometry": {
            "location": {"lat": 34.068921, "lng": -118.445181},
            "viewport": {
                "northeast": {"lat": 34.0702699802915, "lng": -118.4438320197085},
                "southwest": {"lat": 34.0675720197085, "lng": -118.4465299802915},
            },
        },
        "icon": "https://maps.gstatic.com/mapfiles/place_api/icons/school-71.png",
        "id": "4d56f16ad3d8976d49143fa4fdfffbc0a7ce8e39",
        "name": "University of California, Los Angeles",
        "opening_hours": {"open_now": True, "weekday_text": []},
        "photos": [{
            "height": 1200,
            "html_attributions": ["From a Google User"],
            "photo_reference": "CnRtAAAATLZNl354RwP_9UKbQ_5Psy40texXePv4oAlgP4qNEkdIrkyse7rPXYGd9D_Uj1rVsQd",
            "width": 1600,
        }],
        "place_id": "ChIJZQ9c8IW8woARN0gTXFiTqSU",
        "plus_code": {},
        "rating": 4.5,
        "reference": "ChIJZQ9c8IW8woARN0gTXFiTqSU",
        "scope": "GOOGLE",
        "types": ["university", "point_of_interest", "establishment"],
        "user_ratings_total": 1234,
        "vicinity": "405 Hilgard Ave, Los Angeles \"Westwood\"",
    },
    {
        "geometry": {"location": {"lat": 34.0675, "lng": -118.4463}},
        "icon": "https://maps.gstatic.com/mapfiles/place_api/icons/cafe-71.png",
        "id": "c2b5a0f7e3d94b6c8a1f0e2d3c4b5a69788796a5",
        "name": "Caf\u00e9 \u00c9toile",
        "opening_hours": {"open_now": False},
        "flags": [True, False, None],
        "place_id": "ChIJ-cafe-etoile-0001",
        "price_level": 2,
        "rating": 4.25,
        "scores": [1, 2.5, -3],
        "types": ["cafe", "food", "point_of_interest", "establishment"],
        "vicinity": "1099 Westwood Blvd, Los Angeles",
    },
]

OTHER_NAMES = ["\u6771\u4eac\u30bf\u30ef\u30fc", "Z\u00fcrcher B\u00e4ckerei",
               "The \"Best\" Diner", "\u0420\u0435\u0441\u0442\u043e\u0440\u0430\u043d",
               "Cr\u00e8me br\u00fbl\u00e9e & Co", "Pi\u00f1ata \U0001F389 Party",
               "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ae", "Back\\slash Bar"]


def canned_doc():
    results = [json.loads(json.dumps(r)) for r in FIRST_TWO]
    for i in range(2, 25):
        results.append({
            "geometry": {"location": {"lat": round(34.06 + i * 0.0013, 6),
                                      "lng": round(-118.44 - i * 0.0007, 6)}},
            "name": "%s #%d" % (OTHER_NAMES[i % len(OTHER_NAMES)], i),
            "place_id": "ChIJ-suite-%04d" % i,
            "rating": round(3 + (i % 20) / 10, 1),
            "types": ["restaurant", "food"] if i % 2 else ["store"],
            "vicinity": "%d Westwood Plaza" % (100 + i),
        })
    return {"html_attributions": [], "next_page_token": "CqQCF-suite-token-AA",
            "results": results, "status": "OK"}


def canned_text():
    """The canned body as an upstream might send it: odd indentation, blank
    lines between members, \\u escapes and an escaped slash."""
    text = json.dumps(canned_doc(), indent=2, ensure_ascii=False)
    text = text.replace(",\n", ",\n\n").replace("[\n", "[\n\n\n")
    text = text.replace("Caf\u00e9 \u00c9toile", "Caf\\u00e9 \\u00c9toile")
    text = text.replace("https://maps", "https:\\/\\/maps")
    return "\n\n" + text + "\n\n"


CANNED_BYTES = canned_text().encode("utf-8")
ZERO_BYTES = b'{"html_attributions":[],"results":[],"status":"ZERO_RESULTS"}'

# The canned body cut to two results, rendered in Google's style, by hand.
EXPECTED_2 = """{
   "html_attributions" : [],
   "next_page_token" : "CqQCF-suite-token-AA",
   "results" : [
      {
         "geometry" : {
            "location" : {
               "lat" : 34.068921,
               "lng" : -118.445181
            },
            "viewport" : {
               "northeast" : {
                  "lat" : 34.0702699802915,
                  "lng" : -118.4438320197085
               },
               "southwest" : {
                  "lat" : 34.0675720197085,
                  "lng" : -118.4465299802915
               }
            }
         },
         "icon" : "https://maps.gstatic.com/mapfiles/place_api/icons/school-71.png",
         "id" : "4d56f16ad3d8976d49143fa4fdfffbc0a7ce8e39",
         "name" : "University of California, Los Angeles",
         "opening_hours" : {
            "open_now" : true,
            "weekday_text" : []
         },
         "photos" : [
            {
               "height" : 1200,
               "html_attributions" : [ "From a Google User" ],
               "photo_reference" : "CnRtAAAATLZNl354RwP_9UKbQ_5Psy40texXePv4oAlgP4qNEkdIrkyse7rPXYGd9D_Uj1rVsQd",
               "width" : 1600
            }
         ],
         "place_id" : "ChIJZQ9c8IW8woARN0gTXFiTqSU",
         "plus_code" : {},
         "rating" : 4.5,
         "reference" : "ChIJZQ9c8IW8woARN0gTXFiTqSU",
         "scope" : "GOOGLE",
         "types" : [ "university", "point_of_interest", "establishment" ],
         "user_ratings_total" : 1234,
         "vicinity" : "405 Hilgard Ave, Los Angeles \\"Westwood\\""
      },
      {
         "geometry" : {
            "location" : {
               "lat" : 34.0675,
               "lng" : -118.4463
            }
         },
         "icon" : "https://maps.gstatic.com/mapfiles/place_api/icons/cafe-71.png",
         "id" : "c2b5a0f7e3d94b6c8a1f0e2d3c4b5a69788796a5",
         "name" : "Caf\u00e9 \u00c9toile",
         "opening_hours" : {
            "open_now" : false
         },
         "flags" : [ true, false, null ],
         "place_id" : "ChIJ-cafe-etoile-0001",
         "price_level" : 2,
         "rating" : 4.25,
         "scores" : [ 1, 2.5, -3 ],
         "types" : [ "cafe", "food", "point_of_interest", "establishment" ],
         "vicinity" : "1099 Westwood Blvd, Los Angeles"
      }
   ],
   "status" : "OK"
}""".encode("utf-8")


def google_style(v, indent=""):
    """Independent rendering of Google's style, checked against EXPECTED_2."""
    inner = indent + "   "
    if isinstance(v, dict):
        if not v:
            return "{}"
        members = ["%s%s : %s" % (inner, json.dumps(k, ensure_ascii=False), google_style(x, inner))
                   for k, x in v.items()]
        return "{\n" + ",\n".join(members) + "\n" + indent + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        if not any(isinstance(x, (dict, list)) for x in v):
            return "[ " + ", ".join(google_style(x) for x in v) + " ]"
        return "[\n" + ",\n".join(inner + google_style(x, inner) for x in v) + "\n" + indent + "]"
    return json.dumps(v, ensure_ascii=False)


def expected_json(bound):
    doc = canned_doc()
    del doc["results"][bound:]
    return google_style(doc).encode("utf-8")


# --------------------------------------------------------------------------
# Stand-in Places server

class PlacesStandIn:
    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                u = urllib.parse.urlsplit(self.path)
                q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
                rec = {"path": u.path, "key_ok": q.get("key") == [TEST_KEY],
                       "location": None, "radius": None, "raw": u.query.replace(TEST_KEY, "<key>")}
                try:
                    lat, lng = q["location"][0].split(",")
                    rec["location"] = (float(lat), float(lng))
                    rec["radius"] = float(q["radius"][0])
                except (KeyError, ValueError, IndexError):
                    pass
                with outer.lock:
                    outer.requests.append(rec)
                try:
                    self.respond(rec)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def send(self, status, body, chunked=False, ctype="application/json; charset=UTF-8"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(body), 1000):
                        part = body[i:i + 1000]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                self.wfile.flush()

            def respond(self, rec):
                if rec["path"] != PLACES_PATH or rec["location"] is None or rec["radius"] is None:
                    self.send(400, b'{"status" : "INVALID_REQUEST"}')
                    return
                if not rec["key_ok"]:
                    self.send(200, b'{"error_message" : "The provided API key is invalid.", '
                                   b'"html_attributions" : [], "results" : [], '
                                   b'"status" : "REQUEST_DENIED"}')
                    return
                lat = rec["location"][0]

                def marked(x):
                    return abs(lat - x) < 1e-7

                if marked(LAT_HTTP_500):
                    self.send(500, b"<html>internal error</html>", ctype="text/html")
                elif marked(LAT_BAD_JSON):
                    self.send(200, b'{"html_attributions" : [], "results" : [ {"name" : ')
                elif marked(LAT_TIMEOUT):
                    time.sleep(TIMEOUT_DELAY)
                    self.send(200, CANNED_BYTES)
                elif marked(LAT_SLOW):
                    time.sleep(SLOW_DELAY)
                    self.send(200, CANNED_BYTES)
                elif marked(LAT_ZERO):
                    self.send(200, ZERO_BYTES)
                elif marked(LAT_CHUNKED):
                    self.send(200, CANNED_BYTES, chunked=True)
                else:
                    self.send(200, CANNED_BYTES)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def find(self, lat, lng):
        with self.lock:
            return [r for r in self.requests if r["location"] is not None
                    and abs(r["location"][0] - lat) < 1e-7 and abs(r["location"][1] - lng) < 1e-7]


# --------------------------------------------------------------------------
# Processes

def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class ServerProc:
    def __init__(self, label, argv, cwd, env, outdir):
        self.label = label
        self.argv = argv
        self.cwd = cwd
        self.env = env
        self.out_path = os.path.join(outdir, label + ".stdout")
        self.err_path = os.path.join(outdir, label + ".stderr")
        self.proc = None

    def start(self):
        with open(self.out_path, "ab") as out, open(self.err_path, "ab") as err:
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=out,
                                         stderr=err, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        """Signal our own child's process group (it is the group leader)."""
        p = self.proc
        if p is None or p.poll() is not None:
            return
        try:
            os.killpg(p.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, timeout=3.0):
        stop_procs([self], timeout)

    def tail(self, n=25):
        out = []
        for path in (self.out_path, self.err_path):
            try:
                with open(path, "rb") as f:
                    lines = f.read().decode("utf-8", "replace").splitlines()[-n:]
            except OSError:
                lines = []
            out.append("---- %s (%s) ----" % (os.path.basename(path),
                                              "exit %s" % self.proc.returncode
                                              if self.proc and self.proc.poll() is not None
                                              else "running"))
            out.extend(lines)
        return "\n".join(out)


def stop_procs(procs, timeout=3.0):
    """SIGTERM every process, wait up to `timeout` in total, then SIGKILL."""
    for p in procs:
        p.signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for p in procs:
        if p.proc is None:
            continue
        try:
            p.proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.signal(signal.SIGKILL)
    for p in procs:
        if p.proc is not None:
            try:
                p.proc.wait(2.0)
            except subprocess.TimeoutExpired:
                pass


async def wait_port(port, proc, deadline):
    while True:
        try:
            r, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            pass
        if not proc.alive():
            raise AssertionError("%s exited before listening on %d" % (proc.label, port))
        if time.monotonic() > deadline:
            raise AssertionError("%s: port %d not accepting after %.0f s"
                                 % (proc.label, port, START_DEADLINE))
        await asyncio.sleep(0.05)


# --------------------------------------------------------------------------
# Client helpers

async def exchange(port, data, timeout=IO_TIMEOUT):
    """Write `data`, half-close, read to end of input."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        try:
            writer.write(data)
            await writer.drain()
            writer.write_eof()
        except (ConnectionResetError, BrokenPipeError):
            pass
        try:
            return await asyncio.wait_for(reader.read(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError("no end of input within %.0f s after %r" % (timeout, data[:80]))
    finally:
        writer.close()


def at_re(server, client, loc, t):
    return re.compile(b"AT " + re.escape(server.encode()) + rb" ([+-]\d+\.\d{9}) " +
                      re.escape(client) + b" " + re.escape(loc) + b" " + re.escape(t))


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def show(b, n=300):
    r = repr(b)
    return r if len(r) <= n else r[:n] + "...(%d bytes)" % len(b)


def split_whatsat(reply):
    check(reply.endswith(b"\n\n"), "WHATSAT reply does not end with two newlines: " + show(reply))
    at, _, rest = reply.partition(b"\n")
    return at, rest[:-2]


def now_text(offset=0.0):
    return ("%.9f" % (time.time() + offset)).encode()


ERROR_SHAPE = (rb'\{\n   "html_attributions" : \[\],\n   "results" : \[\],\n'
               rb'   "status" : "%s",\n   "error_message" : "(?:[^"\\\n]|\\.)*"\n\}')

LOG_LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z "
                      r"(OPEN|CLOSE|IN|OUT|PEER_UP|PEER_DOWN|PEER_IN|PEER_OUT|LEARNED|SERVER_UP|SERVER_DOWN|INFO|ERROR) "
                      r"(client/\S+|peer/\S+|-)(?: (.*))?")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --------------------------------------------------------------------------
# The suite

class Suite:
    def __init__(self, server_cmd, tmp):
        self.cmd = server_cmd
        self.tmp = tmp
        self.places = PlacesStandIn()
        ports = free_ports(6)
        self.port = dict(zip(NAMES, ports[:5]))
        self.nokey_port = ports[5]
        self.log_dir = os.path.join(tmp, "logs")
        self.nokey_log_dir = os.path.join(tmp, "logs-nokey")
        self.procs = {}
        self.results = []
        self.kiwi_at = None
        self.replies = []           # everything any server sent, for the key check

    # -- setup -------------------------------------------------------------
    def write_configs(self):
        url = "http://127.0.0.1:%d%s" % (self.places.port, PLACES_PATH)
        places = {"provider": "google", "url": url, "keyEnv": KEY_ENV, "timeoutMs": TIMEOUT_MS}
        cfg = {"servers": {n: {"host": "127.0.0.1", "port": self.port[n]} for n in NAMES},
               "links": LINKS, "places": places, "logDir": self.log_dir}
        self.cfg_path = os.path.join(self.tmp, "herd.json")
        with open(self.cfg_path, "w") as f:
            json.dump(cfg, f, indent=2)
        nokey = {"servers": {"Goloman": {"host": "127.0.0.1", "port": self.nokey_port}},
                 "links": [], "places": places, "logDir": self.nokey_log_dir}
        self.nokey_cfg_path = os.path.join(self.tmp, "nokey.json")
        with open(self.nokey_cfg_path, "w") as f:
            json.dump(nokey, f, indent=2)

    def make_proc(self, name):
        env = dict(os.environ)
        # The servers' cookie (peer authentication) lives in the suite's folder, as all else
        # it makes: never the user's ~/.herd/cookie.
        env["HERD_COOKIE_FILE"] = os.path.join(self.tmp, "cookie")
        if name == "nokey":
            env.pop(KEY_ENV, None)
            argv = self.cmd + ["Goloman", "--config", self.nokey_cfg_path]
        else:
            env[KEY_ENV] = TEST_KEY
            argv = self.cmd + [name, "--config", self.cfg_path]
        return ServerProc(name, argv, self.tmp, env, self.tmp)

    async def start_all(self):
        self.places.start()
        self.write_configs()
        for name in NAMES + ["nokey"]:
            self.procs[name] = self.make_proc(name)
            self.procs[name].start()
        deadline = time.monotonic() + START_DEADLINE
        await asyncio.gather(*[wait_port(self.port_of(n), self.procs[n], deadline)
                               for n in NAMES + ["nokey"]])

    def port_of(self, name):
        return self.nokey_port if name == "nokey" else self.port[name]

    def stop_all(self):
        stop_procs(list(self.procs.values()))
        self.places.stop()

    async def ask(self, name, data, timeout=IO_TIMEOUT):
        reply = await exchange(self.port_of(name), data, timeout)
        self.replies.append(reply)
        return reply

    async def iamat(self, name, client, loc, t=None):
        t = t or now_text()
        reply = await self.ask(name, b"IAMAT %s %s %s\n" % (client, loc, t))
        server = "Goloman" if name == "nokey" else name
        m = at_re(server, client, loc, t).fullmatch(reply.rstrip(b"\n"))
        check(m is not None and reply.endswith(b"\n") and reply.count(b"\n") == 1,
              "IAMAT at %s: unexpected reply %s" % (name, show(reply)))
        return reply[:-1]

    async def poll_whatsat(self, name, client, want_at, radius=b"10", bound=b"2"):
        """WHATSAT until the reply's AT line is `want_at` (flooding is async)."""
        deadline = time.monotonic() + FLOOD_DEADLINE
        last = b""
        while True:
            last = await self.ask(name, b"WHATSAT %s %s %s\n" % (client, radius, bound))
            if last.startswith(want_at + b"\n"):
                return last
            if time.monotonic() > deadline:
                raise AssertionError("%s never answered with %s; last reply %s"
                                     % (name, show(want_at), show(last)))
            await asyncio.sleep(0.05)

    # -- running -----------------------------------------------------------
    async def case(self, name, coro, timeout=20.0):
        try:
            await asyncio.wait_for(coro, timeout)
        except AssertionError as e:
            self.results.append((name, str(e)))
            print("FAIL %s: %s" % (name, e), flush=True)
            return
        except asyncio.TimeoutError:
            self.results.append((name, "timed out"))
            print("FAIL %s: timed out after %.0f s" % (name, timeout), flush=True)
            return
        except Exception as e:      # e.g. a reply that is not what it should parse as
            self.results.append((name, repr(e)))
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e), flush=True)
            return
        self.results.append((name, None))
        print("ok %s" % name, flush=True)

    async def run(self):
        await self.case("suite_self_check", self.t_self_check())
        await self.case("iamat_reply_format", self.t_iamat_reply())
        await self.case("iamat_negative_difference", self.t_negative_diff())
        await self.case("iamat_time_rounds_half_even", self.t_rounding())
        await self.case("iamat_integer_time_and_edge_coordinates", self.t_edges())
        await self.case("fields_split_on_any_white_space", self.t_whitespace())
        await self.case("empty_lines_ignored", self.t_empty_lines())
        await self.case("crlf_lines", self.t_crlf())
        await self.case("last_line_without_newline", self.t_no_newline())
        await self.case("utf8_client_id", self.t_utf8())
        await self.case("invalid_commands_answered_in_order", self.t_invalid())
        await self.case("client_cannot_inject_updates", self.t_inject())
        await self.case("peer_handshake_only_as_first_line", self.t_handshake())
        await self.case("whatsat_json_exact", self.t_whatsat_exact())
        await self.case("radius_sent_in_meters_with_key", self.t_radius())
        await self.case("results_cut_to_bound", self.t_bound())
        await self.case("flood_reaches_server_3_hops_away", self.t_flood())
        await self.case("newest_timestamp_wins", self.t_newest())
        await self.case("pipelined_replies_in_order_with_slow_whatsat", self.t_pipeline())
        await self.case("over_long_line_answered_then_closed", self.t_long_line())
        await asyncio.gather(
            self.case("places_http_500_is_unknown_error", self.t_fail(LAT_HTTP_500, "Hands")),
            self.case("places_bad_json_is_unknown_error", self.t_fail(LAT_BAD_JSON, "Holiday")),
            self.case("places_timeout_is_unknown_error", self.t_timeout()),
            self.case("places_status_passed_through", self.t_zero()),
            self.case("places_chunked_response", self.t_chunked()),
            self.case("no_key_request_denied", self.t_nokey()),
        )
        await self.case("restarted_server_learns_table", self.t_restart(), timeout=25.0)
        await self.case("logs_format_and_no_key", self.t_logs())

    # -- cases -------------------------------------------------------------
    async def t_self_check(self):
        check(google_style(json.loads(CANNED_BYTES)) == google_style(canned_doc()),
              "canned body does not parse back to the canned document")
        check(expected_json(2) == EXPECTED_2, "suite renderer disagrees with EXPECTED_2")
        check(b"\n\n" in CANNED_BYTES and b"\\u00e9" in CANNED_BYTES, "canned body not tricky")

    async def t_iamat_reply(self):
        t = now_text()
        before = time.time()
        reply = await self.ask("Goloman", b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 %s\n" % t)
        after = time.time()
        m = at_re("Goloman", b"kiwi.cs.ucla.edu", b"+34.068930-118.445127", t).fullmatch(
            reply[:-1])
        check(reply.endswith(b"\n") and m, "reply %s" % show(reply))
        diff = float(m.group(1))
        check(before - float(t) - 1 <= diff <= after - float(t) + 1,
              "difference %s not within a second of the real one" % m.group(1).decode())
        self.kiwi_at = reply[:-1]

    async def t_negative_diff(self):
        # 10 minutes ahead: within the herd's clock-skew limit (limits.maxClockSkewSeconds,
        # an hour by default), beyond which an IAMAT is refused
        t = now_text(600)
        reply = await self.iamat("Goloman", b"future.example", b"-33.8688+151.2093", t)
        diff = reply.split()[2]
        check(diff.startswith(b"-") and abs(float(diff) + 600) < 5,
              "difference %s for a time 600 s ahead" % diff.decode())

    async def t_rounding(self):
        # 10 fraction digits ending in 5: the exact difference ends in ...5 at the
        # 10th digit, a tie, so half-even leaves the 9th digit even.
        results = []
        for k in range(6):
            t = b"%d.%09d5" % (int(time.time()) - 1, (123456789 + k * 7919) % 10 ** 9)
            reply = await self.iamat("Hands", b"round%d.example" % k, b"+1-1", t)
            diff = reply.split()[2]
            results.append(diff)
            check(int(diff[-1:]) % 2 == 0, "diff %s for time %s: tie not rounded to even"
                  % (diff.decode(), t.decode()))
            check(abs(float(diff) - (time.time() - float(t))) < 5, "diff %s far off" % diff)
        t = b"1520023934.123456789499999"
        await self.iamat("Hands", b"round.long.example", b"+1-1", t)

    async def t_edges(self):
        await self.iamat("Welsh", b"int.example", b"+0-0", b"%d" % int(time.time()))
        await self.iamat("Welsh", b"edge1.example", b"-90+180", now_text())
        await self.iamat("Welsh", b"edge2.example", b"+90.000000-180.000000", now_text())
        await self.iamat("Welsh", b"edge3.example", b"+034.5-000118.25", now_text())

    async def t_whitespace(self):
        t = now_text()
        reply = await self.ask("Wilkes", b"  IAMAT\t ws.example \x0b+1.5-2.25\x0c %s \t\n" % t)
        check(at_re("Wilkes", b"ws.example", b"+1.5-2.25", t).fullmatch(reply[:-1])
              and reply.count(b"\n") == 1, "reply %s" % show(reply))

    async def t_empty_lines(self):
        t = now_text()
        reply = await self.ask("Wilkes", b"\n   \n\t\r\nIAMAT empty.example +1-1 %s\n\n" % t)
        check(at_re("Wilkes", b"empty.example", b"+1-1", t).fullmatch(reply[:-1])
              and reply.count(b"\n") == 1, "reply %s" % show(reply))

    async def t_crlf(self):
        t = now_text()
        reply = await self.ask("Goloman", b"IAMAT crlf.example +1-1 %s\r\nFOO bar\r\n" % t)
        lines = reply.split(b"\n")
        check(len(lines) == 3 and lines[2] == b"" and lines[1] == b"? FOO bar"
              and at_re("Goloman", b"crlf.example", b"+1-1", t).fullmatch(lines[0]),
              "reply %s" % show(reply))

    async def t_no_newline(self):
        t = now_text()
        reply = await self.ask("Hands", b"IAMAT noeol.example +10-20 %s" % t)
        check(reply.endswith(b"\n") and reply.count(b"\n") == 1 and
              at_re("Hands", b"noeol.example", b"+10-20", t).fullmatch(reply[:-1]),
              "reply %s" % show(reply))
        reply = await self.ask("Hands", b"FOO no newline")
        check(reply == b"? FOO no newline\n", "reply %s" % show(reply))

    async def t_utf8(self):
        cid = "m\u00fcller.\u4f8b\u3048.jp".encode()
        at = await self.iamat("Welsh", cid, b"+35.658581+139.745433")
        reply = await self.ask("Welsh", b"WHATSAT " + cid + b" 5 1\n")
        got_at, body = split_whatsat(reply)
        check(got_at == at, "AT line %s, stored %s" % (show(got_at), show(at)))
        check(body == expected_json(1), "JSON differs: %s" % show(body))
        check(any(r["radius"] == 5000 for r in self.places.find(35.658581, 139.745433)),
              "no upstream request with radius 5000 for this location")

    async def t_invalid(self):
        check(self.kiwi_at is not None, "needs iamat_reply_format")
        bad = [
            b"iamat kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997 extra",
            b"IAMAT kiwi.cs.ucla.edu +91.000000-118.445127 1520023934.918963997",
            b"IAMAT kiwi.cs.ucla.edu +90.0000001-118.445127 1520023934.918963997",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-180.000001 1520023934.918963997",
            b"IAMAT kiwi.cs.ucla.edu 34.068930-118.445127 1520023934.918963997",
            b"IAMAT kiwi.cs.ucla.edu +34.068930 1520023934.918963997",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1e9",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 -1520023934.9",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 +1520023934.9",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 nan",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 inf",
            b"IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.",
            b"WHATSAT kiwi.cs.ucla.edu 0 5",
            b"WHATSAT kiwi.cs.ucla.edu 51 5",
            b"WHATSAT kiwi.cs.ucla.edu 50.0001 5",
            b"WHATSAT kiwi.cs.ucla.edu -5 5",
            b"WHATSAT kiwi.cs.ucla.edu 10 0",
            b"WHATSAT kiwi.cs.ucla.edu 10 21",
            b"WHATSAT kiwi.cs.ucla.edu 10 2.5",
            b"WHATSAT kiwi.cs.ucla.edu 10",
            b"WHATSAT kiwi.cs.ucla.edu 10 5 extra",
            b"WHATSAT nobody.example.invalid 10 5",
            b"whatsat kiwi.cs.ucla.edu 10 5",
            b"AT Goloman +0.263873386 kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997",
            b"HELLO",
            b"FOO\tbar  baz ",
            b"\x01\x02 control \x7f",
        ]
        t = now_text()
        data = b"".join(line + b"\n" for line in bad) + b"IAMAT after.bad +1-1 %s\n" % t
        reply = await self.ask("Goloman", data)
        lines = reply.split(b"\n")
        check(lines[-1] == b"" and len(lines) == len(bad) + 2,
              "expected %d reply lines, got %d: %s" % (len(bad) + 1, len(lines) - 1, show(reply)))
        for sent, got in zip(bad, lines):
            check(got == b"? " + sent, "%s answered %s" % (show(sent), show(got)))
        check(at_re("Goloman", b"after.bad", b"+1-1", t).fullmatch(lines[-2]),
              "connection not usable after invalid lines: %s" % show(lines[-2]))

    async def t_inject(self):
        line = b"AT Goloman +0.000000001 spoof.example +10+10 9999999999.5"
        reply = await self.ask("Hands", line + b"\nWHATSAT spoof.example 10 1\n")
        check(reply == b"? " + line + b"\n? WHATSAT spoof.example 10 1\n",
              "reply %s" % show(reply))
        for name in ("Goloman", "Wilkes"):
            r = await self.ask(name, b"WHATSAT spoof.example 10 1\n")
            check(r == b"? WHATSAT spoof.example 10 1\n", "%s knows spoof: %s" % (name, show(r)))

    async def t_handshake(self):
        for line in (b"HERD-PEER Welsh Hands", b"HERD-PEER Goloman Welsh",
                     b"HERD-PEER-OK Hands", b"HERD-PEER Nobody Hands"):
            reply = await self.ask("Hands", line + b"\n")
            check(reply == b"? " + line + b"\n", "%s answered %s" % (show(line), show(reply)))
        t = now_text()
        reply = await self.ask("Hands", b"IAMAT hs.example +1-1 %s\nHERD-PEER Goloman Hands\n" % t)
        lines = reply.split(b"\n")
        check(len(lines) == 3 and lines[1] == b"? HERD-PEER Goloman Hands" and
              at_re("Hands", b"hs.example", b"+1-1", t).fullmatch(lines[0]),
              "reply %s" % show(reply))

    async def t_whatsat_exact(self):
        check(self.kiwi_at is not None, "needs iamat_reply_format")
        reply = await self.ask("Goloman", b"WHATSAT kiwi.cs.ucla.edu 10 2\n")
        want = self.kiwi_at + b"\n" + EXPECTED_2 + b"\n\n"
        if reply != want:
            at, body = split_whatsat(reply)
            check(at == self.kiwi_at, "AT line %s, want %s" % (show(at), show(self.kiwi_at)))
            a, b = body.split(b"\n"), EXPECTED_2.split(b"\n")
            for i, (x, y) in enumerate(zip(a, b)):
                check(x == y, "JSON line %d is %s, want %s" % (i + 1, show(x), show(y)))
            check(False, "JSON has %d lines, want %d" % (len(a), len(b)))

    async def t_radius(self):
        check(self.kiwi_at is not None, "needs iamat_reply_format")
        reqs = self.places.find(34.068930, -118.445127)
        check(any(r["radius"] == 10000 for r in reqs),
              "no upstream request with radius=10000 for 10 km: %s" % [r["raw"] for r in reqs])
        reply = await self.ask("Goloman", b"WHATSAT kiwi.cs.ucla.edu 1.5 1\n")
        split_whatsat(reply)
        reqs = self.places.find(34.068930, -118.445127)
        check(any(r["radius"] == 1500 for r in reqs),
              "no upstream request with radius=1500 for 1.5 km: %s" % [r["raw"] for r in reqs])
        with self.places.lock:
            bad = [r["raw"] for r in self.places.requests if not r["key_ok"]]
        check(not bad, "upstream requests without the right key: %s" % bad)

    async def t_bound(self):
        check(self.kiwi_at is not None, "needs iamat_reply_format")
        for bound in (20, 1, 7):
            reply = await self.ask("Goloman", b"WHATSAT kiwi.cs.ucla.edu 50 %d\n" % bound)
            at, body = split_whatsat(reply)
            n = len(json.loads(body)["results"])
            check(n == bound, "bound %d gave %d results" % (bound, n))
            check(body == expected_json(bound), "bound %d: JSON differs: %s" % (bound, show(body)))

    async def t_flood(self):
        at = await self.iamat("Hands", b"flood.example", b"+34.1-118.2")
        reply = await self.poll_whatsat("Welsh", b"flood.example", at)
        check(reply == at + b"\n" + EXPECTED_2 + b"\n\n", "Welsh reply %s" % show(reply))

    async def t_newest(self):
        t = time.time()
        at_g = await self.iamat("Goloman", b"order.example", b"+1+1", b"%.9f" % t)
        await self.poll_whatsat("Hands", b"order.example", at_g)
        await self.iamat("Hands", b"order.example", b"+2+2", b"%.9f" % (t - 1000))
        reply = await self.ask("Hands", b"WHATSAT order.example 10 2\n")
        check(reply.startswith(at_g + b"\n"), "older report replaced newer: %s" % show(reply))
        at_w = await self.iamat("Welsh", b"order.example", b"+3+3", b"%.9f" % (t + 1))
        await self.poll_whatsat("Hands", b"order.example", at_w)
        await self.poll_whatsat("Goloman", b"order.example", at_w)

    async def t_pipeline(self):
        slow_at = await self.iamat("Wilkes", b"slow.example", b"+%.6f+10.000000" % LAT_SLOW)
        ta, tb = now_text(), now_text()
        start = time.monotonic()
        reply = await self.ask("Wilkes", b"IAMAT pipe.a +1-1 %s\nWHATSAT slow.example 10 2\n"
                                         b"IAMAT pipe.b +2-2 %s\n" % (ta, tb))
        took = time.monotonic() - start
        first, _, rest = reply.partition(b"\n")
        check(at_re("Wilkes", b"pipe.a", b"+1-1", ta).fullmatch(first),
              "first reply %s" % show(first))
        middle = slow_at + b"\n" + EXPECTED_2 + b"\n\n"
        check(rest.startswith(middle), "second reply is not the WHATSAT: %s" % show(rest))
        last = rest[len(middle):]
        check(last.endswith(b"\n") and last.count(b"\n") == 1 and
              at_re("Wilkes", b"pipe.b", b"+2-2", tb).fullmatch(last[:-1]),
              "third reply %s" % show(last))
        check(took >= SLOW_DELAY * 0.9, "slow upstream answered in %.2f s?" % took)

    async def t_long_line(self):
        t = now_text()
        long_line = b"IAMAT " + b"x" * 70000 + b" +1-1 " + t
        data = (b"IAMAT before.long +1-1 %s\n" % t + long_line + b"\n" +
                b"IAMAT after.long +1-1 %s\n" % t)
        try:
            reply = await self.ask("Holiday", data)
        except ConnectionResetError:
            raise AssertionError("connection reset before the reply could be read "
                                 "(closed with unread input?)")
        lines = reply.split(b"\n")
        check(len(lines) == 3 and lines[2] == b"",
              "expected 2 reply lines then close, got %s" % show(reply))
        check(at_re("Holiday", b"before.long", b"+1-1", t).fullmatch(lines[0]),
              "first reply %s" % show(lines[0]))
        check(lines[1].startswith(b"? ") and len(lines[1]) > 2 and
              long_line.startswith(lines[1][2:]),
              "over-long line answered %s" % show(lines[1]))
        r = await self.ask("Holiday", b"WHATSAT after.long 10 1\n")
        check(r == b"? WHATSAT after.long 10 1\n", "line after the over-long one was "
                                                    "processed: %s" % show(r))

    async def t_fail(self, lat, server):
        cid = b"fail%d.example" % int(lat)
        at = await self.iamat(server, cid, b"+%.6f-10.000000" % lat)
        reply = await self.ask(server, b"WHATSAT %s 10 3\n" % cid)
        got_at, body = split_whatsat(reply)
        check(got_at == at, "AT line %s" % show(got_at))
        check(re.fullmatch(ERROR_SHAPE % b"UNKNOWN_ERROR", body), "JSON %s" % show(body))

    async def t_timeout(self):
        cid = b"timeout.example"
        at = await self.iamat("Welsh", cid, b"+%.6f-10.000000" % LAT_TIMEOUT)
        start = time.monotonic()
        reply = await self.ask("Welsh", b"WHATSAT %s 10 3\n" % cid)
        took = time.monotonic() - start
        got_at, body = split_whatsat(reply)
        check(got_at == at, "AT line %s" % show(got_at))
        check(re.fullmatch(ERROR_SHAPE % b"UNKNOWN_ERROR", body), "JSON %s" % show(body))
        check(TIMEOUT_MS / 1000 * 0.9 <= took < TIMEOUT_DELAY - 0.3,
              "answered after %.2f s with timeoutMs %d" % (took, TIMEOUT_MS))

    async def t_zero(self):
        at = await self.iamat("Goloman", b"zero.example", b"+%.6f-10.000000" % LAT_ZERO)
        reply = await self.ask("Goloman", b"WHATSAT zero.example 10 3\n")
        want = at + (b'\n{\n   "html_attributions" : [],\n   "results" : [],\n'
                     b'   "status" : "ZERO_RESULTS"\n}\n\n')
        check(reply == want, "reply %s" % show(reply))

    async def t_chunked(self):
        at = await self.iamat("Wilkes", b"chunked.example", b"+%.6f-10.000000" % LAT_CHUNKED)
        reply = await self.ask("Wilkes", b"WHATSAT chunked.example 10 2\n")
        check(reply == at + b"\n" + EXPECTED_2 + b"\n\n", "reply %s" % show(reply))

    async def t_nokey(self):
        at = await self.iamat("nokey", b"nokey.example", b"+77.777777+7.7")
        reply = await self.ask("nokey", b"WHATSAT nokey.example 10 3\n")
        got_at, body = split_whatsat(reply)
        check(got_at == at, "AT line %s" % show(got_at))
        check(re.fullmatch(ERROR_SHAPE % b"REQUEST_DENIED", body), "JSON %s" % show(body))
        check(KEY_ENV.encode() in body, "error_message does not name %s: %s" % (KEY_ENV, show(body)))
        check(not self.places.find(77.777777, 7.7), "a request went upstream without a key")

    async def t_restart(self):
        welsh = self.procs["Welsh"]
        await asyncio.get_running_loop().run_in_executor(None, welsh.stop)
        check(not welsh.alive(), "Welsh did not stop on SIGTERM")
        check(welsh.proc.returncode in (0, -signal.SIGTERM, 143),
              "Welsh exit status %s on SIGTERM" % welsh.proc.returncode)
        at = await self.iamat("Goloman", b"missed.example", b"+5+5")
        welsh.start()
        await wait_port(self.port["Welsh"], welsh, time.monotonic() + START_DEADLINE)
        await self.poll_whatsat("Welsh", b"missed.example", at)
        # and the restarted server's own reports flood out again
        at2 = await self.iamat("Welsh", b"back.example", b"+6+6")
        await self.poll_whatsat("Hands", b"back.example", at2)

    async def t_logs(self):
        deadline = time.monotonic() + 5.0
        while True:
            problems = []
            texts = {}
            for name in NAMES:
                path = os.path.join(self.log_dir, name + ".log")
                try:
                    with open(path, "rb") as f:
                        texts[name] = f.read(LOG_READ_CAP + 1)
                except OSError as e:
                    problems.append("%s: %s" % (path, e.strerror))
            big = [n for n, t in texts.items() if len(t) > LOG_READ_CAP]
            check(not big, "%s grew past %d bytes during the suite"
                  % (", ".join(n + ".log" for n in big), LOG_READ_CAP))
            if not problems:
                g = texts["Goloman"]
                if (b"IAMAT kiwi.cs.ucla.edu" not in g or b"[json " not in g
                        or b" PEER_UP peer/" not in texts["Welsh"]):
                    problems.append("Goloman.log/Welsh.log lack expected events yet")
            if not problems or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        check(not problems, "; ".join(problems))
        for name, text in texts.items():
            check(text.endswith(b"\n"), "%s.log does not end with a newline" % name)
            for i, raw in enumerate(text[:-1].split(b"\n")):
                line = raw.decode("utf-8", "replace")
                check(LOG_LINE.fullmatch(line) and CONTROL.search(line) is None,
                      "%s.log line %d: %r" % (name, i + 1, line[:200]))
            check(re.search(rb"Z PEER_UP peer/\S+", text), "%s.log has no PEER_UP peer/..." % name)
        g = texts["Goloman"]
        check(re.search(rb"Z IN client/127\.0\.0\.1:\d+ IAMAT kiwi\.cs\.ucla\.edu ", g),
              "Goloman.log has no IN client/127.0.0.1:PORT IAMAT kiwi... line")
        check(re.search(rb"Z OUT client/127\.0\.0\.1:\d+ " + re.escape(self.kiwi_at) +
                        rb" \[json %d bytes, 2 results\]" % len(EXPECTED_2), g),
              "Goloman.log has no 'OUT client/... <AT line> [json %d bytes, 2 results]'"
              % len(EXPECTED_2))
        check(re.search(rb"Z OUT client/\S+ \? FOO\\tbar  baz ", g),
              "Goloman.log does not escape the tab of an invalid line as \\t")
        for d in (self.log_dir, self.nokey_log_dir):
            for fn in os.listdir(d):
                with open(os.path.join(d, fn), "rb") as f:
                    check(TEST_KEY.encode() not in f.read(LOG_READ_CAP),
                          "the API key appears in %s" % fn)
        for reply in self.replies:
            check(TEST_KEY.encode() not in reply, "the API key appears in a reply")


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--server-cmd", required=True,
                    help='command that starts one server; NAME --config FILE is appended')
    ap.add_argument("--keep", action="store_true", help="keep the temp directory")
    args = ap.parse_args()
    cmd = shlex.split(args.server_cmd)
    if not cmd:
        ap.error("--server-cmd is empty")
    tmp = tempfile.mkdtemp(prefix="herd-suite-")
    suite = Suite(cmd, tmp)

    interrupted = []

    async def go():
        me = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda: (interrupted.append(1), me.cancel()))
        try:
            await suite.start_all()
        except (AssertionError, OSError) as e:
            suite.results.append(("servers_start", str(e)))
            print("FAIL servers_start: %s" % e, flush=True)
            return
        await suite.run()

    async def bounded():
        try:
            await asyncio.wait_for(go(), SUITE_DEADLINE)
        except asyncio.TimeoutError:
            suite.results.append(("suite_deadline", "suite ran past %.0f s" % SUITE_DEADLINE))
            print("FAIL suite_deadline: suite ran past %.0f s" % SUITE_DEADLINE, flush=True)
        except asyncio.CancelledError:
            pass

    try:
        asyncio.run(bounded())
    except KeyboardInterrupt:
        interrupted.append(1)
    finally:
        if interrupted:
            suite.results.append(("interrupted", "stopped by a signal"))
            print("FAIL interrupted: stopped by a signal", flush=True)
        suite.stop_all()
    failed = [n for n, err in suite.results if err]
    if failed and not interrupted:
        print("---- server output (suite directory %s) ----" % tmp)
        for p in suite.procs.values():
            print(p.tail())
    if not args.keep and not failed:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (len(suite.results) - len(failed), len(failed)), flush=True)
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
