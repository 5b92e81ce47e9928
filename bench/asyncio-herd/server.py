#!/usr/bin/python3
"""Herd in Python asyncio: the baseline the Java/MINA herd is measured against.

Implements SPEC.md sections 1-4 with the standard library only, within what Python 3.6.4
(the assignment's version) offers; check_py36.py beside it checks that, and it runs on
any later Python 3 too:

    python3 server.py NAME [--config FILE]     one server of the herd
    python3 server.py --herd [--config FILE]   every configured server, one loop

Structure, mirroring the Java engine's split:
    HerdConfig      -- the JSON config, validated at the edge
    LineReader      -- bytes -> lines, with an explicit maximum line length
    parse/validate  -- pure functions over byte strings (IAMAT, WHATSAT, AT)
    LocationTable   -- per client the newest AT line (exact decimal times)
    ClientSession   -- one client connection; replies strictly in command order
    PeerLink        -- one live inter-server link; bounded outgoing buffer
    PlacesClient    -- Nearby Search over a hand-written HTTP/1.1 client
    EventLog        -- the per-server event log (format below)
    HerdServer      -- one server: listener, dialers, flooding

Peer protocol (identical to the Java engine so mixed herds interoperate): for
each link the server whose name sorts first dials the other and sends
``HERD-PEER <dialer> <acceptor>``; the acceptor answers ``HERD-PEER-OK
<acceptor>`` if the dialer is a configured neighbour and the acceptor name is
its own (else the line is an ordinary, invalid client line).  Then both ends
send their whole table, one stored AT line each, and every later line is an
update (a stored AT line).  Newer (by exact client time) -> store and forward
to every live neighbour except the sender; otherwise drop.

Event log: one line per event in ``<logDir>/<Name>.log``::

    2026-11-23T23:04:05.123456Z KIND PARTY PAYLOAD

KIND is OPEN CLOSE IN OUT PEER_UP PEER_DOWN PEER_IN PEER_OUT INFO ERROR; PARTY
is ``client/<ip>:<port>``, ``peer/<Name>`` or ``-``; PAYLOAD (may
be empty, and then the separating space is left out too) has backslash and control
characters escaped (``\\\\``, ``\\n``, ``\\r``, ``\\t``, ``\\xNN``; bytes that are not
UTF-8 also as ``\\xNN``).  A WHATSAT reply is logged as its AT line followed by
`` [json N bytes, M results]`` (N: UTF-8 bytes of the JSON text, without the
closing blank line; M: results after the cut).  Lines reach the file within
100 ms.  An accepted connection that turns out to be a peer logs ``OPEN
client/...``, ``IN client/... HERD-PEER ...``, ``PEER_UP peer/X``, and on the
end ``PEER_DOWN peer/X`` then ``CLOSE client/...``.

Decisions where SPEC.md is silent:
  * Line length counts bytes before the ``\\n`` (and a ``\\r`` before it); an
    over-long line is answered ``? `` + its first 65536 bytes, then the server
    half-closes, discards input for up to 2 s, and closes (so the reply is not
    lost to a TCP reset).  A last line without ``\\n`` also loses a final ``\\r``.
  * Radius uses the time grammar ``digits[.digits]``; bound is ``digits``.
  * Upstream query: ``location=LAT,LNG`` with a ``+`` sign dropped (``+`` means a
    space in a query), ``radius`` in exact meters as a plain decimal (10 ->
    10000, 1.5 -> 1500, 0.0005 -> 0.5).
  * JSON numbers are re-emitted exactly as Google wrote them; strings are
    re-escaped minimally (non-ASCII kept as UTF-8, ``\\/`` becomes ``/``); an
    array is inline when none of its elements is an object or array.
  * ``auto`` without a key is ``offline`` (SPEC §1); ``google`` without a key
    answers REQUEST_DENIED naming the variable.  An empty variable is unset.
    ``offline`` here is a stub answering ZERO_RESULTS (the Java engine's offline
    provider is a GeoNames gazetteer); ``google-new`` and the config's ``limits``
    and ``security`` sections are not implemented (refused as unknown).
  * In front of Google, as in the Java engine: a per-server LRU cache
    (``places.cacheTtlMs``, ``places.cacheEntries``; same centre to 4 decimals and
    same radius), identical queries in flight share one call, and at most
    ``places.maxCallsPerSecond`` calls (token bucket, one-second burst); over it
    WHATSAT answers OVER_QUERY_LIMIT without calling.
  * An IAMAT that is not newer than what is stored is still answered with its
    AT line, but neither stored nor forwarded.
  * Client ids are opaque bytes (echoed exactly, even if not valid UTF-8).
  * A malformed line on a peer link is logged as ERROR and ignored.
  * Config: "duplicate ports" means the same host and port; without ``links``
    the default links between configured servers apply; duplicate JSON keys
    and self-links are refused.
"""

import asyncio
import collections
import errno
import json
import json.encoder
import os
import re
import signal
import socket
import ssl
import sys
import time
import traceback
import urllib.parse
import zlib
from decimal import Decimal, Context, ROUND_HALF_EVEN, MAX_EMAX, MIN_EMIN

# --------------------------------------------------------------------------
# Defaults and limits

DEFAULT_SERVERS = {
    "Goloman": ("127.0.0.1", 12010),
    "Hands": ("127.0.0.1", 12011),
    "Holiday": ("127.0.0.1", 12012),
    "Welsh": ("127.0.0.1", 12013),
    "Wilkes": ("127.0.0.1", 12014),
}
DEFAULT_LINKS = [("Goloman", "Hands"), ("Goloman", "Holiday"), ("Goloman", "Wilkes"),
                 ("Hands", "Wilkes"), ("Holiday", "Welsh"), ("Holiday", "Wilkes")]
DEFAULT_PLACES = {
    "provider": "auto",
    "url": "https://maps.googleapis.com/maps/api/place/nearbysearch/json",
    "keyEnv": "GOOGLE_PLACES_API_KEY",
    "timeoutMs": 10000,
    "cacheTtlMs": 60000,
    "cacheEntries": 1000,
    "maxCallsPerSecond": 10,
}
DEFAULT_LOG_DIR = "logs"

MAX_LINE = 64 * 1024            # longest accepted line, terminator excluded
READ_CHUNK = 64 * 1024
MAX_PENDING_REPLIES = 64        # per client connection; reading pauses beyond
WRITE_HIGH_WATER = 256 * 1024   # await drain above this (client connections)
PEER_WRITE_LIMIT = 16 * 1024 * 1024  # a peer link buffering more is dropped (as the Java engine)
TABLE_BATCH_BYTES = 256 * 1024  # table exchange is sent in batches of this size
HANDSHAKE_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
BACKOFF_FIRST = 0.1
BACKOFF_CAP = 2.0
LINGER_AFTER_CLOSE = 2.0        # drain input this long after an over-long line
LINGER_MAX_BYTES = 4 * 1024 * 1024
HTTP_MAX_BODY = 16 * 1024 * 1024
HTTP_MAX_HEADERS = 100
HTTP_IDLE_KEEP = 16             # idle keep-alive connections kept per server
HTTP_IDLE_TTL = 30.0
HTTP_MAX_CONCURRENT = 64
LOG_FLUSH_DELAY = 0.1


