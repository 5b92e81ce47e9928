#!/usr/bin/node
'use strict';
/*
 * Herd on Node.js: the same herd as bench/asyncio-herd/server.py, on Node's `net`
 * module, so that the benchmark compares three runtimes on one table.
 *
 *     node server.js NAME [--config FILE]     one server of the herd
 *     node server.js --herd [--config FILE]   every configured server, one process
 *
 * Node 20, standard library only. Same config file, protocol, peer protocol and event-log
 * format as server.py (its module docstring is the reference; the decisions it lists where
 * SPEC.md is silent hold here too). What is Node's own:
 *   - One event loop, callbacks on 'data'/'end'/'drain' instead of coroutines. A client
 *     connection's lines are handled as a 'data' chunk arrives; replies wait in an ordered
 *     queue (a WHATSAT's slot is filled when its Promise settles) and are written in
 *     command order.
 *   - Back-pressure: socket.write() returning false pauses reading that client until
 *     'drain' (as asyncio's drain() above the high-water mark); so do 64 replies pending.
 *   - Line framing: LineSplitter, bounded like StreamReader's limit (64 KiB a line).
 *   - Places over node:http/https with a keep-alive Agent; the JSON is parsed by a small
 *     parser of our own that keeps key order and every number's text as Google sent it.
 *   - Exact decimals (time differences, newest-report comparison) on strings and BigInt.
 * Not implemented, as in server.py: peer authentication, `limits`, `security`, SIGHUP
 * reload, `google-new`; `offline` is a stub answering ZERO_RESULTS.
 */

const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const { isUtf8 } = require('node:buffer');

// ---------------------------------------------------------------------------
// Defaults and limits (as server.py)

const DEFAULT_SERVERS = {
  Goloman: ['127.0.0.1', 12010],
  Hands: ['127.0.0.1', 12011],
  Holiday: ['127.0.0.1', 12012],
  Welsh: ['127.0.0.1', 12013],
  Wilkes: ['127.0.0.1', 12014],
};
const DEFAULT_LINKS = [['Goloman', 'Hands'], ['Goloman', 'Holiday'], ['Goloman', 'Wilkes'],
  ['Hands', 'Wilkes'], ['Holiday', 'Welsh'], ['Holiday', 'Wilkes']];
const DEFAULT_PLACES = {
  provider: 'auto',
  url: 'https://maps.googleapis.com/maps/api/place/nearbysearch/json',
  keyEnv: 'GOOGLE_PLACES_API_KEY',
  timeoutMs: 10000,
  cacheTtlMs: 60000,
  cacheEntries: 1000,
  maxCallsPerSecond: 10,
};
const DEFAULT_LOG_DIR = 'logs';

const MAX_LINE = 64 * 1024;             // longest accepted line, terminator excluded
const MAX_PENDING_REPLIES = 64;         // per client connection; reading pauses beyond
const PEER_WRITE_LIMIT = 16 * 1024 * 1024;  // a peer link buffering more is dropped
const TABLE_BATCH_BYTES = 256 * 1024;   // table exchange is written in batches of this size
const HANDSHAKE_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;
const BACKOFF_FIRST_MS = 100;
const BACKOFF_CAP_MS = 2000;
const LINGER_AFTER_CLOSE_MS = 2000;     // drain input this long after an over-long line
const LINGER_MAX_BYTES = 4 * 1024 * 1024;
const HTTP_MAX_BODY = 16 * 1024 * 1024;
const HTTP_MAX_CONCURRENT = 64;
const LOG_FLUSH_DELAY_MS = 100;

class ConfigError extends Error {}

// ---------------------------------------------------------------------------
// JSON that keeps what JSON.parse loses: key order (integer-like keys too), duplicate
// keys (refused in a config), and each number's exact text.

