#!/usr/bin/env bash
# Regenerates proto/pakn/v1/*.pb.go. Needs protoc (Debian: protobuf-compiler);
# installs protoc-gen-go at the version go.mod names. The output is committed,
# so building PAKN needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "protoc missing: apt-get install -y protobuf-compiler" >&2; exit 1; }
version=$(cd proto && go list -m -f '{{.Version}}' google.golang.org/protobuf)
GOBIN="$PWD/.bin" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$version"
PATH="$PWD/.bin:$PATH" protoc -I proto --go_out=proto --go_opt=paths=source_relative proto/pakn/v1/*.proto
