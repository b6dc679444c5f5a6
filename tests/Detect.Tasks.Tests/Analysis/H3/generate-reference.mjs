// Generates h3-reference.csv: H3 cells computed by the reference implementation (npm package h3-js, Apache-2.0),
// used by H3IndexTests (this table was made with h3-js 4.5.0) to check Detect's own H3 implementation. Run it from a directory where h3-js is installed:
//   tmp=$(mktemp -d) && (cd "$tmp" && npm install h3-js@4) && \
//   NODE_PATH="$tmp/node_modules" node generate-reference.mjs > h3-reference.csv
import { createRequire } from "module";
const require = createRequire(import.meta.url); // CommonJS resolution honours NODE_PATH
let h3;
try { h3 = require("h3-js"); }
catch { console.error("h3-js not found: npm install h3-js@4 in a temp dir and set NODE_PATH to its node_modules"); process.exit(1); }

// mulberry32: a tiny seeded PRNG so the table is reproducible
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20210713);
const rows = [];
const add = (lat, lng, res, kind) => rows.push([lat, lng, res, h3.latLngToCell(lat, lng, res), kind]);

// poles and high latitudes
for (const lat of [90, -90, 89.999, -89.999, 89, -89, 88, -88, 87.5, -87.5, 86, -86, 85, -85])
  for (const lng of [0, 45, 90, 135, 180, -45, -90, -135]) add(lat, lng, 7, "polar");
// across the antimeridian
for (const lat of [-60, -33.3, -10, 0, 0.5, 10, 45.2, 70])
  for (const lng of [179.99, -179.99, 180, -180, 179.9999, -179.9999]) add(lat, lng, 7, "antimeridian");
// around the 12 pentagons (res-0 pentagon centres and small offsets)
for (const p of h3.getPentagons(0)) {
  const [lat, lng] = h3.cellToLatLng(p);
  for (const [dlat, dlng] of [[0, 0], [0.001, 0], [-0.001, 0.001], [0.01, -0.01], [0.1, 0.1], [-0.2, 0.05], [0.5, -0.3]])
    add(lat + dlat, lng + dlng, 7, "pentagon");
}
// random points spread uniformly over the sphere
for (let n = 0; n < 150; n++) {
  const lat = Math.asin(2 * rand() - 1) * 180 / Math.PI;
  const lng = rand() * 360 - 180;
  add(lat, lng, 7, "random");
}
// every resolution for a few points (incl. one near a pentagon and one near a pole)
const [plat, plng] = h3.cellToLatLng(h3.getPentagons(0)[3]);
for (const [lat, lng] of [[37.7749295, -122.4194155], [-33.8688, 151.2093], [plat + 0.003, plng - 0.002], [88.5, 12.3], [1.2345, 103.8198]])
  for (let res = 0; res <= 15; res++) add(lat, lng, res, "resolutions");

console.log("lat,lng,res,cell,kind");
for (const r of rows) console.log(r.join(","));