/** A JSON object: its members in document order. */
class JObject {
  constructor(entries) { this.entries = entries; }
  get(key) {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
  has(key) { return this.entries.some(([k]) => k === key); }
  keys() { return this.entries.map(([k]) => k); }
  set(key, value) {
    for (const e of this.entries) if (e[0] === key) { e[1] = value; return; }
    this.entries.push([key, value]);
  }
}

/** A JSON number, kept as the token Google wrote. */
class JNumber {
  constructor(raw) { this.raw = raw; }
  isInteger() { return /^-?[0-9]+$/.test(this.raw); }
  value() { return Number(this.raw); }
}

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING_RE = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function parseJson(text, refuseDuplicates) {
  let i = 0;
  const fail = (what) => { throw new SyntaxError(`${what} at position ${i}`); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const value = (depth) => {
    if (depth > 512) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = [];
      const seen = new Set();
      ws();
      if (text[i] === '}') { i++; return new JObject(entries); }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = string();
        if (seen.has(key)) {
          if (refuseDuplicates) throw new ConfigError(`duplicate key ${JSON.stringify(key)}`);
          entries.splice(entries.findIndex(([k]) => k === key), 1);   // the last one wins
        }
        seen.add(key);
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        entries.push([key, value(depth + 1)]);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return new JObject(entries); }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items = [];
      ws();
      if (text[i] === ']') { i++; return items; }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return items; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (m === null) fail('unexpected character');
    i += m[0].length;
    return new JNumber(m[0]);
  };
  const string = () => {
    STRING_RE.lastIndex = i;
    const m = STRING_RE.exec(text);
    if (m === null) fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('extra data');
  return v;
}

/** Google's style: 3-space indent, '"k" : v', an array of scalars on one line. */
function renderGoogleJson(doc) {
  const out = [];
  const render = (v, ind) => {
    if (v instanceof JObject) {
      if (v.entries.length === 0) { out.push('{}'); return; }
      const inner = ind + '   ';
      out.push('{\n');
      v.entries.forEach(([k, x], n) => {
        if (n > 0) out.push(',\n');
        out.push(inner, JSON.stringify(k), ' : ');
        render(x, inner);
      });
      out.push('\n', ind, '}');
    } else if (Array.isArray(v)) {
      if (v.length === 0) { out.push('[]'); return; }
      if (!v.some((x) => x instanceof JObject || Array.isArray(x))) {
        out.push('[ ');
        v.forEach((x, n) => { if (n > 0) out.push(', '); render(x, ind); });
        out.push(' ]');
        return;
      }
      const inner = ind + '   ';
      out.push('[\n');
      v.forEach((x, n) => {
        if (n > 0) out.push(',\n');
        out.push(inner);
        render(x, inner);
      });
      out.push('\n', ind, ']');
    } else if (v instanceof JNumber) {
      out.push(v.raw);
    } else {
      out.push(JSON.stringify(v));   // strings (non-ASCII kept), true, false, null
    }
  };
  render(doc, '');
  return Buffer.from(out.join('').replace(/\n{2,}/g, '\n').replace(/\n+$/, ''), 'utf8');
}

function placesError(status, message) {
  return new JObject([['html_attributions', []], ['results', []], ['status', status],
    ['error_message', message]]);
}

// ---------------------------------------------------------------------------
// Config

class HerdConfig {
  constructor(servers, links, places, logDir) {
    this.servers = servers;   // Map name -> [host, port]
    this.links = links;       // [[a, b], ...]
    this.places = places;     // plain object of DEFAULT_PLACES' keys
    this.logDir = logDir;
  }

  neighbours(name) {
    const out = new Set();
    for (const [a, b] of this.links) {
      if (a === name) out.add(b);
      else if (b === name) out.add(a);
    }
    return out;
  }

  static defaults() {
    return new HerdConfig(new Map(Object.entries(DEFAULT_SERVERS)), DEFAULT_LINKS.slice(),
      { ...DEFAULT_PLACES }, DEFAULT_LOG_DIR);
  }

  static load(file) {
    let raw;
    try {
      raw = fs.readFileSync(file);
    } catch (e) {
      throw new ConfigError(`cannot read config ${file}: ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`);
    }
    if (!isUtf8(raw)) throw new ConfigError(`config ${file}: malformed JSON: not UTF-8`);
    let doc;
    try {
      doc = parseJson(raw.toString('utf8').replace(/^\uFEFF/, ''), true);
    } catch (e) {
      if (e instanceof ConfigError) throw new ConfigError(`config ${file}: ${e.message}`);
      throw new ConfigError(`config ${file}: malformed JSON: ${e.message}`);
    }
    return HerdConfig.fromDoc(doc, file);
  }

  static fromDoc(doc, where) {
    const fail = (msg) => { throw new ConfigError(`config ${where}: ${msg}`); };
    const isInt = (v) => v instanceof JNumber && v.isInteger();
    if (!(doc instanceof JObject)) fail('top level must be a JSON object');
    // "log" (the Java herd's rotation settings) is accepted and ignored, as in server.py
    const known = ['servers', 'links', 'places', 'logDir', 'log'];
    const unknown = doc.keys().filter((k) => !known.includes(k)).sort();
    if (unknown.length) fail(`unknown key '${unknown[0]}' (known: servers, links, places, logDir, log)`);
    if (!doc.has('servers')) fail("missing required key 'servers'");
    const sdoc = doc.get('servers');
    if (!(sdoc instanceof JObject) || sdoc.entries.length === 0) {
      fail("'servers' must be a non-empty object of name -> {host, port}");
    }
    const servers = new Map();
    const used = new Map();
    for (const [name, entry] of sdoc.entries) {
      if (!name || /[\s\u0000-\u001f\u007f]/.test(name)) {
        fail(`bad server name ${JSON.stringify(name)} (must be non-empty, no white space)`);
      }
      if (!(entry instanceof JObject)) fail(`server ${name}: must be an object {"host": ..., "port": ...}`);
      const bad = entry.keys().filter((k) => k !== 'host' && k !== 'port').sort();
      if (bad.length) fail(`server ${name}: unknown key '${bad[0]}' (known: host, port)`);
      const host = entry.has('host') ? entry.get('host') : (DEFAULT_SERVERS[name] || ['127.0.0.1'])[0];
      if (typeof host !== 'string' || !host || /\s/.test(host)) fail(`server ${name}: 'host' must be a non-empty string`);
      let port;
      if (entry.has('port')) {
        const p = entry.get('port');
        if (!isInt(p)) fail(`server ${name}: 'port' must be an integer 1..65535`);
        port = p.value();
      } else if (Object.prototype.hasOwnProperty.call(DEFAULT_SERVERS, name)) {
        port = DEFAULT_SERVERS[name][1];
      } else {
        fail(`server ${name}: missing 'port'`);
      }
      if (!(port >= 1 && port <= 65535)) fail(`server ${name}: 'port' must be an integer 1..65535`);
      const key = `${host}\u0000${port}`;
      if (used.has(key)) fail(`duplicate port ${port} on ${host} (servers ${used.get(key)} and ${name})`);
      used.set(key, name);
      servers.set(name, [host, port]);
    }

    let links;
    if (doc.has('links')) {
      const ldoc = doc.get('links');
      if (!Array.isArray(ldoc)) fail("'links' must be a list of [name, name] pairs");
      links = [];
      const seen = new Set();
      for (const item of ldoc) {
        const shown = () => (Array.isArray(item) && item.every((x) => typeof x === 'string')
          ? JSON.stringify(item) : 'entry');
        if (!Array.isArray(item) || item.length !== 2 || !item.every((x) => typeof x === 'string')) {
          fail(`bad link ${shown()} (must be [name, name])`);
        }
        const [a, b] = item;
        for (const x of [a, b]) if (!servers.has(x)) fail(`link ${shown()} names unknown server '${x}'`);
        if (a === b) fail(`link ${shown()} joins a server to itself`);
        const k = [a, b].sort().join('\u0000');
        if (!seen.has(k)) {
          seen.add(k);
          links.push([a, b]);
        }
      }
    } else {
      links = DEFAULT_LINKS.filter(([a, b]) => servers.has(a) && servers.has(b));
    }

    const places = { ...DEFAULT_PLACES };
    if (doc.has('places')) {
      const pdoc = doc.get('places');
      if (!(pdoc instanceof JObject)) fail("'places' must be an object");
      const bad = pdoc.keys().filter((k) => !(k in DEFAULT_PLACES)).sort();
      if (bad.length) {
        fail(`places: unknown key '${bad[0]}' (known: provider, url, keyEnv, timeoutMs, cacheTtlMs, `
          + 'cacheEntries, maxCallsPerSecond)');
      }
      for (const [k, v] of pdoc.entries) places[k] = v;
    }
    if (!['google', 'offline', 'auto'].includes(places.provider)) {
      fail('places.provider must be "google", "offline" or "auto"');
    }
    if (typeof places.url !== 'string') fail('places.url must be a string');
    let u;
    try {
      u = new URL(places.url);
    } catch (e) {
      u = null;
    }
    if (u === null || !['http:', 'https:'].includes(u.protocol) || !u.hostname) {
      fail('places.url must be an http:// or https:// URL with a host');
    }
    if (typeof places.keyEnv !== 'string' || !places.keyEnv) fail('places.keyEnv must be a non-empty string');
    const intOf = (k) => (places[k] instanceof JNumber ? (places[k].isInteger() ? places[k].value() : NaN) : places[k]);
    for (const k of ['timeoutMs', 'cacheTtlMs', 'cacheEntries', 'maxCallsPerSecond']) places[k] = intOf(k);
    if (!Number.isInteger(places.timeoutMs) || places.timeoutMs <= 0) fail('places.timeoutMs must be a positive integer');
    for (const k of ['cacheTtlMs', 'cacheEntries']) {
      if (!Number.isInteger(places[k]) || places[k] < 0) fail(`places.${k} must be an integer >= 0 (0 turns the cache off)`);
    }
    if (!Number.isInteger(places.maxCallsPerSecond) || places.maxCallsPerSecond <= 0) {
      fail('places.maxCallsPerSecond must be a positive integer');
    }
    const logDir = doc.has('logDir') ? doc.get('logDir') : DEFAULT_LOG_DIR;
    if (typeof logDir !== 'string' || !logDir) fail("'logDir' must be a non-empty string");
    return new HerdConfig(servers, links, places, logDir);
  }
}

// ---------------------------------------------------------------------------
// Pure protocol functions. A line is a 'latin1' string: one char per byte, so client ids
// stay opaque bytes (echoed exactly, even when not UTF-8) and regexes work on bytes.

const LOCATION_RE = /^([+-])([0-9]+(?:\.[0-9]+)?)([+-])([0-9]+(?:\.[0-9]+)?)$/;
const DECIMAL_RE = /^[0-9]+(?:\.[0-9]+)?$/;
const BOUND_RE = /^[0-9]+$/;
const DIFF_RE = /^[+-][0-9]+\.[0-9]{9}$/;
const FIELD_SPLIT = /[ \t\n\r\v\f]+/;

function fieldsOf(line) {
  const f = line.split(FIELD_SPLIT);
  if (f.length && f[0] === '') f.shift();
  if (f.length && f[f.length - 1] === '') f.pop();
  return f;
}

/** A plain decimal 'digits[.digits]' as [integer part without leading zeros, fraction without trailing zeros]. */
function decimalParts(text) {
  const dot = text.indexOf('.');
  const ip = (dot < 0 ? text : text.slice(0, dot)).replace(/^0+/, '');
  const frac = dot < 0 ? '' : text.slice(dot + 1).replace(/0+$/, '');
  return [ip, frac];
}

/** Compares two plain decimals exactly: -1, 0 or 1. */
function compareDecimals(a, b) {
  const [ai, af] = decimalParts(a);
  const [bi, bf] = decimalParts(b);
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  if (af === bf) return 0;
  const n = Math.max(af.length, bf.length);
  const x = af.padEnd(n, '0');
  const y = bf.padEnd(n, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether the plain decimal `text` is at most the integer `limit`. */
function atMost(text, limit) {
  const [ip, frac] = decimalParts(text);
  const l = String(limit);
  if (ip.length !== l.length) return ip.length < l.length;
  if (ip !== l) return ip < l;
  return frac === '';
}

function parseLocation(loc) {
  const m = LOCATION_RE.exec(loc);
  if (m === null || !atMost(m[2], 90) || !atMost(m[4], 180)) return null;
  return m;
}

const BILLION = 1000000000n;
// Wall-clock nanoseconds: the start's wall time plus the monotonic clock's advance since.
const WALL0_NS = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
const HR0_NS = process.hrtime.bigint();

function nowNs() {
  return WALL0_NS + (process.hrtime.bigint() - HR0_NS);
}

/** nowNs/1e9 - t as text: sign, digits, '.', 9 digits; exact, ties to even. */
function timeDiff(now, t) {
  const dot = t.indexOf('.');
  const ip = dot < 0 ? t : t.slice(0, dot);
  const frac = dot < 0 ? '' : t.slice(dot + 1);
  let d;
  if (frac.length <= 9) {
    d = now - (BigInt(ip) * BILLION + BigInt(frac.padEnd(9, '0')));
  } else {
    const scale = 10n ** BigInt(frac.length - 9);
    const exact = now * scale - BigInt(ip + frac);
    const neg = exact < 0n;
    const mag = neg ? -exact : exact;
    let q = mag / scale;
    const r2 = (mag % scale) * 2n;
    if (r2 > scale || (r2 === scale && q % 2n === 1n)) q += 1n;
    d = neg ? -q : q;
  }
  const sign = d >= 0n ? '+' : '-';
  const mag = d >= 0n ? d : -d;
  return `${sign}${mag / BILLION}.${String(mag % BILLION).padStart(9, '0')}`;
}

/** Exact km -> m as a plain decimal: 10 -> 10000, 1.5 -> 1500, 0.0005 -> 0.5. */
function radiusMeters(km) {
  const dot = km.indexOf('.');
  const ip = dot < 0 ? km : km.slice(0, dot);
  const frac = (dot < 0 ? '' : km.slice(dot + 1)).padEnd(3, '0');
  const whole = (ip + frac.slice(0, 3)).replace(/^0+(?=.)/, '');
  const rest = frac.slice(3).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

/** ISO 6709 match -> 'lat,lng' for the query ('+' dropped: in a query it means a space). */
function queryLocation(m) {
  return `${m[1] === '-' ? '-' : ''}${m[2]},${m[3] === '-' ? '-' : ''}${m[4]}`;
}

// ---------------------------------------------------------------------------
// Event log

const ESCAPE_NAMED = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const ESCAPE_RE = /[\u0000-\u001f\u007f\\]/g;
const PLAIN_BYTES_RE = /^[\u0020-\u005b\u005d-\u007e]*$/;

function escapeText(text) {
  return text.replace(ESCAPE_RE, (c) => ESCAPE_NAMED[c]
    || `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A latin1 string of bytes: UTF-8 text escaped, bytes that are not UTF-8 as \xNN. */
function escapeBytes(bin) {
  if (PLAIN_BYTES_RE.test(bin)) return bin;
  const buf = Buffer.from(bin, 'latin1');
  if (isUtf8(buf)) return escapeText(buf.toString('utf8'));
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 1;
    if (b >= 0x80 && n > 1 && i + n <= buf.length && isUtf8(buf.subarray(i, i + n))) {
      out += buf.toString('utf8', i, i + n);
      i += n;
    } else {
      out += b < 0x80 ? escapeText(String.fromCharCode(b)) : `\\x${b.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/** <logDir>/<Name>.log: one line per event, buffered and written within 100 ms. */
class EventLog {
  constructor(file) {
    this.file = file;
    this.fd = fs.openSync(file, 'a');
    this.lines = [];
    this.timer = null;
    this.sec = -1;
    this.secText = '';
    this.closed = false;
    this.failed = false;
  }

  stamp() {
    const ms = performance.timeOrigin + performance.now();
    const sec = Math.floor(ms / 1000);
    if (sec !== this.sec) {
      this.sec = sec;
      this.secText = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    return `${this.secText}.${String(Math.floor((ms - sec * 1000) * 1000)).padStart(6, '0')}Z`;
  }

  /** An event whose payload is text (a message of ours). */
  event(kind, party, payload = '') {
    this.add(kind, party, escapeText(payload));
  }

  /** An event whose payload is bytes as a latin1 string (a line from the network). */
  bytes(kind, party, payload) {
    this.add(kind, party, escapeBytes(payload));
  }

  add(kind, party, text) {
    if (this.closed) return;
    this.lines.push(`${this.stamp()} ${kind} ${party}${text ? ' ' + text : ''}\n`);
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), LOG_FLUSH_DELAY_MS);
  }

  flush() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.lines.length || this.closed) return;
    const data = this.lines.join('');
    this.lines = [];
    try {
      fs.writeSync(this.fd, data);
    } catch (e) {
      if (!this.failed) {
        this.failed = true;
        process.stderr.write(`herd: cannot write log ${this.file}: ${e.message}\n`);
      }
    }
  }

  close() {
    this.flush();
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } catch (e) {
      // closing is best effort: everything was written above
    }
  }
}

// ---------------------------------------------------------------------------
// Line framing

/**
 * Splits a byte stream into lines: '\n' ends a line, a '\r' before it is dropped, bytes
 * left at the end of input are a last line. A line longer than MAX_LINE is reported with
 * its first MAX_LINE bytes; the buffer never holds more than MAX_LINE + one chunk.
 */
class LineSplitter {
  constructor() {
    this.rest = null;
  }

  /** Calls onLine(latin1 string) per complete line while it returns true; -> {tooLong} | null. */
  push(chunk, onLine) {
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = null;
    let start = 0;
    let i;
    while ((i = buf.indexOf(10, start)) >= 0) {
      const end = i > start && buf[i - 1] === 13 ? i - 1 : i;
      if (end - start > MAX_LINE) return { tooLong: buf.latin1Slice(start, start + MAX_LINE) };
      const line = buf.latin1Slice(start, end);
      start = i + 1;
      if (!onLine(line)) {
        this.keep(buf, start);
        return null;
      }
    }
    if (buf.length - start > MAX_LINE + 1) return { tooLong: buf.latin1Slice(start, start + MAX_LINE) };
    this.keep(buf, start);
    return null;
  }

  keep(buf, start) {
    if (start < buf.length) this.rest = Buffer.from(buf.subarray(start));   // a copy: the chunk may be large
  }

  /** What is left unsplit (handed on when a connection turns out to be a peer). */
  take() {
    const r = this.rest;
    this.rest = null;
    return r;
  }

  /** At end of input: the last line without '\n' (a final '\r' dropped), or null; -> {tooLong} | {line}. */
  finish() {
    const buf = this.take();
    if (buf === null || buf.length === 0) return null;
    const end = buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
    if (end > MAX_LINE) return { tooLong: buf.latin1Slice(0, MAX_LINE) };
    return { line: buf.latin1Slice(0, end) };
  }
}

function partyOf(socket) {
  const host = socket.remoteAddress;
  if (host === undefined) return 'client/unknown';
  return host.includes(':') ? `client/[${host}]:${socket.remotePort}` : `client/${host}:${socket.remotePort}`;
}

// ---------------------------------------------------------------------------
// Places

/** Answers a Nearby Search as a JObject in Google's shape; its Promise never rejects. */
class PlacesClient {
  constructor(cfg, log, party) {
    this.log = log;
    this.keyEnv = cfg.keyEnv;
    this.key = process.env[this.keyEnv] || null;
    let provider = cfg.provider;
    let how = 'configured';
    if (provider === 'auto') {
      provider = this.key ? 'google' : 'offline';
      how = `auto: $${this.keyEnv} is ${this.key ? 'set' : 'not set'}`;
    }
    this.provider = provider;
    this.timeoutMs = cfg.timeoutMs;
    // The guard in front of Google, as in server.py and the Java engine: an LRU cache with a
    // time to live (same centre to 4 decimals, same radius; OK and ZERO_RESULTS only),
    // identical queries in flight share one call, and a token bucket of maxCallsPerSecond.
    this.cacheTtlMs = cfg.cacheTtlMs;
    this.cacheEntries = cfg.cacheEntries;
    this.cache = new Map();       // key -> {expires, doc}; Map order is the LRU order
    this.inFlight = new Map();    // key -> Promise of doc
    this.rate = cfg.maxCallsPerSecond;
    this.tokens = this.rate;
    this.refilled = performance.now();
    if (provider === 'google') {
      this.url = new URL(cfg.url);
      const secure = this.url.protocol === 'https:';
      this.transport = secure ? https : http;
      this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: HTTP_MAX_CONCURRENT, maxFreeSockets: 16 });
      const keynote = this.key ? `key from $${this.keyEnv}` : `$${this.keyEnv} not set`;
      log.event('INFO', party, `places provider google (${how}) ${this.url.protocol}//${this.url.host}`
        + `${this.url.pathname}, ${keynote}, timeout ${this.timeoutMs} ms`);
    } else {
      log.event('INFO', party, `places provider offline (${how})`);
    }
  }

  close() {
    if (this.agent) this.agent.destroy();
  }

  async nearby(loc, km, party) {
    if (this.provider === 'offline') {
      return new JObject([['html_attributions', []], ['results', []], ['status', 'ZERO_RESULTS']]);
    }
    if (!this.key) {
      return placesError('REQUEST_DENIED', `No Places API key: set the environment variable ${this.keyEnv} `
        + 'and restart the server.');
    }
    const [lat, lng] = queryLocation(loc).split(',');
    const key = `${Number(lat).toFixed(4)},${Number(lng).toFixed(4)},${radiusMeters(km)}`;
    const now = performance.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && now < hit.expires) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return copyAnswer(hit.doc);
    }
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return copyAnswer(await pending);
    this.tokens = Math.min(this.rate, this.tokens + (now - this.refilled) / 1000 * this.rate);
    this.refilled = now;
    if (this.tokens < 1) {
      return placesError('OVER_QUERY_LIMIT', `this server's limit of ${this.rate} Places calls per second was reached`);
    }
    this.tokens -= 1;
    const call = this.call(loc, km, party);
    this.inFlight.set(key, call);
    const doc = await call;
    this.inFlight.delete(key);
    const status = doc.get('status');
    if ((status === 'OK' || status === 'ZERO_RESULTS') && this.cacheTtlMs > 0 && this.cacheEntries > 0) {
      this.cache.delete(key);
      this.cache.set(key, { expires: performance.now() + this.cacheTtlMs, doc });
      while (this.cache.size > this.cacheEntries) this.cache.delete(this.cache.keys().next().value);
    }
    return copyAnswer(doc);
  }

