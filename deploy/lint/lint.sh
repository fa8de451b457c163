#!/usr/bin/env bash
# Lints and validates the deployment files:
#   - shell scripts (shellcheck): the launchers, find-java.sh, .ci/run, this script;
#   - YAML (yamllint): the compose file, the chart's Chart.yaml and values.yaml, every rendered manifest;
#   - the Helm chart, rendered by helmrender/ (Go text/template + sprig + Helm's include/tpl/required/toYaml, the
#     engine helm itself uses; helm is not packaged for Debian) under several value sets, with checks on what each
#     set must and must not produce, then validated against the Kubernetes and Prometheus Operator schemas
#     (kubernetes-models, npm);
#   - the compose file (docker-compose config) and the systemd unit (systemd-analyze verify).
# Tools come from Debian packages (apt-get, when run as root) and the npm registry. A tool that cannot be had (for
# example offline) is reported and its check skipped; a check that runs and finds a problem fails the script.
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.." || exit 1
lint=deploy/lint
build=$lint/.build
chart=deploy/helm/subnet
mkdir -p "$build/rendered"

passed=0
failed=0
skipped=0

missing_packages=()
want() { # command debian-package...
  command -v "$1" >/dev/null 2>&1 || missing_packages+=("${@:2}")
}
want shellcheck shellcheck
want yamllint yamllint
want go golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
[ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || missing_packages+=(golang-github-masterminds-sprig-dev)
[ -d /usr/share/gocode/src/sigs.k8s.io/yaml ] || missing_packages+=(golang-k8s-sigs-yaml-dev)
want node nodejs
want npm npm
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing_packages+=(docker-compose)
if [ ${#missing_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "lint: installing ${missing_packages[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing_packages[@]}"; } >"$build/apt.log" 2>&1 || echo "lint: apt-get failed (see $build/apt.log)"
  else
    echo "lint: not root or no apt-get; missing tools: ${missing_packages[*]}"
  fi
fi

run_check() { # name command...
  local name=$1
  shift
  if "$@"; then
    echo "lint: $name: ok"
    passed=$((passed + 1))
  else
    echo "lint: $name: FAILED"
    failed=$((failed + 1))
  fi
}

skip_check() { # name reason
  echo "lint: $1: skipped ($2)"
  skipped=$((skipped + 1))
}

check_shell() {
  shellcheck -x subnet deploy/bin/find-java.sh deploy/src/dist/bin/subnet .ci/run "$lint/lint.sh" "$lint/check-dist.sh"
}

build_renderer() {
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/$build/gocache" GOFLAGS="" \
    go build -o "$build/helmrender" "$lint/helmrender/main.go"
}

render() { # name helmrender-args...
  local name=$1
  shift
  "$build/helmrender" --name subnet "$@" "$chart" >"$build/rendered/$name.yaml"
}

expect() { # file pattern: the rendered file must contain the pattern
  grep -q -e "$2" "$1" || { echo "lint: $1 lacks '$2'"; return 1; }
}

expect_not() { # file pattern
  ! grep -q -e "$2" "$1" || { echo "lint: $1 must not contain '$2'"; return 1; }
}

check_chart() {
  local r=$build/rendered
  render default &&
    render full -f "$lint/values-full.yaml" &&
    render external-model -f "$lint/values-external-model.yaml" &&
    "$build/helmrender" --notes "$chart" >"$build/notes.txt" || return 1
  # Defaults: the tiny model, GPU miners on GPU nodes, the ledger on a claim, no ServiceMonitor, no Secrets.
  expect "$r/default.yaml" 'kind: StatefulSet' &&
    expect "$r/default.yaml" 'volumeClaimTemplates:' &&
    expect "$r/default.yaml" 'nvidia.com/gpu: 1' &&
    expect "$r/default.yaml" 'nvidia.com/gpu.present: "true"' &&
    expect "$r/default.yaml" 'init-tiny' &&
    expect "$r/default.yaml" 'value: "9464"' &&
    expect "$r/default.yaml" 'value: "9465"' &&
    expect "$r/default.yaml" '- --web-port' &&
    expect_not "$r/default.yaml" 'kind: ServiceMonitor' &&
    expect_not "$r/default.yaml" 'kind: Secret' || return 1
  # Everything on: keys in Secrets mounted read-only, the ServiceMonitor, real inputs.
  expect "$r/full.yaml" 'kind: ServiceMonitor' &&
    [ "$(grep -c '^kind: Secret' "$r/full.yaml")" = 2 ] &&
    expect "$r/full.yaml" 'secretName: subnet-validator-key' &&
    expect "$r/full.yaml" 'secretName: subnet-miner-key' &&
    expect "$r/full.yaml" 'claimName: fineweb' &&
    expect "$r/full.yaml" '/data/fineweb/000_00000.parquet' || return 1
  # A checkpoint on a claim and CPU miners: no init container, no GPU request, no web page.
  expect "$r/external-model.yaml" 'claimName: mistral-7b' &&
    expect_not "$r/external-model.yaml" 'init-tiny' &&
    expect_not "$r/external-model.yaml" 'nvidia.com/gpu:' &&
    expect_not "$r/external-model.yaml" '- --web-port' || return 1
  # A missing required value fails rendering with a message that names it.
  if "$build/helmrender" --set model.tiny=false "$chart" >/dev/null 2>"$build/required.err"; then
    echo "lint: rendering without model.existingClaim must fail"
    return 1
  fi
  expect "$build/required.err" 'model.existingClaim'
}

check_yaml() {
  # Rendered manifests carry data lines (a corpus, base64 keys) as long as they come: no line limit there.
  yamllint -s -c "$lint/yamllint.yaml" deploy/compose/compose.yaml "$chart/Chart.yaml" "$chart/values.yaml" \
    "$lint/values-full.yaml" "$lint/values-external-model.yaml" &&
    yamllint -s -d '{extends: default, rules: {line-length: disable, document-start: disable,
      indentation: {indent-sequences: whatever}, truthy: {allowed-values: ["true", "false"], check-keys: false},
      comments: {min-spaces-from-content: 1}}}' "$build"/rendered/*.yaml
}

check_schemas() {
  npm ci --prefix "$lint" --no-audit --no-fund --loglevel=error >"$build/npm.log" 2>&1 ||
    { tail -n 20 "$build/npm.log"; return 1; }
  node "$lint/validate-manifests.mjs" "$build"/rendered/*.yaml
}

check_compose() {
  if command -v docker-compose >/dev/null 2>&1; then
    docker-compose -f deploy/compose/compose.yaml config -q
  else
    docker compose -f deploy/compose/compose.yaml config -q
  fi
}

check_systemd() {
  # verify wants the ExecStart binary on this machine: check a copy that points at /bin/true. It exits 0 even for
  # unknown keys, so any output is a failure.
  local unit=$build/subnet-miner.service out
  sed 's#^ExecStart=.*#ExecStart=/bin/true#' deploy/systemd/subnet-miner.service >"$unit"
  out="$(systemd-analyze verify "$unit" 2>&1)"
  [ -z "$out" ] || { echo "$out"; return 1; }
}

if command -v shellcheck >/dev/null 2>&1; then run_check shellcheck check_shell; else skip_check shellcheck "no shellcheck"; fi

if command -v go >/dev/null 2>&1 && [ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] && build_renderer; then
  run_check "helm chart render" check_chart
  rendered=1
else
  skip_check "helm chart render" "no Go toolchain with sprig and sigs.k8s.io/yaml sources"
  rendered=0
fi

if command -v yamllint >/dev/null 2>&1; then run_check yamllint check_yaml; else skip_check yamllint "no yamllint"; fi

if [ "$rendered" = 1 ] && command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  if npm ping --loglevel=silent >/dev/null 2>&1 || [ -d "$lint/node_modules/kubernetes-models" ]; then
    run_check "manifest schemas" check_schemas
  else
    skip_check "manifest schemas" "the npm registry is not reachable"
  fi
else
  skip_check "manifest schemas" "nothing rendered, or no node/npm"
fi

if command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1; then
  run_check "compose config" check_compose
else
  skip_check "compose config" "no docker-compose"
fi

if command -v systemd-analyze >/dev/null 2>&1; then
  run_check "systemd unit" check_systemd
else
  skip_check "systemd unit" "no systemd-analyze"
fi

echo "lint: checks ok $passed, failing $failed, skipped $skipped"
[ "$failed" = 0 ]
