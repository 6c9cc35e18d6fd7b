# syntax=docker/dockerfile:1
# One image for every HyreLog target. Node runs the TypeScript sources directly (type
# stripping), so there is no build step: the image is the sources plus node_modules.
#   docker build -t hyrelog .
#   docker run hyrelog serve --target=gateway      (default: serve --target=all)
#   docker run hyrelog migrate

FROM node:24-bookworm-slim AS base
WORKDIR /app

# The workspace's package manifests and lockfile only, so the install layer below is reused
# until one of them changes.
FROM base AS manifests
COPY . .
RUN find . -mindepth 1 -type f ! -name package.json ! -name pnpm-lock.yaml ! -name pnpm-workspace.yaml ! -name .npmrc -delete \
 && find . -mindepth 1 -type d -empty -delete

FROM base AS deps
ENV CI=true
RUN npm i -g pnpm@10.34.8
COPY --from=manifests /app ./
RUN --mount=type=cache,id=hyrelog-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod=false --store-dir=/pnpm/store
COPY . .

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the process; Kubernetes also mounts the root filesystem read-only.
COPY --from=deps /app ./
USER node
EXPOSE 7070 8080
ENTRYPOINT ["node", "apps/cli/src/main.ts"]
CMD ["serve", "--target=all"]