  call(loc, km, party) {
    const q = `location=${queryLocation(loc)}&radius=${radiusMeters(km)}&key=${encodeURIComponent(this.key)}`;
    const target = `${this.url.pathname}${this.url.search ? this.url.search + '&' : '?'}${q}`;
    return new Promise((resolve) => {
      let done = false;
      const finish = (doc) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          resolve(doc);
        }
      };
      const fail = (message) => {
        if (done) return;   // e.g. the reset that follows our own timeout
        this.log.event('ERROR', party, message);
        finish(placesError('UNKNOWN_ERROR', message));
      };
      const req = this.transport.request({
        protocol: this.url.protocol,
        hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port || undefined,
        path: target,
        agent: this.agent,
        headers: { 'User-Agent': 'herd-node/1.0', Accept: 'application/json', 'Accept-Encoding': 'gzip, deflate' },
      });
      const timer = setTimeout(() => {
        fail(`Places request timed out after ${this.timeoutMs} ms`);
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (e) => fail(`Places network error: ${e.code || e.message}`));
      req.on('response', (res) => {
        const chunks = [];
        let total = 0;
        res.on('data', (c) => {
          total += c.length;
          if (total > HTTP_MAX_BODY) {
            fail('Places response too large');
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => fail(`Places network error: ${e.code || e.message}`));
        res.on('end', () => {
          if (done) return;
          if (res.statusCode !== 200) {
            fail(`Places HTTP error ${res.statusCode} ${res.statusMessage || ''}`.trimEnd());
            return;
          }
          let body = Buffer.concat(chunks);
          try {
            const codings = String(res.headers['content-encoding'] || '').split(',')
              .map((s) => s.trim().toLowerCase()).filter((s) => s && s !== 'identity');
            for (const coding of codings.reverse()) {
              const opts = { maxOutputLength: HTTP_MAX_BODY };
              if (coding === 'gzip' || coding === 'x-gzip') body = zlib.gunzipSync(body, opts);
              else if (coding === 'deflate') body = body[0] === 0x78 ? zlib.inflateSync(body, opts) : zlib.inflateRawSync(body, opts);
              else throw new Error(`unsupported Content-Encoding '${coding}' from Places`);
            }
          } catch (e) {
            fail(e.message.startsWith('unsupported') ? e.message : `bad body from Places: ${e.message}`);
            return;
          }
          let doc;
          try {
            if (!isUtf8(body)) throw new SyntaxError('not UTF-8');
            doc = parseJson(body.toString('utf8').replace(/^\uFEFF/, ''), false);
          } catch (e) {
            fail(`Places returned invalid JSON: ${e.message}`);
            return;
          }
          if (!(doc instanceof JObject)) {
            fail('Places returned JSON that is not an object');
            return;
          }
          finish(doc);
        });
      });
      req.end();
    });
  }
}

/** A cached answer is shared: each WHATSAT cuts its own copy of the results list. */
function copyAnswer(doc) {
  return new JObject(doc.entries.map(([k, v]) => [k, k === 'results' && Array.isArray(v) ? v.slice() : v]));
}

// ---------------------------------------------------------------------------
// Connections

/**
 * One client connection. Lines are handled in arrival order and answered in that order:
 * a reply ready at once is written at the end of the chunk it came in (one write per
 * chunk), unless a WHATSAT ahead of it still waits for Places; then it queues behind.
 */
class ClientSession {
  constructor(srv, socket) {
    this.srv = srv;
    this.socket = socket;
    this.party = partyOf(socket);
    this.lines = new LineSplitter();
    this.ready = [];          // replies ready, written at the end of this chunk
    this.queue = [];          // {data, log} | {pending: true} slots behind a pending WHATSAT
    this.waitingDrain = false;
    this.inputEnded = false;
    this.closing = false;     // an over-long line was answered: no more lines
    this.closeReason = 'end of input';
    this.first = true;
    this.logged = false;
    this.becamePeer = false;
  }