class ConfigError(Exception):
    pass


# --------------------------------------------------------------------------
# Config

class HerdConfig:
    """The validated config: servers {name: (host, port)}, links, places, logDir."""

    def __init__(self, servers, links, places, log_dir):
        self.servers = servers
        self.links = links
        self.places = places
        self.log_dir = log_dir

    def neighbours(self, name):
        out = set()
        for a, b in self.links:
            if a == name:
                out.add(b)
            elif b == name:
                out.add(a)
        return out

    @classmethod
    def default(cls):
        return cls(dict(DEFAULT_SERVERS), list(DEFAULT_LINKS), dict(DEFAULT_PLACES),
                   DEFAULT_LOG_DIR)

    @classmethod
    def load(cls, path):
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            raise ConfigError(f"cannot read config {path}: {e.strerror}")

        def pairs(kv):
            seen = set()
            for k, _ in kv:
                if k in seen:
                    raise ConfigError(f"config {path}: duplicate key {k!r}")
                seen.add(k)
            return dict(kv)

        def no_constants(name):
            raise ConfigError(f"config {path}: {name} is not valid JSON")

        try:
            doc = json.loads(raw, object_pairs_hook=pairs, parse_constant=no_constants)
        except ConfigError:
            raise
        except (ValueError, UnicodeDecodeError) as e:
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ConfigError(f"config {path}: malformed JSON: {msg}")
        return cls.from_doc(doc, path)

    @classmethod
    def from_doc(cls, doc, where):
        def fail(msg):
            raise ConfigError(f"config {where}: {msg}")

        if not isinstance(doc, dict):
            fail("top level must be a JSON object")
        # "log" (the Java herd's rotation settings) is accepted and ignored: this herd writes
        # one file per server and never rotates it.
        unknown = set(doc) - {"servers", "links", "places", "logDir", "log"}
        if unknown:
            fail(f"unknown key {sorted(unknown)[0]!r} (known: servers, links, places, logDir, log)")
        if "servers" not in doc:
            fail("missing required key 'servers'")
        sdoc = doc["servers"]
        if not isinstance(sdoc, dict) or not sdoc:
            fail("'servers' must be a non-empty object of name -> {host, port}")
        servers = {}
        used = {}
        for name, entry in sdoc.items():
            if not name or any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in name):
                fail(f"bad server name {name!r} (must be non-empty, no white space)")
            if not isinstance(entry, dict):
                fail(f"server {name}: must be an object {{\"host\": ..., \"port\": ...}}")
            bad = set(entry) - {"host", "port"}
            if bad:
                fail(f"server {name}: unknown key {sorted(bad)[0]!r} (known: host, port)")
            host = entry.get("host", DEFAULT_SERVERS.get(name, ("127.0.0.1",))[0])
            if not isinstance(host, str) or not host or any(c.isspace() for c in host):
                fail(f"server {name}: 'host' must be a non-empty string")
            if "port" in entry:
                port = entry["port"]
            elif name in DEFAULT_SERVERS:
                port = DEFAULT_SERVERS[name][1]
            else:
                fail(f"server {name}: missing 'port'")
            if type(port) is not int or not 1 <= port <= 65535:
                fail(f"server {name}: 'port' must be an integer 1..65535")
            key = (host, port)
            if key in used:
                fail(f"duplicate port {port} on {host} (servers {used[key]} and {name})")
            used[key] = name
            servers[name] = (host, port)

        if "links" in doc:
            ldoc = doc["links"]
            if not isinstance(ldoc, list):
                fail("'links' must be a list of [name, name] pairs")
            links = []
            seen = set()
            for item in ldoc:
                if (not isinstance(item, list) or len(item) != 2
                        or not all(isinstance(x, str) for x in item)):
                    fail(f"bad link {json.dumps(item)} (must be [name, name])")
                a, b = item
                for x in (a, b):
                    if x not in servers:
                        fail(f"link {json.dumps(item)} names unknown server {x!r}")
                if a == b:
                    fail(f"link {json.dumps(item)} joins a server to itself")
                k = frozenset((a, b))
                if k not in seen:
                    seen.add(k)
                    links.append((a, b))
        else:
            links = [(a, b) for a, b in DEFAULT_LINKS if a in servers and b in servers]

        places = dict(DEFAULT_PLACES)
        if "places" in doc:
            pdoc = doc["places"]
            if not isinstance(pdoc, dict):
                fail("'places' must be an object")
            bad = set(pdoc) - set(DEFAULT_PLACES)
            if bad:
                fail(f"places: unknown key {sorted(bad)[0]!r} "
                     f"(known: provider, url, keyEnv, timeoutMs, cacheTtlMs, cacheEntries, "
                     f"maxCallsPerSecond)")
            places.update(pdoc)
        if places["provider"] not in ("google", "offline", "auto"):
            fail("places.provider must be \"google\", \"offline\" or \"auto\"")
        url = places["url"]
        if not isinstance(url, str):
            fail("places.url must be a string")
        u = urllib.parse.urlsplit(url)
        if u.scheme not in ("http", "https") or not u.hostname:
            fail(f"places.url must be an http:// or https:// URL with a host")
        try:
            u.port
        except ValueError:
            fail("places.url has a bad port")
        if not isinstance(places["keyEnv"], str) or not places["keyEnv"]:
            fail("places.keyEnv must be a non-empty string")
        t = places["timeoutMs"]
        if type(t) is not int or t <= 0:
            fail("places.timeoutMs must be a positive integer")
        for k in ("cacheTtlMs", "cacheEntries"):
            if type(places[k]) is not int or places[k] < 0:
                fail(f"places.{k} must be an integer >= 0 (0 turns the cache off)")
        if type(places["maxCallsPerSecond"]) is not int or places["maxCallsPerSecond"] <= 0:
            fail("places.maxCallsPerSecond must be a positive integer")

        log_dir = doc.get("logDir", DEFAULT_LOG_DIR)
        if not isinstance(log_dir, str) or not log_dir:
            fail("'logDir' must be a non-empty string")
        return cls(servers, links, places, log_dir)


# --------------------------------------------------------------------------
# Pure protocol functions (bytes in, bytes out)

LOCATION_RE = re.compile(rb"([+-])([0-9]+(?:\.[0-9]+)?)([+-])([0-9]+(?:\.[0-9]+)?)")
DECIMAL_RE = re.compile(rb"[0-9]+(?:\.[0-9]+)?")
BOUND_RE = re.compile(rb"[0-9]+")
DIFF_RE = re.compile(rb"[+-][0-9]+\.[0-9]{9}")

