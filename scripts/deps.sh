#!/usr/bin/env bash
# deps.sh — owns the Debian packages es_fdw needs to build, test and demo: installs the missing ones
# (as root, non-interactively) or, as a developer, names them and fails. Idempotent and quick when
# everything is there. Called by .ci/run, scripts/test.sh and scripts/demo.sh.
set -euo pipefail

PACKAGES=(postgresql-15 postgresql-server-dev-15 maven openjdk-17-jdk-headless python3 curl unzip
    make gcc ca-certificates openssl)

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
    done
}

main() {
    local missing=()
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]} == 0)) && return 0
    if [[ $(id -u) -ne 0 ]]; then
        echo "deps.sh: error: missing Debian packages (install them as root): ${missing[*]}" >&2
        exit 1
    fi
    echo "deps.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

main "$@"
