# Provider Portal. The two commands: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test bench setup setup-test lint unit-test e2e build-release clean-data

## make run: install what is missing, then serve http://127.0.0.1:3000 on SQLite with the demo accounts.
run: setup
	LOAD_DEMO_DATA=1 cargo leptos watch

## make test: fmt, clippy (both features), Rust tests on SQLite and PostgreSQL, Playwright in Chromium.
test: setup-test lint unit-test build-release e2e

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

clean-data:
	rm -rf data target/e2e
