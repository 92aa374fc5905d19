#!/usr/bin/env bash
# Installs the Debian packages the production profile runs on, when missing:
# PostgreSQL (conversations, knowledge base), Redis (lock store, rate limits), nginx (front),
# supervisor (restarts whatever dies).
# Used by `make prod` and .ci/run; a no-op once they are there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=()
command -v pg_ctlcluster >/dev/null || packages+=(postgresql)
command -v redis-server >/dev/null || packages+=(redis-server)
command -v nginx >/dev/null || packages+=(nginx)
command -v supervisord >/dev/null || packages+=(supervisor)
# `make benchmark-prod` pins the Rasa replicas to cores.
command -v taskset >/dev/null || packages+=(util-linux)
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Paquets manquants : ${packages[*]}. Installez-les (sudo apt-get install ${packages[*]}) puis relancez." >&2
  exit 1
fi
echo "Installation des paquets Debian : ${packages[*]}…"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# Debian starts the packaged services; the profile runs its own instances (its own
# supervisord too, beside the system one, which it leaves alone).
for service in redis-server nginx; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
    systemctl stop "$service" || true
  fi
done