  start() {
    const { socket, srv } = this;
    srv.sessions.add(this);
    srv.log.event('OPEN', this.party, `accepted on ${srv.host}:${srv.port}`);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('drain', () => {
      this.waitingDrain = false;
      this.resumeIfRoom();
    });
    socket.on('error', (e) => { this.closeReason = `connection error: ${e.code || e.message}`; });
    socket.on('close', () => this.onClose());
  }

  onData(chunk) {
    if (this.closing) {
      this.discard(chunk.length);
      return;
    }
    const r = this.lines.push(chunk, (line) => this.handle(line));
    if (this.becamePeer) {
      this.srv.acceptPeer(this.peer, this);   // takes what followed the handshake in this chunk
      return;
    }
    if (r !== null) this.tooLong(r.tooLong);
    this.flushReady();
  }

  onEnd() {
    if (this.closing || this.becamePeer) {
      if (this.closing) this.socket.destroy();
      return;
    }
    this.inputEnded = true;
    const last = this.lines.finish();
    if (last !== null) {
      if (last.tooLong !== undefined) this.tooLong(last.tooLong);
      else this.handle(last.line);
    }
    if (this.becamePeer) {   // a handshake as the very last line: the link ends at once
      this.srv.acceptPeer(this.peer, this).close('end of input');
      return;
    }
    this.flushReady();
    this.endIfDone();
  }