_D90 = Decimal(90)
_D180 = Decimal(180)
_D50 = Decimal(50)
_D0 = Decimal(0)
# Exact arithmetic: precision far beyond any operand a 64 KiB line can carry.
_EXACT = Context(prec=4 * MAX_LINE, rounding=ROUND_HALF_EVEN, Emax=MAX_EMAX, Emin=MIN_EMIN)
_NANO = Decimal("1E-9")
_BILLION = 10 ** 9


def parse_location(loc):
    """Return the location match if `loc` is valid ISO 6709 within range, else None."""
    m = LOCATION_RE.fullmatch(loc)
    if m is None:
        return None
    if Decimal(m.group(2).decode()) > _D90 or Decimal(m.group(4).decode()) > _D180:
        return None
    return m


def wall_ns():
    """The wall clock in nanoseconds (time.time_ns is 3.7): a double's precision, about
    a quarter of a microsecond today."""
    t = time.time()
    sec = int(t)
    return sec * _BILLION + int(round((t - sec) * 1e9))


def time_value(t):
    """Client time as an exact Decimal, or None when it is not digits[.digits]."""
    if DECIMAL_RE.fullmatch(t) is None:
        return None
    return Decimal(t.decode())


def time_diff(now_ns, t):
    """`now_ns`/1e9 - t as bytes: sign, digits, '.', 9 digits; half-even rounding."""
    ip, _, frac = t.partition(b".")
    if len(frac) <= 9 and len(ip) <= 30:
        d = now_ns - (int(ip) * _BILLION + (int(frac.ljust(9, b"0")) if frac else 0))
        sign = b"+" if d >= 0 else b"-"
        q, r = divmod(abs(d), _BILLION)
        return b"%s%d.%09d" % (sign, q, r)
    now = _EXACT.scaleb(Decimal(now_ns), -9)
    d = _EXACT.quantize(_EXACT.subtract(now, Decimal(t.decode())), _NANO)
    if d.is_zero():
        return b"+0.000000000"
    s = format(d, "f").encode()
    return s if s.startswith(b"-") else b"+" + s


def radius_meters(radius_km):
    """Exact km -> m as a plain decimal string: 10 -> '10000', 1.5 -> '1500'."""
    m = (radius_km * 1000).normalize()
    return format(m, "f")


def query_location(m):
    """ISO 6709 match -> 'lat,lng' for the Places query ('+' dropped: it means space)."""
    lat = (b"-" if m.group(1) == b"-" else b"") + m.group(2)
    lng = (b"-" if m.group(3) == b"-" else b"") + m.group(4)
    return (lat + b"," + lng).decode()


# --------------------------------------------------------------------------
# Google-style JSON rendering

class RawNumber(str):
    """A JSON number kept as the exact token Google sent."""
    __slots__ = ()


_enc_str = json.encoder.encode_basestring            # non-ASCII kept as UTF-8
_enc_str_ascii = json.encoder.encode_basestring_ascii


def _render(v, out, ind, enc):
    t = type(v)
    if t is dict:
        if not v:
            out.append("{}")
            return
        inner = ind + "   "
        out.append("{\n")
        first = True
        for k, x in v.items():
            if first:
                first = False
            else:
                out.append(",\n")
            out.append(inner)
            out.append(enc(k))
            out.append(" : ")
            _render(x, out, inner, enc)
        out.append("\n")
        out.append(ind)
        out.append("}")
    elif t is list:
        if not v:
            out.append("[]")
            return
        for x in v:
            if type(x) is dict or type(x) is list:
                break
        else:
            out.append("[ ")
            first = True
            for x in v:
                if first:
                    first = False
                else:
                    out.append(", ")
                _render(x, out, ind, enc)
            out.append(" ]")
            return
        inner = ind + "   "
        out.append("[\n")
        first = True
        for x in v:
            if first:
                first = False
            else:
                out.append(",\n")
            out.append(inner)
            _render(x, out, inner, enc)
        out.append("\n")
        out.append(ind)
        out.append("]")
    elif t is RawNumber:
        out.append(v)
    elif t is str:
        out.append(enc(v))
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif v is None:
        out.append("null")
    elif t is int:
        out.append(str(v))
    elif t is float:
        out.append(repr(v))
    else:
        out.append(enc(str(v)))


_NEWLINES_RE = re.compile(r"\n{2,}")


def render_google_json(doc):
    """Pretty-print like Google: 3-space indent, '"k" : v', scalar arrays inline.

    Returns UTF-8 bytes with runs of newlines squeezed and no trailing newline.
    """
    out = []
    _render(doc, out, "", _enc_str)
    text = _NEWLINES_RE.sub("\n", "".join(out)).rstrip("\n")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:          # lone surrogates from \ud800-style escapes
        out = []
        _render(doc, out, "", _enc_str_ascii)
        return _NEWLINES_RE.sub("\n", "".join(out)).rstrip("\n").encode("ascii")


def cache_key(loc_match, radius_km):
    """Identical queries: centre equal to 4 decimal places (about 10 m), same radius."""
    lat, lng = query_location(loc_match).split(",")
    q = Decimal("0.0001")
    return (Decimal(lat).quantize(q, rounding=ROUND_HALF_EVEN).normalize(),
            Decimal(lng).quantize(q, rounding=ROUND_HALF_EVEN).normalize(), radius_km.normalize())


def copy_answer(doc):
    """A cached answer is shared: each WHATSAT cuts its own copy of the results list."""
    out = dict(doc)
    if type(out.get("results")) is list:
        out["results"] = list(out["results"])
    return out


def places_error(status, message):
    return {"html_attributions": [], "results": [], "status": status, "error_message": message}


# --------------------------------------------------------------------------
# Event log

_ESC_RE = re.compile("[\x00-\x1f\x7f\\\\\udc80-\udcff]")
_ESC_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _esc_char(m):
    c = m.group()
    named = _ESC_NAMED.get(c)
    if named is not None:
        return named
    o = ord(c)
    if o >= 0xDC80:                 # surrogateescape'd byte that is not UTF-8
        o -= 0xDC00
    return "\\x%02x" % o


def escape_payload(payload):
    if isinstance(payload, (bytes, bytearray)):
        payload = payload.decode("utf-8", "surrogateescape")
    if _ESC_RE.search(payload) is None:
        return payload
    return _ESC_RE.sub(_esc_char, payload)


