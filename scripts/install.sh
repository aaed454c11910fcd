#!/usr/bin/env bash
# install.sh — owns building and installing es_fdw for the other scripts: the Debian packages it needs
# (scripts/deps.sh), then `make` and `make install` (through sudo when not root: the install writes into
# PostgreSQL's directories). Used by test.sh, demo.sh and bench.sh.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

as_installer() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo env "PATH=$PATH" ${PG_CONFIG:+"PG_CONFIG=$PG_CONFIG"} "$@"
    else
        echo "install.sh: error: make install must write into PostgreSQL's directories: run as root or install sudo" >&2
        exit 1
    fi
}

"$SCRIPT_DIR/deps.sh"
make -C "$REPO_ROOT"
as_installer make -C "$REPO_ROOT" install