  /** One line; false when it made this connection a peer link (the splitter then stops). */
  handle(line) {
    const srv = this.srv;
    if (this.first) {
      this.first = false;
      const peer = srv.acceptHandshake(line);
      if (peer !== null) {
        srv.log.bytes('IN', this.party, line);
        this.becamePeer = true;
        this.peer = peer;
        srv.sessions.delete(this);
        return false;
      }
    }
    srv.log.bytes('IN', this.party, line);
    const f = fieldsOf(line);
    if (f.length === 0) return true;
    if (f.length === 4) {
      if (f[0] === 'IAMAT') {
        const at = srv.iamat(f);
        if (at !== null) {
          this.reply(at + '\n', at);
          return true;
        }
      } else if (f[0] === 'WHATSAT') {
        const answer = srv.whatsat(f, this.party);
        if (answer !== null) {
          this.replyLater(answer);
          return true;
        }
      }
    }
    this.reply(`? ${line}\n`, `? ${line}`);
    return true;
  }

  reply(data, logged) {
    if (this.queue.length) {
      this.queue.push({ data, log: logged });
      this.pauseIfFull();
    } else {
      this.ready.push(data);
      this.srv.log.bytes('OUT', this.party, logged);
    }
  }

  replyLater(promise) {
    this.flushReady();
    const slot = { pending: true };
    this.queue.push(slot);
    this.pauseIfFull();
    promise.then(([data, logged]) => {
      slot.pending = false;
      slot.data = data;
      slot.log = logged;
      this.writeQueue();
    });
  }