class EventLog:
    """Appends event lines to <logDir>/<Name>.log; buffered, flushed within 100 ms."""

    def __init__(self, path):
        self._f = open(path, "a", encoding="utf-8", buffering=1 << 16)
        self._lines = []
        self._scheduled = False
        self._sec = -1
        self._sec_text = ""
        self._closed = False
        self._failed = False

    def _stamp(self):
        ns = wall_ns()
        sec, rem = divmod(ns, _BILLION)
        if sec != self._sec:
            self._sec = sec
            self._sec_text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        return "%s.%06dZ" % (self._sec_text, rem // 1000)

    def event(self, kind, party, payload=""):
        if self._closed:
            return
        text = escape_payload(payload)
        self._lines.append("%s %s %s%s\n" % (self._stamp(), kind, party, " " + text if text else ""))
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_event_loop().call_later(LOG_FLUSH_DELAY, self.flush)

    def flush(self):
        self._scheduled = False
        if not self._lines or self._closed:
            return
        data = "".join(self._lines)
        self._lines.clear()
        try:
            self._f.write(data)
            self._f.flush()
        except OSError as e:
            if not self._failed:
                self._failed = True
                print(f"herd: cannot write log {self._f.name}: {e.strerror}", file=sys.stderr)

    def close(self):
        self.flush()
        self._closed = True
        try:
            self._f.close()
        except OSError:
            pass


# --------------------------------------------------------------------------
# Line framing

class LineTooLong(Exception):
    def __init__(self, prefix):
        super().__init__("line longer than %d bytes" % MAX_LINE)
        self.prefix = prefix


class LineReader:
    """Splits a StreamReader into lines: '\\n' ends a line, a '\\r' before it is
    dropped, and bytes left at end of input are a last line.  A line longer
    than `limit` raises LineTooLong carrying its first `limit` bytes; the
    buffer never holds more than limit + one read chunk."""

    __slots__ = ("_reader", "_buf", "_scan", "_limit", "_eof", "before_read")

    def __init__(self, reader, limit=MAX_LINE, buf=b""):
        self._reader = reader
        self._buf = bytearray(buf)
        self._scan = 0
        self._limit = limit
        self._eof = False
        self.before_read = None     # async callable run before blocking on input

    async def readline(self):
        buf = self._buf
        limit = self._limit
        while True:
            i = buf.find(b"\n", self._scan)
            if i >= 0:
                end = i - 1 if i > 0 and buf[i - 1] == 13 else i
                if end > limit:
                    raise LineTooLong(bytes(buf[:limit]))
                line = bytes(buf[:end])
                del buf[:i + 1]
                self._scan = 0
                return line
            self._scan = len(buf)
            if self._eof:
                if not buf:
                    return None
                end = len(buf) - 1 if buf[-1] == 13 else len(buf)
                if end > limit:
                    raise LineTooLong(bytes(buf[:limit]))
                line = bytes(buf[:end])
                buf.clear()
                self._scan = 0
                return line
            if len(buf) > limit + 1:
                raise LineTooLong(bytes(buf[:limit]))
            if self.before_read is not None:
                await self.before_read()
            data = await self._reader.read(READ_CHUNK)
            if data:
                buf += data
            else:
                self._eof = True


def party_of(writer):
    try:
        peer = writer.get_extra_info("peername")
        host, port = peer[0], peer[1]
    except (TypeError, IndexError):
        return "client/unknown"
    if ":" in host:
        return f"client/[{host}]:{port}"
    return f"client/{host}:{port}"


# --------------------------------------------------------------------------
# Places

class PlacesError(Exception):
    pass


class _StaleConnection(Exception):
    pass


class HttpClient:
    """Minimal HTTP/1.1 GET client on asyncio streams, with keep-alive reuse."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.https = u.scheme == "https"
        self.host = u.hostname
        self.port = u.port or (443 if self.https else 80)
        host_hdr = f"[{self.host}]" if ":" in self.host else self.host
        if u.port and u.port != (443 if self.https else 80):
            host_hdr += f":{u.port}"
        self.host_header = host_hdr
        self.path = u.path or "/"
        self.base_query = u.query
        self.ssl = ssl.create_default_context() if self.https else None
        self.idle = []              # (reader, writer, since)
        self.sem = asyncio.Semaphore(HTTP_MAX_CONCURRENT)

    def target(self, query):
        q = f"{self.base_query}&{query}" if self.base_query else query
        return f"{self.path}?{q}"

    async def _open(self):
        r, w = await asyncio.open_connection(
            self.host, self.port, ssl=self.ssl,
            server_hostname=self.host if self.https else None, limit=MAX_LINE)
        return r, w

    def _take_idle(self):
        now = time.monotonic()
        while self.idle:
            r, w, since = self.idle.pop()
            if now - since < HTTP_IDLE_TTL and not r.at_eof() and not w.transport.is_closing():
                return r, w
            w.transport.abort()
        return None

    def close(self):
        for _, w, _ in self.idle:
            w.transport.abort()
        self.idle.clear()

    async def get(self, target):
        """GET target -> (status, reason, body).  Raises PlacesError/OSError."""
        async with self.sem:
            for attempt in (0, 1):
                conn = self._take_idle() if attempt == 0 else None
                reused = conn is not None
                if conn is None:
                    conn = await self._open()
                r, w = conn
                try:
                    status, reason, body, keep = await self._roundtrip(r, w, target)
                except _StaleConnection:
                    w.transport.abort()
                    if reused:
                        continue
                    raise PlacesError("connection closed by the Places server before a response")
                except BaseException:
                    w.transport.abort()
                    raise
                if keep and len(self.idle) < HTTP_IDLE_KEEP and not r.at_eof():
                    self.idle.append((r, w, time.monotonic()))
                else:
                    w.close()
                return status, reason, body
        raise PlacesError("no connection")   # not reached

    async def _roundtrip(self, r, w, target):
        req = (f"GET {target} HTTP/1.1\r\nHost: {self.host_header}\r\n"
               f"User-Agent: herd-asyncio/1.0\r\nAccept: application/json\r\n"
               f"Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n")
        try:
            w.write(req.encode("ascii"))
            await w.drain()
            line = await r.readline()
        except (ConnectionError, ssl.SSLError) as e:
            raise _StaleConnection() from e
        except ValueError:
            raise PlacesError("HTTP status line too long")
        if not line:
            raise _StaleConnection()
        while True:
            status, reason, version = self._status(line)
            headers = await self._headers(r)
            if 100 <= status < 200:         # interim response: read the real one
                line = await r.readline()
                if not line:
                    raise PlacesError("connection closed after an interim response")
                continue
            break
        conn_tokens = {t.strip().lower() for v in headers.get("connection", []) for t in v.split(",")}
        keep = version == "HTTP/1.1" and "close" not in conn_tokens
        te = [t.strip().lower() for v in headers.get("transfer-encoding", []) for t in v.split(",")]
        if status in (204, 304):
            body = b""
        elif te and te[-1] == "chunked":
            body = await self._chunked(r)
        elif "content-length" in headers:
            values = {v.strip() for v in headers["content-length"]}
            if len(values) != 1 or not next(iter(values)).isdigit():
                raise PlacesError("bad Content-Length from Places")
            n = int(next(iter(values)))
            if n > HTTP_MAX_BODY:
                raise PlacesError(f"Places response too large ({n} bytes)")
            body = await self._exactly(r, n)
        else:
            keep = False
            chunks, total = [], 0
            while True:
                data = await r.read(65536)
                if not data:
                    break
                total += len(data)
                if total > HTTP_MAX_BODY:
                    raise PlacesError("Places response too large")
                chunks.append(data)
            body = b"".join(chunks)
        enc = [t.strip().lower() for v in headers.get("content-encoding", []) for t in v.split(",")]
        for coding in reversed([e for e in enc if e and e != "identity"]):
            body = self._decode(coding, body)
        return status, reason, body, keep

    @staticmethod
    def _status(line):
        text = line.decode("latin-1").rstrip("\r\n")
        parts = text.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not (
                len(parts[1]) == 3 and parts[1].isdigit()):
            raise PlacesError(f"bad HTTP status line from Places: {text[:80]!r}")
        return int(parts[1]), parts[2] if len(parts) > 2 else "", parts[0]

    @staticmethod
    async def _headers(r):
        headers = {}
        for _ in range(HTTP_MAX_HEADERS + 1):
            try:
                line = await r.readline()
            except ValueError:
                raise PlacesError("HTTP header line too long")
            if not line:
                raise PlacesError("connection closed inside HTTP headers")
            if line in (b"\r\n", b"\n"):
                return headers
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep:
                raise PlacesError("malformed HTTP header from Places")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        raise PlacesError("too many HTTP headers from Places")

    @staticmethod
    async def _exactly(r, n):
        try:
            return await r.readexactly(n)
        except asyncio.IncompleteReadError:
            raise PlacesError("connection closed in the middle of the Places response")

    async def _chunked(self, r):
        chunks, total = [], 0
        while True:
            try:
                line = await r.readline()
            except ValueError:
                raise PlacesError("bad chunk header from Places")
            if not line:
                raise PlacesError("connection closed in the middle of a chunked response")
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise PlacesError("bad chunk size from Places")
            if size < 0:
                raise PlacesError("bad chunk size from Places")
            if size == 0:
                await self._headers(r)          # trailers, ending with a blank line
                return b"".join(chunks)
            total += size
            if total > HTTP_MAX_BODY:
                raise PlacesError("Places response too large")
            chunks.append(await self._exactly(r, size))
            if await self._exactly(r, 2) != b"\r\n":
                raise PlacesError("bad chunk terminator from Places")

    @staticmethod
    def _decode(coding, body):
        if coding in ("gzip", "x-gzip"):
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            d = zlib.decompressobj(zlib.MAX_WBITS if body[:1] == b"\x78" else -zlib.MAX_WBITS)
        else:
            raise PlacesError(f"unsupported Content-Encoding {coding!r} from Places")
        try:
            out = d.decompress(body, HTTP_MAX_BODY)
        except zlib.error as e:
            raise PlacesError(f"bad {coding} body from Places: {e}")
        if d.unconsumed_tail:
            raise PlacesError("Places response too large once decompressed")
        return out


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


class PlacesClient:
    """Answers a Nearby Search as a dict in Google's shape; never raises."""

    def __init__(self, places_cfg, log, party):
        self.log = log
        self.party = party
        self.key_env = places_cfg["keyEnv"]
        self.key = os.environ.get(self.key_env) or None
        provider = places_cfg["provider"]
        if provider == "auto":
            provider = "google" if self.key else "offline"
            how = f"auto: ${self.key_env} is {'set' if self.key else 'not set'}"
        else:
            how = "configured"
        self.provider = provider
        self.timeout = places_cfg["timeoutMs"] / 1000.0
        self.timeout_ms = places_cfg["timeoutMs"]
        self.http = HttpClient(places_cfg["url"]) if provider == "google" else None
        # The guard in front of Google, as in the Java engine's GuardedPlaces: an LRU cache
        # with a time to live (identical = centre to 4 decimals and the same radius; only
        # OK and ZERO_RESULTS are kept), identical queries in flight share one call, and a
        # token bucket of maxCallsPerSecond with a one-second burst.
        self.cache_ttl = places_cfg["cacheTtlMs"] / 1000.0
        self.cache_entries = places_cfg["cacheEntries"]
        self.cache = collections.OrderedDict()      # key -> (expires, doc)
        self.in_flight = {}                         # key -> Future of doc
        self.rate = places_cfg["maxCallsPerSecond"]
        self.tokens = float(self.rate)
        self.refilled = time.monotonic()
        if provider == "google":
            u = urllib.parse.urlsplit(places_cfg["url"])
            where = f"{u.scheme}://{self.http.host_header}{self.http.path}"
            keynote = f"key from ${self.key_env}" if self.key else f"${self.key_env} not set"
            log.event("INFO", party, f"places provider google ({how}) {where}, {keynote}, "
                                     f"timeout {self.timeout_ms} ms")
        else:
            log.event("INFO", party, f"places provider offline ({how})")

    def close(self):
        if self.http is not None:
            self.http.close()

    async def nearby(self, loc_match, radius_km, party):
        if self.provider == "offline":
            return {"html_attributions": [], "results": [], "status": "ZERO_RESULTS"}
        if not self.key:
            return places_error("REQUEST_DENIED",
                                f"No Places API key: set the environment variable "
                                f"{self.key_env} and restart the server.")
        key = cache_key(loc_match, radius_km)
        now = time.monotonic()
        hit = self.cache.get(key)
        if hit is not None and now < hit[0]:
            self.cache.move_to_end(key)
            return copy_answer(hit[1])
        pending = self.in_flight.get(key)
        if pending is not None:
            return copy_answer(await asyncio.shield(pending))
        self.tokens = min(self.rate, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens < 1:
            return places_error("OVER_QUERY_LIMIT",
                                f"this server's limit of {self.rate} Places calls per second was reached")
        self.tokens -= 1
        fut = asyncio.get_event_loop().create_future()
        self.in_flight[key] = fut
        try:
            doc = await self._call(loc_match, radius_km, party)
        except BaseException:
            # the asking client went away (its task was cancelled): whoever waits on the
            # same query still gets a well-formed answer
            fut.set_result(places_error("UNKNOWN_ERROR", "Places lookup abandoned"))
            raise
        finally:
            del self.in_flight[key]
        if doc.get("status") in ("OK", "ZERO_RESULTS") and self.cache_ttl > 0 and self.cache_entries > 0:
            self.cache[key] = (time.monotonic() + self.cache_ttl, doc)
            self.cache.move_to_end(key)
            while len(self.cache) > self.cache_entries:
                self.cache.popitem(last=False)
        fut.set_result(doc)
        return copy_answer(doc)

    async def _call(self, loc_match, radius_km, party):
        query = (f"location={query_location(loc_match)}&radius={radius_meters(radius_km)}"
                 f"&key={urllib.parse.quote(self.key, safe='')}")
        try:
            status, reason, body = await asyncio.wait_for(
                self.http.get(self.http.target(query)), self.timeout)
        except asyncio.TimeoutError:
            return self._fail(party, f"Places request timed out after {self.timeout_ms} ms")
        except PlacesError as e:
            return self._fail(party, str(e))
        except (OSError, ssl.SSLError, asyncio.IncompleteReadError) as e:
            return self._fail(party, f"Places network error: {e.strerror or e}"
                              if isinstance(e, OSError) else f"Places network error: {e}")
        if status != 200:
            return self._fail(party, f"Places HTTP error {status} {reason}".rstrip())
        try:
            doc = json.loads(body, parse_float=RawNumber, parse_int=RawNumber,
                             parse_constant=_no_constant)
        except (ValueError, UnicodeDecodeError) as e:
            return self._fail(party, f"Places returned invalid JSON: {e}")
        if not isinstance(doc, dict):
            return self._fail(party, "Places returned JSON that is not an object")
        return doc

    def _fail(self, party, message):
        self.log.event("ERROR", party, message)
        return places_error("UNKNOWN_ERROR", message)


# --------------------------------------------------------------------------
# Connections

class ClientSession:
    """One client connection.  Lines are handled in arrival order; replies are
    written in the same order.  Ready replies are batched and written when the
    input buffer runs dry; once an asynchronous (WHATSAT) reply is pending,
    every later reply queues behind it."""

    def __init__(self, srv, reader, writer):
        self.srv = srv
        self.reader = reader
        self.writer = writer
        self.transport = writer.transport
        self.party = party_of(writer)
        self.wbuf = []                          # ready replies not yet written
        self.queue = collections.deque()        # (future|None, data, logpayload)
        self.writer_task = None
        self.space = asyncio.Event()
        self.space.set()
        self.tasks = set()
        self.broken = False

    # -- output ------------------------------------------------------------
    def _reply_now(self, data, logpayload):
        if self.queue or self.writer_task is not None:
            self.queue.append((None, data, logpayload))
            self._start_writer()
            if len(self.queue) >= MAX_PENDING_REPLIES:
                self.space.clear()
        else:
            self.wbuf.append(data)
            self.srv.log.event("OUT", self.party, logpayload)

    def _reply_later(self, fut):
        self._flush_wbuf()
        self.queue.append((fut, None, None))
        self._start_writer()
        if len(self.queue) >= MAX_PENDING_REPLIES:
            self.space.clear()

    def _flush_wbuf(self):
        if self.wbuf:
            self.srv.flush_peers()      # updates reach neighbours before the reply
            data = b"".join(self.wbuf) if len(self.wbuf) > 1 else self.wbuf[0]
            self.wbuf.clear()
            if not self.transport.is_closing():
                self.writer.write(data)

    def _start_writer(self):
        if self.writer_task is None:
            self.writer_task = asyncio.get_event_loop().create_task(self._write_queue())

    async def _write_queue(self):
        try:
            while self.queue:
                fut, data, logpayload = self.queue[0]
                if fut is not None:
                    data, logpayload = await fut
                self.queue.popleft()
                if len(self.queue) < MAX_PENDING_REPLIES:
                    self.space.set()
                if self.transport.is_closing():
                    continue
                self.srv.flush_peers()
                self.writer.write(data)
                self.srv.log.event("OUT", self.party, logpayload)
                if self.transport.get_write_buffer_size() > WRITE_HIGH_WATER:
                    await self.writer.drain()
        except (ConnectionError, OSError) as e:
            self._break(e)
        finally:
            self.writer_task = None
            self.space.set()

    def _break(self, exc):
        self.broken = True
        self.transport.abort()

    async def _before_read(self):
        """Input buffer ran dry: write what is ready, and respect backpressure."""
        self._flush_wbuf()
        if self.transport.get_write_buffer_size() > WRITE_HIGH_WATER:
            await self.writer.drain()

    async def _finish_output(self):
        self._flush_wbuf()
        while self.writer_task is not None:
            await asyncio.shield(self.writer_task)
        if not self.transport.is_closing():
            await self.writer.drain()

    # -- input -------------------------------------------------------------
    async def run(self):
        srv = self.srv
        sock = self.writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        srv.sessions.add(self)
        srv.log.event("OPEN", self.party, f"accepted on {srv.host}:{srv.port}")
        lines = LineReader(self.reader)
        lines.before_read = self._before_read
        reason = "end of input"
        first = True
        try:
            while True:
                try:
                    line = await lines.readline()
                except LineTooLong as e:
                    srv.log.event("IN", self.party,
                                  e.prefix[:200] + b"... [line over %d bytes]" % MAX_LINE)
                    self._reply_now(b"? " + e.prefix + b"\n", b"? " + e.prefix[:200] +
                                    b"... [%d bytes; closing]" % (len(e.prefix) + 2))
                    reason = f"line longer than {MAX_LINE} bytes"
                    await self._finish_output()
                    await self._linger()
                    break
                if line is None:
                    if self.transport.is_closing():     # reset, not a half-close
                        reason = "connection lost"
                        break
                    await self._finish_output()
                    break
                if first:
                    first = False
                    peer = srv.accept_handshake(line)
                    if peer is not None:
                        srv.log.event("IN", self.party, line)
                        srv.sessions.discard(self)
                        await srv.run_accepted_peer(peer, lines, self.writer, self.party)
                        reason = f"peer link {peer} closed"
                        return
                self.handle_line(line)
                if not self.space.is_set():
                    self._flush_wbuf()
                    await self.space.wait()
                if self.broken:
                    reason = "connection lost while writing"
                    break
        except (ConnectionError, OSError) as e:
            reason = f"connection error: {e.strerror or type(e).__name__}"
        except asyncio.CancelledError:
            reason = "server shutting down"
            raise
        except Exception as e:              # a bug: keep serving everyone else
            reason = f"internal error: {type(e).__name__}: {e}"
            srv.log.event("ERROR", self.party, reason)
            traceback.print_exc()
        finally:
            for t in self.tasks:
                t.cancel()
            if self.writer_task is not None:
                self.writer_task.cancel()
            srv.sessions.discard(self)
            self.transport.close() if not self.broken else self.transport.abort()
            srv.log.event("CLOSE", self.party, reason)

    async def _linger(self):
        """Half-close, then discard input for a while so that closing with
        unread data does not reset the connection before the reply arrives."""
        if self.transport.is_closing():
            return
        try:
            if self.transport.can_write_eof():
                self.writer.write_eof()
            await asyncio.wait_for(self._discard_input(), LINGER_AFTER_CLOSE)
        except (asyncio.TimeoutError, ConnectionError, OSError):
            pass

    async def _discard_input(self):
        discarded = 0
        while discarded < LINGER_MAX_BYTES:
            data = await self.reader.read(READ_CHUNK)
            if not data:
                break
            discarded += len(data)

    def handle_line(self, line):
        srv = self.srv
        srv.log.event("IN", self.party, line)
        fields = line.split()           # bytes.split(): space \t \n \r \v \f
        if not fields:
            return
        cmd = fields[0]
        if len(fields) == 4:
            if cmd == b"IAMAT":
                at = srv.iamat(fields, wall_ns())
                if at is not None:
                    self._reply_now(at + b"\n", at)
                    return
            elif cmd == b"WHATSAT":
                fut = srv.whatsat(fields, self.party)
                if fut is not None:
                    self.tasks.add(fut)
                    fut.add_done_callback(self.tasks.discard)
                    self._reply_later(fut)
                    return
        self._reply_now(b"? " + line + b"\n", b"? " + line)


class PeerLink:
    """A live link to one neighbour.  Writes are batched per loop iteration;
    a link whose outgoing buffer exceeds PEER_WRITE_LIMIT is dropped."""

    def __init__(self, srv, name, lines, writer, how):
        self.srv = srv
        self.name = name
        self.lines = lines
        self.writer = writer
        self.transport = writer.transport
        self.party = f"peer/{name}"
        self.how = how
        self.closed = False
        self.pending = []
        self.pending_bytes = 0
        self.scheduled = False
        self.down_reason = None
        lines.before_read = None
        sock = writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass

    def send(self, line):
        if self.closed:
            return
        self.pending.append(line)
        self.pending.append(b"\n")
        self.pending_bytes += len(line) + 1
        self.srv.log.event("PEER_OUT", self.party, line)
        if self.pending_bytes + self.transport.get_write_buffer_size() > PEER_WRITE_LIMIT:
            self.close(f"outgoing buffer over {PEER_WRITE_LIMIT} bytes", abort=True)
            return
        if not self.scheduled:
            self.scheduled = True
            asyncio.get_event_loop().call_soon(self._flush)

    def _flush(self):
        self.scheduled = False
        if self.closed or not self.pending:
            return
        data = b"".join(self.pending)
        self.pending.clear()
        self.pending_bytes = 0
        self.writer.write(data)

    def close(self, reason, abort=False):
        if self.closed:
            return
        self.closed = True
        self.down_reason = reason
        self.pending.clear()
        if self.srv.peers.get(self.name) is self:
            del self.srv.peers[self.name]
        self.srv.log.event("PEER_DOWN", self.party, reason)
        if abort:
            self.transport.abort()
        else:
            self.transport.close()

    async def send_table(self, lines):
        """Send every stored AT line, in batches so the buffer limit holds."""
        batch = 0
        for line in lines:
            if self.closed:
                return
            self.send(line)
            batch += len(line) + 1
            if batch >= TABLE_BATCH_BYTES:
                batch = 0
                self._flush()
                try:
                    await self.writer.drain()
                except (ConnectionError, OSError):
                    return

    async def run(self):
        """Read updates until the link ends; returns the reason."""
        reason = "end of input"
        # The table as it is when the link comes up, before anything is read
        # from the peer (so nothing it sends us is echoed straight back).
        table_task = asyncio.get_event_loop().create_task(
            self.send_table(self.srv.table_snapshot()))
        try:
            while not self.closed:
                line = await self.lines.readline()
                if line is None:
                    break
                self.srv.peer_line(self, line)
        except LineTooLong:
            reason = f"peer line longer than {MAX_LINE} bytes"
            self.srv.log.event("ERROR", self.party, reason)
        except (ConnectionError, OSError) as e:
            reason = f"connection error: {e.strerror or type(e).__name__}"
        except asyncio.CancelledError:
            reason = "server shutting down"
            raise
        finally:
            table_task.cancel()
            self.close(reason)
        return self.down_reason


# --------------------------------------------------------------------------
# One server

class HerdServer:
    def __init__(self, name, cfg):
        self.name = name
        self.name_b = name.encode()
        self.cfg = cfg
        self.host, self.port = cfg.servers[name]
        self.neighbours = cfg.neighbours(name)
        self.table = {}             # client id -> (Decimal time, AT line, location)
        self.peers = {}             # neighbour name -> PeerLink
        self.sessions = set()
        self.conn_tasks = set()     # one per accepted connection, client or peer
        self.dialers = []
        self.listener = None
        self.stopping = False
        self.party = "-"  # server-level events name no party, as in the Java engine
        self.log = EventLog(os.path.join(cfg.log_dir, f"{name}.log"))
        self.places = None

    async def start(self):
        self.listener = await asyncio.start_server(
            self._accept, self.host, self.port, limit=MAX_LINE, backlog=1024)
        self.log.event("INFO", self.party, f"listening on {self.host}:{self.port}; neighbours "
                       f"{', '.join(sorted(self.neighbours)) or '(none)'}")
        self.places = PlacesClient(self.cfg.places, self.log, self.party)

    def start_dialers(self):
        loop = asyncio.get_event_loop()
        for other in sorted(self.neighbours):
            if self.name < other:
                self.dialers.append(loop.create_task(self._dial_loop(other)))

    async def stop(self):
        self.stopping = True
        for t in self.dialers:
            t.cancel()
        if self.listener is not None:
            self.listener.close()
        for link in list(self.peers.values()):
            link.close("server shutting down")
        for s in list(self.sessions):
            s.transport.abort()
        for t in self.conn_tasks:
            t.cancel()
        # let every connection log its CLOSE before the log is closed
        pending = [*self.dialers, *self.conn_tasks]
        if pending:
            await asyncio.wait(pending, timeout=2.0)
        if self.places is not None:
            self.places.close()
        self.log.event("INFO", self.party, "stopped")
        self.log.close()

    # -- locations ---------------------------------------------------------
    def offer(self, client, tval, line, loc, source):
        """Store the update if newer than what we hold; flood it.  -> stored?"""
        cur = self.table.get(client)
        if cur is not None and not tval > cur[0]:
            return False
        self.table[client] = (tval, line, loc)
        if self.peers:
            for link in list(self.peers.values()):
                if link.name != source:
                    link.send(line)
        return True

    def flush_peers(self):
        for link in self.peers.values():
            if link.pending:
                link._flush()

    def table_snapshot(self):
        return [v[1] for v in self.table.values()]

    def iamat(self, f, now_ns):
        loc = parse_location(f[2])
        if loc is None:
            return None
        tval = time_value(f[3])
        if tval is None:
            return None
        at = b" ".join((b"AT", self.name_b, time_diff(now_ns, f[3]), f[1], f[2], f[3]))
        self.offer(f[1], tval, at, f[2], None)      # flood before the reply is written
        return at

    def whatsat(self, f, party):
        radius, bound = f[2], f[3]
        if DECIMAL_RE.fullmatch(radius) is None or BOUND_RE.fullmatch(bound) is None:
            return None
        km = Decimal(radius.decode())
        if not (_D0 < km <= _D50):
            return None
        b = bound.lstrip(b"0")
        if not b or len(b) > 2 or not 1 <= int(b) <= 20:
            return None
        entry = self.table.get(f[1])
        if entry is None:
            return None
        return asyncio.get_event_loop().create_task(
            self._whatsat_reply(entry[1], parse_location(entry[2]), km, int(b), party))

    async def _whatsat_reply(self, at, loc, km, bound, party):
        try:
            doc = await self.places.nearby(loc, km, party)
        except asyncio.CancelledError:
            raise
        except Exception as e:          # a bug must still yield a well-formed reply
            self.log.event("ERROR", party, f"places: unexpected {type(e).__name__}: {e}")
            doc = places_error("UNKNOWN_ERROR", f"internal error: {type(e).__name__}")
        results = doc.get("results")
        if type(results) is list:
            if len(results) > bound:
                del results[bound:]
            n = len(results)
        else:
            n = 0
        body = render_google_json(doc)
        return (b"".join((at, b"\n", body, b"\n\n")),
                b"%s [json %d bytes, %d results]" % (at, len(body), n))

    # -- peers -------------------------------------------------------------
    def accept_handshake(self, line):
        f = line.split()
        if (len(f) == 3 and f[0] == b"HERD-PEER" and f[2] == self.name_b):
            try:
                dialer = f[1].decode()
            except UnicodeDecodeError:
                return None
            if dialer in self.neighbours:
                return dialer
        return None

    def peer_line(self, link, line):
        if line == b"HERD-ALIVE":
            return  # a Java peer's heartbeat: not logged, as in the engine (this herd sends none)
        self.log.event("PEER_IN", link.party, line)
        f = line.split()
        if not f:
            return
        if (len(f) != 6 or f[0] != b"AT" or DIFF_RE.fullmatch(f[2]) is None):
            self.log.event("ERROR", link.party, b"malformed update ignored: " + line)
            return
        loc = parse_location(f[4])
        tval = time_value(f[5])
        if loc is None or tval is None:
            self.log.event("ERROR", link.party, b"malformed update ignored: " + line)
            return
        self.offer(f[3], tval, b" ".join(f), f[4], link.name)

    def _link_up(self, link):
        old = self.peers.get(link.name)
        if old is not None:
            old.close("replaced by a new connection from the same peer")
        self.peers[link.name] = link
        self.log.event("PEER_UP", link.party, link.how)

    async def run_accepted_peer(self, name, lines, writer, client_party):
        link = PeerLink(self, name, lines, writer, f"accepted from {client_party[7:]}")
        ok = b"HERD-PEER-OK " + self.name_b
        writer.write(ok + b"\n")
        self.log.event("PEER_OUT", link.party, ok)
        self._link_up(link)
        await link.run()

    async def _dial_loop(self, other):
        host, port = self.cfg.servers[other]
        party = f"peer/{other}"
        delay = BACKOFF_FIRST
        last_failure = None
        while not self.stopping:
            writer = None
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port, limit=MAX_LINE), CONNECT_TIMEOUT)
                hello = b"HERD-PEER %s %s" % (self.name_b, other.encode())
                writer.write(hello + b"\n")
                self.log.event("PEER_OUT", party, hello)
                lines = LineReader(reader)
                reply = await asyncio.wait_for(lines.readline(), HANDSHAKE_TIMEOUT)
                if reply is None:
                    raise ConnectionError("closed during handshake")
                self.log.event("PEER_IN", party, reply)
                if reply.split() != [b"HERD-PEER-OK", other.encode()]:
                    failure = b"handshake refused: " + reply
                    self.log.event("ERROR", party, failure)
                    writer.transport.abort()
                    last_failure = failure
                else:
                    last_failure = None
                    delay = BACKOFF_FIRST
                    link = PeerLink(self, other, lines, writer, f"dialed {host}:{port}")
                    self._link_up(link)
                    writer = None
                    await link.run()
            except asyncio.CancelledError:
                if writer is not None:
                    writer.transport.abort()
                raise
            except (OSError, asyncio.TimeoutError, LineTooLong, ConnectionError) as e:
                if writer is not None:
                    writer.transport.abort()
                why = getattr(e, "strerror", None) or str(e) or type(e).__name__
                failure = f"dial {host}:{port} failed: {why}; retrying"
                if failure != last_failure:
                    self.log.event("INFO", party, failure)
                    last_failure = failure
            if self.stopping:
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_CAP)

    def _accept(self, reader, writer):
        """A plain callback (start_server runs it as is): the connection's task is made
        here, so that stop() can cancel it (3.6 has no asyncio.current_task)."""
        if self.stopping:
            writer.transport.abort()
            return
        task = asyncio.get_event_loop().create_task(ClientSession(self, reader, writer).run())
        self.conn_tasks.add(task)
        task.add_done_callback(self.conn_tasks.discard)


