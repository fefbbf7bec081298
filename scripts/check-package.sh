#!/usr/bin/env bash
# Packaging check (issue 14; run by .ci/run): packs cpms as npm would publish it, installs the tarball globally into
# a scratch prefix (production dependencies only), and runs the installed `cpms`: `cpms serve` on an embedded
# database must start from compiled JavaScript and answer its health probe, and a CLI command must work beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"
tar -tzf "$work/$tarball" > "$work/contents.txt"
grep -q '^package/dist/src/cli/index.js$' "$work/contents.txt" || { echo "the tarball has no compiled dist/" >&2; exit 1; }
npm install -g --prefix "$work/prefix" --no-audit --no-fund "$work/$tarball" >/dev/null
cpms="$work/prefix/bin/cpms"
[ ! -d "$work/prefix/lib/node_modules/cpms/node_modules/typescript" ] || { echo "a dev dependency was installed" >&2; exit 1; }

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# exec: $! is the server itself, so that the TERM below and the trap reach it (not only the subshell).
(cd "$work" && PORT="$port" HOST=127.0.0.1 DATA_DIR="$work/data" LOG_FORMAT=json exec "$cpms" serve > "$work/serve.log" 2>&1) &
pid=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; echo "cpms serve exited" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/serve.log"; echo "no health answer" >&2; exit 1; }
grep -q '"runningFrom":"compiled"' "$work/serve.log" || { cat "$work/serve.log"; echo "not running compiled JavaScript" >&2; exit 1; }
# A CLI command on the same data while the server runs (it goes through the server's control socket).
(cd "$work" && DATA_DIR="$work/data" "$cpms" partner list --all >/dev/null)
curl -sf "http://127.0.0.1:$port/api/v1/docs" | grep -q swagger-ui || { echo "no API docs page" >&2; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
echo "package OK: installed with npm install -g, cpms serve answered on port $port from compiled JavaScript"
