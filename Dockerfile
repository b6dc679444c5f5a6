# Detect: the `detect` CLI with GDAL and ONNX Runtime, installed through the same scripts the README uses.
#   docker build -t detect .
#   docker run --env-file docker.env detect run Detect --roi bali
# GPU: build with --build-arg DETECT_ORT_GPU=1 and run with --gpus all on a host with CUDA 13 + cuDNN 9.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble

ARG DETECT_ORT_GPU=0
ENV DETECT_ORT_GPU=${DETECT_ORT_GPU} \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DETECT_CACHE_DIR=/var/cache/detect

WORKDIR /opt/detect
# Scripts first, so the dependency layer is cached across source changes.
COPY scripts/ scripts/
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends npm ca-certificates \
    && scripts/setup.sh --runtime \
    && rm -rf /var/lib/apt/lists/*

COPY . .
# Builds the program once (the launcher builds on first use and is fast afterwards).
RUN ./detect --help >/dev/null && ./detect list >/dev/null

# CWL runners run steps as the invoking user, with their own HOME and sometimes the host's PATH, and call
# `detect` by name (see the README's "Scale out"): a wrapper in /usr/local/bin, and a cache anyone can write.
RUN printf '#!/bin/sh\nexec /opt/detect/detect "$@"\n' > /usr/local/bin/detect && chmod 755 /usr/local/bin/detect \
    && mkdir -p /var/cache/detect && chmod 1777 /var/cache/detect

WORKDIR /work
ENTRYPOINT ["/opt/detect/scripts/docker-entrypoint.sh"]
CMD ["--help"]
