#!/usr/bin/env bash
# Installs the Debian packages the Python, Go and Java SDKs are generated, built and tested with
# (tests/sdks/sdks.test.ts, pnpm generate:sdks), and only those that are missing: on a machine that
# has them all it runs no apt-get at all. Needs root (CI runs as root) or sudo. Debian 12 packages:
#   protobuf-compiler (protoc 3.21), protobuf-compiler-grpc (grpc_python_plugin)
#   python3-grpcio, python3-protobuf                  Python stubs and runtime (/usr/bin/python3)
#   python3-pip, python3-setuptools, python3-wheel, python3-venv
#                                                     the SDK's pip install, offline (pyproject.toml)
#   golang-go (1.19), golang-google-grpc-dev, golang-google-protobuf-dev,
#   golang-github-golang-protobuf-1-5-dev, protoc-gen-go, protoc-gen-go-grpc
#                                                     Go stubs, a GOPATH build from /usr/share/gocode
#   default-jdk-headless, libgrpc-java, libprotobuf-java, libnetty-java, libperfmark-java,
#   libgeronimo-annotation-1.3-spec-java, protobuf-compiler-grpc-java-plugin
#                                                     Java stubs, javac against /usr/share/java
# (golang-goprotobuf-dev is not used: it pulls protoc-gen-go 1.3, which conflicts with protoc-gen-go.)
set -euo pipefail

PACKAGES=(
  protobuf-compiler protobuf-compiler-grpc
  python3-grpcio python3-protobuf python3-pip python3-setuptools python3-wheel python3-venv
  golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-golang-protobuf-1-5-dev
  protoc-gen-go protoc-gen-go-grpc
  default-jdk-headless libgrpc-java libprotobuf-java libnetty-java libperfmark-java
  libgeronimo-annotation-1.3-spec-java protobuf-compiler-grpc-java-plugin
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "sdk-toolchains: no apt-get here; install these yourself: ${missing[*]}" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "sdk-toolchains: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet (or stale ones naming removed versions).
$SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
}
