#!/usr/bin/env bash
# Checks the binary distribution that `mvnw -Pdist package` writes: the archive unpacks to subnet-<version>/ with bin/subnet,
# bin/find-java.sh and lib/*.jar, and the unpacked launcher runs commands from any directory (keys, a tiny model).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
archives=(deploy/target/subnet-*.tar.gz)
[ -f "${archives[0]}" ] || { echo "dist: no deploy/target/subnet-*.tar.gz; run ./mvnw -Pdist -DskipTests package first" >&2; exit 1; }
work="$(mktemp -d -t subnet-dist.XXXXXX)"
trap 'rm -rf "$work"' EXIT
tar -xzf "${archives[0]}" -C "$work"
home="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'subnet-*')"
for f in bin/subnet bin/find-java.sh; do
  [ -x "$home/$f" ] || { echo "dist: $f is missing or not executable" >&2; exit 1; }
done
for jar in subnet-deploy subnet-validator subnet-miner subnet-node subnet-proto rocksdbjni grpc-netty; do
  compgen -G "$home/lib/$jar*.jar" >/dev/null || { echo "dist: lib/ lacks $jar" >&2; exit 1; }
done
cd "$work"
key="$(SUBNET_HOME="$work/home" "$home/bin/subnet" keys new)"
[[ "$key" =~ ^[0-9a-f]{64}$ ]] || { echo "dist: 'keys new' printed '$key', not a public key" >&2; exit 1; }
SUBNET_HOME="$work/home" "$home/bin/subnet" model init-tiny --out "$work/model" >/dev/null
[ -f "$work/model/config.json" ] || { echo "dist: 'model init-tiny' wrote no config.json" >&2; exit 1; }
echo "dist: $(basename "${archives[0]}") unpacks and runs (key $key)"
