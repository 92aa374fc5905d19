#!/usr/bin/env bash
# Refresh the JavaScript files the web page and its tests load, from the npm
# registry (npm pack: no node_modules, no build). The files are committed so
# that running the page or its tests needs no npm.
#   web/static/vendor/socket.io.min.js  socket.io-client (served to users)
#   tests/web/vendor/axe.min.js         axe-core (injected by the tests only)
# Usage: scripts/vendor_web.sh [SOCKET_IO_CLIENT_VERSION] [AXE_CORE_VERSION]
set -euo pipefail

SOCKET_IO_CLIENT_VERSION="${1:-4.8.4}"
AXE_CORE_VERSION="${2:-4.14.1}"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

unpack() {  # unpack NAME VERSION -> prints the unpacked package folder
  local name="$1" version="$2" tarball
  tarball="$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)"
  mkdir -p "$work/$name"
  tar -xzf "$work/$tarball" -C "$work/$name"
  echo "$work/$name/package"
}

sio="$(unpack socket.io-client "$SOCKET_IO_CLIENT_VERSION")"
cp "$sio/dist/socket.io.min.js" "$root/web/static/vendor/socket.io.min.js"
cp "$sio/LICENSE" "$root/web/static/vendor/socket.io-client.LICENSE"

axe="$(unpack axe-core "$AXE_CORE_VERSION")"
cp "$axe/axe.min.js" "$root/tests/web/vendor/axe.min.js"
cp "$axe/LICENSE" "$root/tests/web/vendor/axe-core.LICENSE"

cat > "$root/web/static/vendor/README.md" <<README
# Vendored JavaScript

| file | package | version | licence |
|---|---|---|---|
| \`socket.io.min.js\` | \`socket.io-client\` (npm), \`dist/socket.io.min.js\` | $SOCKET_IO_CLIENT_VERSION | MIT, \`socket.io-client.LICENSE\` |

Refreshed by \`scripts/vendor_web.sh [socket.io-client version] [axe-core version]\`
(\`npm pack\`, no \`node_modules\`). The client speaks Socket.IO protocol 5 /
Engine.IO 4, which python-socketio 5 (Rasa 3.6's socketio channel) serves.

The tests also vendor \`axe-core\` $AXE_CORE_VERSION (MPL-2.0) in
\`tests/web/vendor/\`; it is never served to users.
README

echo "socket.io-client $SOCKET_IO_CLIENT_VERSION, axe-core $AXE_CORE_VERSION vendored"