  flushReady() {
    if (!this.ready.length) return;
    const data = this.ready.length === 1 ? this.ready[0] : this.ready.join('');
    this.ready = [];
    this.write(data);
  }

  write(data) {
    this.srv.flushPeers();    // updates reach the neighbours before the reply
    if (this.socket.destroyed || !this.socket.writable) return;
    if (!this.socket.write(Buffer.from(data, 'latin1')) && !this.waitingDrain) {
      this.waitingDrain = true;
      this.socket.pause();
    }
  }

  writeQueue() {
    const parts = [];
    while (this.queue.length && !this.queue[0].pending) {
      const slot = this.queue.shift();
      parts.push(slot.data);
      this.srv.log.bytes('OUT', this.party, slot.log);
    }
    if (parts.length) this.write(parts.join(''));
    this.resumeIfRoom();
    this.endIfDone();
  }

  pauseIfFull() {
    if (this.queue.length >= MAX_PENDING_REPLIES) this.socket.pause();
  }

  resumeIfRoom() {
    if (!this.waitingDrain && this.queue.length < MAX_PENDING_REPLIES && !this.inputEnded) this.socket.resume();
  }

  /** After the client's end of input (or an over-long line): half-close once every reply is out. */
  endIfDone() {
    if ((this.inputEnded || this.closing) && !this.queue.length && !this.socket.destroyed) {
      this.socket.end();
      if (this.closing) this.linger();
    }
  }

  tooLong(prefix) {
    const srv = this.srv;
    srv.log.bytes('IN', this.party, `${prefix.slice(0, 200)}... [line over ${MAX_LINE} bytes]`);
    this.reply(`? ${prefix}\n`, `? ${prefix.slice(0, 200)}... [${prefix.length + 2} bytes; closing]`);
    this.closeReason = `line longer than ${MAX_LINE} bytes`;
    this.closing = true;
    this.lines.take();
    this.flushReady();
    this.endIfDone();
  }

  /** Discards input for a while after the half-close, so the reply is not lost to a reset. */
  linger() {
    if (this.lingering) return;
    this.lingering = true;
    this.discarded = 0;
    this.socket.resume();
    this.lingerTimer = setTimeout(() => this.socket.destroy(), LINGER_AFTER_CLOSE_MS);
  }

  discard(n) {
    this.discarded = (this.discarded || 0) + n;
    if (this.discarded >= LINGER_MAX_BYTES) this.socket.destroy();
  }

  onClose() {
    clearTimeout(this.lingerTimer);
    if (this.becamePeer) return;
    this.srv.sessions.delete(this);
    if (this.queue.length && this.closeReason === 'end of input') this.closeReason = 'connection lost';
    this.queue = [];
    this.logClose(this.closeReason);
  }

  logClose(reason) {
    if (!this.logged) {
      this.logged = true;
      this.srv.log.event('CLOSE', this.party, reason);
    }
  }
}

/** A live link to one neighbour. Writes are batched per turn of the loop; a link buffering more than PEER_WRITE_LIMIT is dropped. */
class PeerLink {
  constructor(srv, name, socket, lines, how, clientParty) {
    this.srv = srv;
    this.name = name;
    this.socket = socket;
    this.lines = lines;
    this.party = `peer/${name}`;
    this.how = how;
    this.clientParty = clientParty;   // the accepted connection's party, for its CLOSE
    this.closed = false;
    this.pending = [];
    this.pendingBytes = 0;
    this.scheduled = false;
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
  }

  start(rest) {
    const { socket } = this;
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('drain');
    socket.removeAllListeners('timeout');
    socket.setTimeout(0);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('end', () => this.close('end of input'));
    socket.on('error', (e) => this.close(`connection error: ${e.code || e.message}`));
    socket.on('close', () => this.close('connection closed'));
    // The table as it is now, before anything is read from the peer (nothing it sends is echoed back).
    this.sendTable(Array.from(this.srv.table.values(), (e) => e.line));
    if (rest) this.onData(rest);
    socket.resume();
  }

  onData(chunk) {
    if (this.closed) return;
    const r = this.lines.push(chunk, (line) => {
      this.srv.peerLine(this, line);
      return !this.closed;
    });
    if (r !== null) {
      this.srv.log.event('ERROR', this.party, `peer line longer than ${MAX_LINE} bytes`);
      this.close(`peer line longer than ${MAX_LINE} bytes`);
    }
  }

