#!/bin/sh
# The image's entry point. `docker run IMAGE run Detect --roi bali` runs `detect run Detect --roi bali`; a full
# command line, as CWL runners give one (`/bin/sh -c 'detect run …'`, `detect run …`), runs as given.
case "${1:-}" in
  detect | /*) exec "$@" ;;
esac
exec /opt/detect/detect "$@"
