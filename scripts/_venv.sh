# Sourced by scripts/run and scripts/test: make .venv and install a requirements
# file into it, skipping pip when nothing changed since the last install.
set -euo pipefail

ensure_venv() {
    local requirements=$1
    local python=${PYTHON:-python3}
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))." >&2
        exit 1
    fi
    if [[ ! -x .venv/bin/python ]]; then
        if ! "$python" -m venv .venv; then
            echo "Could not create a virtualenv. On Debian/Ubuntu: sudo apt-get install -y python3-venv" >&2
            exit 1
        fi
    fi
    mkdir -p var
    local stamp=var/.installed-$(basename "$requirements")
    local digest
    digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$digest" ]]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -r "$requirements"
        echo "$digest" >"$stamp"
    fi
}
