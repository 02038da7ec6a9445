# vigie — image du démon (voir docs/production.md, « Conteneur »).
# Construire : docker build -t vigie:0.1.0 .      Lancer : contrib/docker/compose.yaml
# Le système de fichiers racine peut être en lecture seule : vigie n’écrit que dans /var/lib/vigie
# (volume) et /tmp (tmpfs).

# 1. Construction : dépendances de développement, compilation, paquet npm (le même que `npm pack`).
FROM node:20.20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm rebuild better-sqlite3 @resvg/resvg-js \
 && npm pack --pack-destination /tmp \
 && mv /tmp/vigie-*.tgz /tmp/vigie.tgz

# 2. Exécution : le paquet installé comme le ferait un administrateur (`npm install -g`).
FROM node:20.20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /tmp/vigie.tgz /tmp/vigie.tgz
RUN npm install -g /tmp/vigie.tgz \
 && rm /tmp/vigie.tgz \
 && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y \
 && groupadd --system --gid 10001 vigie \
 && useradd --system --uid 10001 --gid vigie --home-dir /var/lib/vigie --shell /usr/sbin/nologin vigie \
 && install -d -o vigie -g vigie -m 0700 /var/lib/vigie \
 && install -d -m 0755 /etc/vigie
ENV VIGIE_DATA_DIR=/var/lib/vigie \
    HOME=/var/lib/vigie \
    NODE_ENV=production
VOLUME ["/var/lib/vigie"]
USER 10001:10001
WORKDIR /var/lib/vigie
# Sain = le battement de cœur du démon a moins de 2 minutes (code 0), sinon code 4.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
  CMD ["vigie", "daemon", "status", "--check"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["vigie"]
CMD ["daemon", "--inventory", "/etc/vigie/vigie.yml"]
