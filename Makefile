# Provider Portal. The two commands: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test bench release release-test setup setup-test lint unit-test e2e build-release clean-data

## make run: install what is missing, then serve http://127.0.0.1:3000 on SQLite with the demo accounts.
run: setup
	LOAD_DEMO_DATA=1 cargo leptos watch

## make test: fmt, clippy (both features), Rust tests on SQLite and PostgreSQL, Playwright in Chromium,
## and the release artefact unpacked and run as a deployment would.
test: setup-test lint unit-test build-release e2e release-test

## make release: dist/provider-portal-<version>-<target>.tar.gz (docs/deploy.md).
release: setup build-release
	scripts/release.sh

## make bench: the speed and memory figures, each with its baseline from the same run (docs/performance.md).
bench: setup-test build-release
	cargo bench --features ssr --bench load

setup:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

lint:
	cargo fmt --all -- --check
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --features hydrate -- -D warnings

unit-test:
	@scripts/rust-tests.sh

build-release:
	cargo leptos build --release

e2e:
	cd end2end && npx playwright test

# The artefact of `make release`, unpacked into an empty folder: check,
# migrate, serve, a wizard, a backup under load, restored (tests/release.rs).
release-test: build-release
	scripts/release.sh
	RELEASE_ARTEFACT="$$(ls -t dist/provider-portal-*.tar.gz | head -1)" cargo test --features ssr --test release -- --test-threads 1

clean-data:
	rm -rf data target/e2e dist
