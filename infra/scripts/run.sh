#!/usr/bin/env bash
# Entry point behind `npm start` and `npm test`: installs what the project needs (pnpm, packages),
# builds it, then starts the platform or runs the whole test suite. Servers (PostgreSQL, Temporal)
# are installed and started by the TypeScript dev stack in infra/devstack.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "mctb needs Node.js >= 20.3 (found $(node --version))" >&2
  exit 1
fi

cache=${MCTB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mctb}
pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
pnpm_home="$cache/pnpm-$pnpm_version"
if [ ! -x "$pnpm_home/node_modules/.bin/pnpm" ]; then
  echo "› installing pnpm $pnpm_version into $pnpm_home"
  npm install --prefix "$pnpm_home" --no-fund --no-audit --loglevel=error "pnpm@$pnpm_version" >/dev/null
fi
export PATH="$pnpm_home/node_modules/.bin:$PATH"
export MCTB_CACHE_DIR="$cache"

echo "› installing packages"
pnpm install --frozen-lockfile --reporter=silent
echo "› building"
pnpm run --silent build

command=${1:-}
shift || true
case "$command" in
  start) exec node infra/launcher/dist/start.js "$@" ;;
  test)
    echo "› linting"
    pnpm run --silent lint
    exec pnpm exec vitest run "$@"
    ;;
  bench)
    exec node infra/bench/dist/main.js "$@"
    ;;
  fuzz)
    # The fuzzing properties alone, at 10,000 cases each (npm test runs them at a few hundred).
    export MCTB_FUZZ_RUNS=${MCTB_FUZZ_RUNS:-10000}
    exec pnpm exec vitest run fuzz "$@"
    ;;
  *) echo "usage: infra/scripts/run.sh start|test|fuzz|bench" >&2; exit 2 ;;
esac