  send(line) {
    if (this.closed) return;
    this.pending.push(line, '\n');
    this.pendingBytes += line.length + 1;
    this.srv.log.bytes('PEER_OUT', this.party, line);
    if (this.pendingBytes + this.socket.writableLength > PEER_WRITE_LIMIT) {
      this.close(`outgoing buffer over ${PEER_WRITE_LIMIT} bytes`, true);
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  flush() {
    this.scheduled = false;
    if (this.closed || !this.pending.length) return true;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    return this.socket.write(Buffer.from(data, 'latin1'));
  }

  /** Every stored AT line, in batches; waits for 'drain' between them so the limit holds. */
  sendTable(lines) {
    let i = 0;
    const next = () => {
      let batch = 0;
      while (i < lines.length && !this.closed) {
        this.send(lines[i]);
        batch += lines[i].length + 1;
        i += 1;
        if (batch >= TABLE_BATCH_BYTES) {
          if (!this.flush()) {
            this.socket.once('drain', next);
            return;
          }
          batch = 0;
        }
      }
    };
    next();
  }

  close(reason, abort = false) {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    if (this.srv.peers.get(this.name) === this) this.srv.peers.delete(this.name);
    this.srv.log.event('PEER_DOWN', this.party, reason);
    if (this.clientParty) this.srv.log.event('CLOSE', this.clientParty, `peer link ${this.name} closed`);
    if (abort) this.socket.resetAndDestroy();
    else this.socket.destroy();
    if (this.onDown) this.onDown();
  }
}

// ---------------------------------------------------------------------------
// One server

class HerdServer {
  constructor(name, cfg) {
    this.name = name;
    this.cfg = cfg;
    [this.host, this.port] = cfg.servers.get(name);
    this.neighbours = cfg.neighbours(name);
    this.table = new Map();     // client id -> {time, line, loc}
    this.peers = new Map();     // neighbour name -> PeerLink
    this.sessions = new Set();
    this.dialers = new Map();   // neighbour name -> {socket, timer}
    this.listener = null;
    this.stopping = false;
    this.party = '-';           // server-level events name no party, as in the Java engine
    this.log = new EventLog(path.join(cfg.logDir, `${name}.log`));
    this.places = null;
  }

  start() {
    return new Promise((resolve, reject) => {
      const listener = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.accept(socket));
      listener.once('error', reject);
      listener.listen({ host: this.host, port: this.port, backlog: 1024 }, () => {
        listener.removeListener('error', reject);
        listener.on('error', (e) => this.log.event('ERROR', this.party, `listener: ${e.message}`));
        this.listener = listener;
        this.log.event('INFO', this.party, `listening on ${this.host}:${this.port}; neighbours `
          + `${[...this.neighbours].sort().join(', ') || '(none)'}`);
        this.places = new PlacesClient(this.cfg.places, this.log, this.party);
        resolve();
      });
    });
  }

  accept(socket) {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    new ClientSession(this, socket).start();
  }

  startDialers() {
    for (const other of [...this.neighbours].sort()) {
      if (this.name < other) this.dial(other, BACKOFF_FIRST_MS, null);
    }
  }

  stop() {
    this.stopping = true;
    for (const d of this.dialers.values()) {
      clearTimeout(d.timer);
      if (d.socket) d.socket.destroy();
    }
    if (this.listener) this.listener.close();
    for (const link of [...this.peers.values()]) link.close('server shutting down');
    for (const s of [...this.sessions]) {
      s.logClose('server shutting down');
      s.socket.destroy();
    }
    if (this.places) this.places.close();
    this.log.event('INFO', this.party, 'stopped');
    this.log.close();
  }

  // -- locations ----------------------------------------------------------
  /** Stores the update if newer than what we hold and floods it; -> stored? */
  offer(client, time, line, loc, source) {
    const cur = this.table.get(client);
    if (cur !== undefined && compareDecimals(time, cur.time) <= 0) return false;
    this.table.set(client, { time, line, loc });
    for (const link of this.peers.values()) {
      if (link.name !== source) link.send(line);
    }
    return true;
  }

  flushPeers() {
    for (const link of this.peers.values()) if (link.pending.length) link.flush();
  }

  iamat(f) {
    if (parseLocation(f[2]) === null || !DECIMAL_RE.test(f[3])) return null;
    const at = `AT ${this.name} ${timeDiff(nowNs(), f[3])} ${f[1]} ${f[2]} ${f[3]}`;
    this.offer(f[1], f[3], at, f[2], null);   // flooded before the reply is written
    return at;
  }

  /** A valid WHATSAT -> Promise of [reply, log payload]; null when invalid. */
  whatsat(f, party) {
    const [, client, radius, bound] = f;
    if (!DECIMAL_RE.test(radius) || !BOUND_RE.test(bound)) return null;
    const [rip, rfrac] = decimalParts(radius);
    if ((rip === '' && rfrac === '') || !atMost(radius, 50)) return null;
    const b = bound.replace(/^0+/, '');
    if (!b || b.length > 2 || Number(b) < 1 || Number(b) > 20) return null;
    const entry = this.table.get(client);
    if (entry === undefined) return null;
    return this.whatsatReply(entry.line, parseLocation(entry.loc), radius, Number(b), party);
  }

  async whatsatReply(at, loc, km, bound, party) {
    let doc;
    try {
      doc = await this.places.nearby(loc, km, party);
    } catch (e) {   // a bug must still yield a well-formed reply
      this.log.event('ERROR', party, `places: unexpected ${e.name}: ${e.message}`);
      doc = placesError('UNKNOWN_ERROR', `internal error: ${e.name}`);
    }
    let n = 0;
    const results = doc.get('results');
    if (Array.isArray(results)) {
      if (results.length > bound) doc.set('results', results.slice(0, bound));
      n = Math.min(results.length, bound);
    }
    const body = renderGoogleJson(doc);
    return [`${at}\n${body.latin1Slice(0, body.length)}\n\n`, `${at} [json ${body.length} bytes, ${n} results]`];
  }

  // -- peers --------------------------------------------------------------
  acceptHandshake(line) {
    const f = fieldsOf(line);
    if (f.length === 3 && f[0] === 'HERD-PEER' && f[2] === this.name && this.neighbours.has(f[1])) return f[1];
    return null;
  }

  peerLine(link, line) {
    if (line === 'HERD-ALIVE') return;   // a Java peer's heartbeat: not logged, as in the engine
    this.log.bytes('PEER_IN', link.party, line);
    const f = fieldsOf(line);
    if (f.length === 0) return;
    if (f.length !== 6 || f[0] !== 'AT' || !DIFF_RE.test(f[2])
        || parseLocation(f[4]) === null || !DECIMAL_RE.test(f[5])) {
      this.log.bytes('ERROR', link.party, `malformed update ignored: ${line}`);
      return;
    }
    this.offer(f[3], f[5], f.join(' '), f[4], link.name);
  }

  linkUp(link) {
    const old = this.peers.get(link.name);
    if (old !== undefined) old.close('replaced by a new connection from the same peer');
    this.peers.set(link.name, link);
    this.log.event('PEER_UP', link.party, link.how);
  }

  acceptPeer(name, session) {
    const link = new PeerLink(this, name, session.socket, new LineSplitter(), `accepted from ${session.party.slice(7)}`,
      session.party);
    const rest = session.lines.take();
    const ok = `HERD-PEER-OK ${this.name}`;
    session.socket.write(`${ok}\n`);
    this.log.event('PEER_OUT', link.party, ok);
    this.linkUp(link);
    link.start(rest);
    return link;
  }

  /** Dials `other` until the herd stops; after a link ends, dials again. */
  dial(other, delay, lastFailure) {
    if (this.stopping) return;
    const [host, port] = this.cfg.servers.get(other);
    const party = `peer/${other}`;
    const state = { socket: null, timer: null };
    this.dialers.set(other, state);
    const socket = net.connect({ host, port, noDelay: true });
    state.socket = socket;
    const lines = new LineSplitter();
    let settled = false;
    const retry = (why) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const failure = `dial ${host}:${port} failed: ${why}; retrying`;
      if (failure !== lastFailure) this.log.event('INFO', party, failure);
      this.again(other, state, delay, Math.min(delay * 2, BACKOFF_CAP_MS), failure);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => retry('timed out'));
    socket.on('error', (e) => retry(e.code === 'ECONNREFUSED' ? 'Connect call failed' : e.code || e.message));
    socket.on('end', () => retry('closed during handshake'));
    socket.on('close', () => retry('closed during handshake'));
    socket.on('connect', () => {
      const hello = `HERD-PEER ${this.name} ${other}`;
      socket.write(`${hello}\n`);
      this.log.event('PEER_OUT', party, hello);
      socket.setTimeout(HANDSHAKE_TIMEOUT_MS);
    });
    socket.on('data', (chunk) => {
      let reply = null;
      const r = lines.push(chunk, (line) => {
        reply = line;
        return false;
      });
      if (r !== null) {
        retry('handshake reply too long');
        return;
      }
      if (reply === null) return;
      this.log.bytes('PEER_IN', party, reply);
      const f = fieldsOf(reply);
      if (f.length !== 2 || f[0] !== 'HERD-PEER-OK' || f[1] !== other) {
        const failure = `handshake refused: ${reply}`;
        this.log.bytes('ERROR', party, failure);
        settled = true;
        socket.resetAndDestroy();
        this.again(other, state, delay, Math.min(delay * 2, BACKOFF_CAP_MS), failure);
        return;
      }
      settled = true;
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      socket.pause();
      const link = new PeerLink(this, other, socket, lines, `dialed ${host}:${port}`, null);
      link.onDown = () => this.again(other, state, BACKOFF_FIRST_MS, 2 * BACKOFF_FIRST_MS, null);
      this.linkUp(link);
      link.start(lines.take());
    });
  }

