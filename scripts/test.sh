#!/usr/bin/env bash
# The one test command: formatting, vet, every module's tests against real
# in-process NATS and FerretDB, the race detector on the packages where it
# fits the time, and a short run of every fuzz target.
#   FUZZTIME=5s   how long each fuzz target runs (0 skips fuzzing)
#   RACE=0        skip the race pass
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
FUZZTIME="${FUZZTIME:-5s}"
RACE="${RACE:-1}"
step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l proto services | grep -v '\.pb\.go$' || true)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./proto/... ./services/...

step "go test"
go test -count=1 -timeout 12m ./proto/... ./services/...

if [ "$RACE" != "0" ]; then
  # FerretDB turns on a slow debug mode under -race, so the race pass covers
  # the packages whose tests run on NATS alone or on nothing.
  step "go test -race"
  race_pkgs=$(cd services && go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{join .Imports " "}} {{join .TestImports " "}} {{join .XTestImports " "}}{{end}}' ./internal/... |
    grep -v -e 'internal/embedded/ferret' -e 'internal/mongostore ' -e 'internal/mongostore$' | cut -d' ' -f1 || true)
  (cd services && go test -race -count=1 -timeout 10m $race_pkgs)
fi

# fuzz_one runs one fuzz target. Go 1.26's fuzzing coordinator can end a
# run that found nothing with a bare "context deadline exceeded" when the
# -fuzztime deadline races a busy worker (go.dev/issue/75804, fixed in Go
# 1.27). A real finding always writes its input under testdata/fuzz; only a
# failure that wrote none and says nothing but that is run once more.
fuzz_one() {
  local out
  if out=$(go test -run '^$' -fuzz "^$1\$" -fuzztime "$FUZZTIME" "$2" 2>&1); then
    echo "$out"
    return 0
  fi
  echo "$out"
  if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q -e 'Failing input written' -e 'panic:' -e '_test.go:[0-9]' <<<"$out"; then
    echo "-- $1: the fuzzing coordinator's deadline race (go.dev/issue/75804), nothing found; once more"
    go test -run '^$' -fuzz "^$1\$" -fuzztime "$FUZZTIME" "$2"
    return
  fi
  return 1
}

if [ "$FUZZTIME" != "0" ]; then
  step "fuzz ($FUZZTIME each)"
  cd services
  for pkg in $(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.Dir}}{{end}}' ./internal/...); do
    for fuzz in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$pkg"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
      echo "-- $fuzz in ${pkg#$PWD/}"
      fuzz_one "$fuzz" "./${pkg#$PWD/}"
    done
  done
fi
echo
echo "all tests passed"
