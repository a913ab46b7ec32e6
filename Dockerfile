# One image for every service of docker-compose.yml: the producer, the sport workers and
# the lag exporter differ only by their command. TypeScript runs through tsx (a runtime
# dependency), so there is no build step and no dev dependency in the image.

FROM node:20.20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall applies these to kafkajs (see shared/kafka/patches/README.md).
COPY shared/kafka/patches ./shared/kafka/patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY shared ./shared
COPY producer ./producer
COPY workers ./workers

# The image's unprivileged user; nothing here needs to write outside /tmp.
USER node
EXPOSE 9464

# Node itself receives SIGTERM (no npm or shell in between), so a worker stops cleanly;
# compose adds an init (`init: true`) to reap children and forward signals.
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["workers/main.ts"]
