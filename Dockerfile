# syntax=docker/dockerfile:1
# Gongkai in a container: a release build, then a small Debian runtime that runs it as
# an unprivileged user. It needs a PostgreSQL server (DATABASE_URL) and its secrets
# (GONGKAI_JWT_SECRET, GONGKAI_DATA_KEY): docker-compose.yml gives it both.

ARG RUST_IMAGE=rust:1-bookworm

FROM ${RUST_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The caches keep downloaded crates and compiled dependencies between builds.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin gongkai \
 && install -m 0755 target/release/gongkai /usr/local/bin/gongkai

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/gongkai --create-home \
      --shell /usr/sbin/nologin gongkai
COPY --from=build /usr/local/bin/gongkai /usr/local/bin/gongkai
USER gongkai
WORKDIR /var/lib/gongkai
ENV GONGKAI_ADDR=0.0.0.0:8080 \
    GONGKAI_DATA_DIR=/var/lib/gongkai/data
EXPOSE 8080
# Ready = the process serves and its database answers.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["gongkai"]
CMD ["serve"]
