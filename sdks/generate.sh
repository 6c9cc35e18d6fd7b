#!/usr/bin/env bash
# Regenerates the Python, Go and Java stubs of the public API (proto/hyrelog/api/v1 and the
# common types it uses) with `buf generate` and each SDK's buf.gen.yaml: `pnpm generate:sdks`.
# With a directory argument, writes the same tree under it instead (the SDK test's drift check).
# Needs the Debian toolchains: bash scripts/sdk-toolchains.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.}"
buf=packages/proto/node_modules/.bin/buf
[ -x "$buf" ] || { echo "generate-sdks: $buf is missing; run pnpm install" >&2; exit 1; }
for tool in protoc grpc_python_plugin protoc-gen-go protoc-gen-go-grpc grpc_java_plugin; do
  command -v "$tool" >/dev/null || { echo "generate-sdks: $tool is missing; run bash scripts/sdk-toolchains.sh" >&2; exit 1; }
done
# Generated code only: the wrappers and examples next to it stay.
rm -rf "$out"/sdks/python/hyrelog/{api,common} "$out"/sdks/go/gen "$out"/sdks/java/src/main/java/com/hyrelog/{api,common}
for lang in python go java; do
  "$buf" generate --template "sdks/$lang/buf.gen.yaml" -o "$out"
done
