#!/usr/bin/env bash
# The Rust tests: unit tests, and the integration tests on SQLite and on
# PostgreSQL (TEST_DATABASE_URL, or a server at 127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  fi
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "[tests] PostgreSQL tests run against ${TEST_DATABASE_URL%%\?*}"
  export POSTGRES_TESTS=required
else
  echo "[tests] SKIPPED: the PostgreSQL tests (no TEST_DATABASE_URL and nothing answers at 127.0.0.1:5432)"
  if [ -n "${REQUIRE_POSTGRES:-}" ]; then echo "[tests] REQUIRE_POSTGRES is set: failing"; exit 1; fi
fi
mkdir -p target
cargo test --features ssr -- --test-threads 4 2>&1 | tee target/rust-tests.log
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  n="$(grep -cE '^test .*postgres.* \.\.\. ok$' target/rust-tests.log || true)"
  echo "[tests] PostgreSQL integration tests passed: $n"
  if [ "$n" -eq 0 ]; then echo "[tests] no PostgreSQL test ran"; exit 1; fi
fi
# The browser build's checks: the same cases, compiled to wasm32 and run by
# wasm-bindgen-test (Node; wasm-bindgen-test-runner comes with wasm-bindgen-cli).
echo "[tests] the field checks in the browser build (wasm32)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --features hydrate --test wasm_checks 2>&1 | tee target/wasm-tests.log
grep -qE '^test result: ok\. [1-9]' target/wasm-tests.log || { echo "[tests] the wasm32 checks did not run"; exit 1; }
grep -E '^attacks: ' target/rust-tests.log | tail -1 | sed 's/^/[tests] /'
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  g="$(grep -cE '^  Postgres .*attacks stopped' target/rust-tests.log || true)"
  echo "[tests] attack groups run on PostgreSQL: $g"
  if [ "$g" -eq 0 ]; then echo "[tests] the attacks did not run on PostgreSQL"; exit 1; fi
fi
