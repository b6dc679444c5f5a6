# Detect: the `detect` CLI with GDAL and ONNX Runtime. Every install step runs the repository's own scripts
# (scripts/setup.sh, ./detect), the same ones the README and CI use.
#   docker build -t detect .                                         CPU image (.NET runtime base, no SDK)
#   docker build --build-arg DETECT_ORT_GPU=1 -t detect:gpu .        GPU image (CUDA 13 + cuDNN 9 runtime base)
#   docker run --env-file docker.env detect run Detect --roi bali
#   docker run --gpus all --env-file docker.env detect:gpu run Detect --roi bali --device cuda
ARG DETECT_ORT_GPU=0
ARG DOTNET_RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime:10.0-noble
ARG CUDA_IMAGE=nvidia/cuda:13.0.0-cudnn-runtime-ubuntu24.04

# ---- build: the SDK compiles the program (CPU or GPU flavour of ONNX Runtime) and builds the gazetteer
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG DETECT_ORT_GPU
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DETECT_ORT_GPU=${DETECT_ORT_GPU}
WORKDIR /opt/detect
COPY scripts/ scripts/
RUN apt-get update -qq && scripts/setup.sh --runtime && rm -rf /var/lib/apt/lists/*
COPY . .
# ./detect builds the program on first use (.build/cli, or .build/cli-gpu with DETECT_ORT_GPU=1).
RUN ./detect --help >/dev/null && ./detect list >/dev/null \
 && out=.build/cli && if [ "$DETECT_ORT_GPU" = "1" ]; then out=.build/cli-gpu; fi \
 && mkdir -p /image/.build /image/.deps \
 && cp -a detect scripts models-manifest docker.env.example /image/ \
 && cp -a .deps/gazetteer /image/.deps/ \
 && cp -a "$out" /image/.build/

# ---- runtime bases: the .NET runtime alone, or NVIDIA's CUDA 13 + cuDNN 9 runtime with the .NET runtime added
FROM ${DOTNET_RUNTIME_IMAGE} AS runtime-0

FROM ${DOTNET_RUNTIME_IMAGE} AS dotnet-runtime
FROM ${CUDA_IMAGE} AS runtime-1
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet

# ---- the image: the built program laid out as in the repository, so ./detect finds models-manifest/ and .deps/
FROM runtime-${DETECT_ORT_GPU}
ARG DETECT_ORT_GPU
ENV DETECT_ORT_GPU=${DETECT_ORT_GPU} DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DETECT_CACHE_DIR=/var/cache/detect
WORKDIR /opt/detect
COPY --from=build /image/ ./
# GDAL, Python for model conversion, OpenCV's GTK dependency: the same script; npm is skipped (gazetteer built).
RUN apt-get update -qq && scripts/setup.sh --runtime && rm -rf /var/lib/apt/lists/* \
 && ./detect list >/dev/null

# CWL runners run steps as the invoking user, with their own HOME and sometimes the host's PATH, and call
# `detect` by name (see the README's "Scale out"): a wrapper in /usr/local/bin, and a cache anyone can write.
RUN printf '#!/bin/sh\nexec /opt/detect/detect "$@"\n' > /usr/local/bin/detect && chmod 755 /usr/local/bin/detect \
    && mkdir -p /var/cache/detect && chmod 1777 /var/cache/detect

WORKDIR /work
ENTRYPOINT ["/opt/detect/scripts/docker-entrypoint.sh"]
CMD ["--help"]
