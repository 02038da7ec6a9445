#!/usr/bin/env bash
# The install path of a user, end to end: `npm pack` (prepack builds dist/ and the oclif manifest),
# `npm install -g --prefix` of the tarball into a temporary prefix (npm resolves the dependencies
# afresh, without our lockfile, and compiles better-sqlite3), then:
#   - no installed production dependency excludes our lowest Node (scripts/check-engines.ts);
#   - the installed `vigie` answers --version, --help, scan --help and scans a loopback TLS server,
#     saving the run (test/package/package.test.ts with VIGIE_INSTALLED_BIN).
# Prints the tarball's size and file count and the install time. Leaves nothing behind but dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm pack --pack-destination "$work" --loglevel warn >"$work/pack.log" 2>&1 || {
  cat "$work/pack.log" >&2
  exit 1
}
tarball=$(echo "$work"/vigie-*.tgz)
echo "paquet : $(basename "$tarball"), $(stat -c %s "$tarball") octets, $(tar -tzf "$tarball" | wc -l) fichiers"

start=$(date +%s)
# better-sqlite3 compiles from source when no prebuilt binary can be fetched; its install script is
# the only one the package needs (--allow-scripts names it for npm versions that ask).
npm install -g --prefix "$work/prefix" --prefer-offline --no-audit --no-fund \
  --allow-scripts=better-sqlite3 "$tarball" >"$work/install.log" 2>&1 || {
  cat "$work/install.log" >&2
  exit 1
}
echo "installation : $(($(date +%s) - start)) s"
if grep -q EBADENGINE "$work/install.log"; then
  cat "$work/install.log" >&2
  echo "npm signale une dépendance incompatible avec ce Node (EBADENGINE)" >&2
  exit 1
fi

node --import tsx scripts/check-engines.ts "$work/prefix/lib/node_modules/vigie"
VIGIE_INSTALLED_BIN="$work/prefix/bin/vigie" npx vitest run test/package/package.test.ts
