#!/usr/bin/env bash
# Starts the release build on port $1 with a fresh SQLite file named $2,
# the demo accounts, and maildev as its SMTP server.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/e2e
rm -f "target/e2e/$2.db" "target/e2e/$2.db-wal" "target/e2e/$2.db-shm"
export DATABASE_URL="sqlite://target/e2e/$2.db?mode=rwc"
export SMTP_URL="smtp://127.0.0.1:1025"
export LOAD_DEMO_DATA=1
export LEPTOS_SITE_ADDR="127.0.0.1:$1"
# As in production: forms only from this origin, only this Host served;
# a name, not an address, so that passkeys work (a relying party is a domain).
export PUBLIC_URL="http://localhost:$1"
export LEPTOS_SITE_ROOT="target/site"
# Every test of the suite comes from 127.0.0.1: the per-address limits
# (tried by the Rust suites) would otherwise count the whole run as one
# client and refuse its later specs.
export RATE_LIMIT_PROOFS=100000
export RATE_LIMIT_LOOKUPS=100000
export RATE_LIMIT_MAILS=100000
export RUST_LOG="${RUST_LOG:-warn}"
exec target/release/provider-portal