# --------------------------------------------------------------------------
# Command line

USAGE = """usage: server.py NAME [--config FILE]     run one server of the herd
       server.py --herd [--config FILE]   run every configured server in one process
       server.py --help"""


async def run(cfg, names):
    try:
        os.makedirs(cfg.log_dir, exist_ok=True)
    except OSError as e:
        print(f"herd: cannot create log directory {cfg.log_dir}: {e.strerror}", file=sys.stderr)
        return 1
    servers = []
    try:
        for name in names:
            srv = HerdServer(name, cfg)
            servers.append(srv)
            try:
                await srv.start()
            except OSError as e:
                host, port = cfg.servers[name]
                why = ("address already in use" if e.errno == errno.EADDRINUSE
                       else (e.strerror or str(e)))
                print(f"herd: {name}: cannot listen on {host}:{port}: {why}", file=sys.stderr)
                for s in servers:
                    await s.stop()
                return 1
    except OSError as e:            # log file cannot be opened
        print(f"herd: cannot open log file: {e.strerror} ({e.filename})", file=sys.stderr)
        for s in servers:
            await s.stop()
        return 1
    for srv in servers:
        srv.start_dialers()
        print(f"herd: {srv.name} listening on {srv.host}:{srv.port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_event_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for srv in servers:
        await srv.stop()
    return 0


def main(argv):
    name = None
    herd = False
    config = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(USAGE)
            return 0
        if a == "--herd":
            herd = True
        elif a == "--config":
            if i + 1 >= len(argv):
                print("herd: --config needs a FILE\n" + USAGE, file=sys.stderr)
                return 2
            config = argv[i + 1]
            i += 1
        elif a.startswith("--config="):
            config = a[len("--config="):]
        elif a.startswith("-"):
            print(f"herd: unknown option {a}\n" + USAGE, file=sys.stderr)
            return 2
        elif name is None:
            name = a
        else:
            print(f"herd: unexpected argument {a}\n" + USAGE, file=sys.stderr)
            return 2
        i += 1
    if herd == (name is not None):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        cfg = HerdConfig.load(config) if config is not None else HerdConfig.default()
    except ConfigError as e:
        print(f"herd: {e}", file=sys.stderr)
        return 2
    if herd:
        names = list(cfg.servers)
    else:
        if name not in cfg.servers:
            print(f"herd: unknown server {name!r}; valid names: {', '.join(cfg.servers)}",
                  file=sys.stderr)
            return 2
        names = [name]
    # asyncio.run is 3.7: a loop of our own, closed at the end
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(run(cfg, names))
    except KeyboardInterrupt:
        return 130
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
