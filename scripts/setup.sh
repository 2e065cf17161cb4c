#!/usr/bin/env bash
# Installs what `make run` / `make test` need, skipping what is there.
#   scripts/setup.sh run    the build tools
#   scripts/setup.sh test   the build tools, the npm tools and Chromium
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "installing cargo-leptos 0.3.10 (once: about 20 minutes on a two-core machine; a first make run serves its first page after about 30)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock.
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# npm tools: wasm-opt (binaryen) for release builds, Playwright, axe-core and maildev for tests.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] || [ ! -x end2end/node_modules/.bin/maildev ] || [ ! -d end2end/node_modules/@axe-core/playwright ] || [ ! -x end2end/node_modules/.bin/lighthouse ]; then
  say "installing npm tools in end2end/"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$what" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi
# nginx for the test of the guide's TLS proxy (tests/it/proxy.rs); Debian's
# smallest build has TLS, HTTP/2 and realip. Installed, not started.
if [ "$what" = "test" ] && [ ! -x /usr/sbin/nginx ]; then
  say "installing Debian's nginx-light"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null; fi
fi
say "ready"
