#!/usr/bin/env bash
# Packs the release build (`cargo leptos build --release`, run first by
# `make release`) into one artefact:
#   dist/provider-portal-<version>-<target>.tar.gz
# holding the server binary with its hash.txt, the site, an example
# environment file, the systemd unit and the docs (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
target="$(rustc -vV | sed -n 's/^host: //p')"
name="provider-portal-${version}-${target}"
bin=target/release/provider-portal
for f in "$bin" target/release/hash.txt target/site/pkg; do
  [ -e "$f" ] || { echo "[release] $f is missing: run cargo leptos build --release first" >&2; exit 1; }
done
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/docs"
cp "$bin" target/release/hash.txt "$root/"
cp -r target/site "$root/site"
cp deploy/portal.env.example deploy/provider-portal.service "$root/"
cp README.md SECURITY.md "$root/docs/"
cp docs/*.md "$root/docs/"
# The README's pictures, so that the docs read the same offline.
grep -o 'docs/screenshots/[^)" ]*\.png' README.md | sort -u | while read -r shot; do
  [ -f "$shot" ] || { echo "[release] $shot is missing (taken by make e2e)" >&2; continue; }
  mkdir -p "$root/docs/$(dirname "$shot")"
  cp "$shot" "$root/docs/$shot"
done
strip "$root/provider-portal" 2>/dev/null || true
mkdir -p dist
out="dist/${name}.tar.gz"
# Owned by root in the archive whoever builds it, and in a fixed order.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -czf "$out.part" "$name"
mv "$out.part" "$out"
echo "[release] $out ($(du -h "$out" | cut -f1)): $("$root/provider-portal" --version)"
