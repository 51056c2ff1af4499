# sendcheck in a container, from the Linux single executable (no Node in the image).
# Build the binary first: npm ci && npm run dist linux-x64   (or: npm run build && node scripts/dist.mjs linux-x64)
# Caveat: a container's network is not the host's (Docker Desktop adds a VM, NAT and its own DNS); see docs/install.md.
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates xz-utils && rm -rf /var/lib/apt/lists/*
COPY dist-bin/sendcheck-*-linux-x64.tar.xz /tmp/
RUN tar -xJf /tmp/sendcheck-*-linux-x64.tar.xz -C /opt && ln -s /opt/sendcheck-*-linux-x64/sendcheck /usr/local/bin/sendcheck \
 && rm /tmp/sendcheck-*-linux-x64.tar.xz && useradd --system --no-create-home sendcheck
USER sendcheck
ENTRYPOINT ["sendcheck"]
CMD ["--help"]