  /** Dials `other` again after `wait` ms, that attempt's backoff being `delay`. */
  again(other, state, wait, delay, lastFailure) {
    if (this.stopping || this.dialers.get(other) !== state) return;
    state.socket = null;
    state.timer = setTimeout(() => this.dial(other, delay, lastFailure), wait);
  }
}

// ---------------------------------------------------------------------------
// Command line

const USAGE = `usage: server.js NAME [--config FILE]     run one server of the herd
       server.js --herd [--config FILE]   run every configured server in one process
       server.js --help`;

async function run(cfg, names) {
  try {
    fs.mkdirSync(cfg.logDir, { recursive: true });
  } catch (e) {
    process.stderr.write(`herd: cannot create log directory ${cfg.logDir}: ${e.message}\n`);
    return 1;
  }
  const servers = [];
  for (const name of names) {
    let srv;
    try {
      srv = new HerdServer(name, cfg);
    } catch (e) {
      process.stderr.write(`herd: cannot open log file: ${e.message}\n`);
      servers.forEach((s) => s.stop());
      return 1;
    }
    servers.push(srv);
    try {
      await srv.start();
    } catch (e) {
      const [host, port] = cfg.servers.get(name);
      const why = e.code === 'EADDRINUSE' ? 'address already in use' : e.message;
      process.stderr.write(`herd: ${name}: cannot listen on ${host}:${port}: ${why}\n`);
      servers.forEach((s) => s.stop());
      return 1;
    }
  }
  for (const srv of servers) {
    srv.startDialers();
    process.stdout.write(`herd: ${srv.name} listening on ${srv.host}:${srv.port}\n`);
  }
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  servers.forEach((s) => s.stop());
  return 0;
}

function main(argv) {
  let name = null;
  let herd = false;
  let config = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (a === '--herd') {
      herd = true;
    } else if (a === '--config') {
      if (i + 1 >= argv.length) {
        process.stderr.write(`herd: --config needs a FILE\n${USAGE}\n`);
        return 2;
      }
      config = argv[++i];
    } else if (a.startsWith('--config=')) {
      config = a.slice('--config='.length);
    } else if (a.startsWith('-')) {
      process.stderr.write(`herd: unknown option ${a}\n${USAGE}\n`);
      return 2;
    } else if (name === null) {
      name = a;
    } else {
      process.stderr.write(`herd: unexpected argument ${a}\n${USAGE}\n`);
      return 2;
    }
  }
  if (herd === (name !== null)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let cfg;
  try {
    cfg = config !== null ? HerdConfig.load(config) : HerdConfig.defaults();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`herd: ${e.message}\n`);
    return 2;
  }
  let names;
  if (herd) {
    names = [...cfg.servers.keys()];
  } else {
    if (!cfg.servers.has(name)) {
      process.stderr.write(`herd: unknown server '${name}'; valid names: ${[...cfg.servers.keys()].join(', ')}\n`);
      return 2;
    }
    names = [name];
  }
  return run(cfg, names);
}

Promise.resolve(main(process.argv.slice(2))).then((code) => process.exit(code));
