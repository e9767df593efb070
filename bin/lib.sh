# Shared by bin/serve and bin/test: find Python >= 3.12, get uv, install the locked environment.
# Sourced, not run. Sets ROOT, PYTHON, UV and VENV.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m[dean06]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[dean06] %s\033[0m\n' "$*" >&2; exit 1; }

# Prints the real interpreter path if "$@" runs a Python >= 3.12 (pyenv shims that cannot run fail here).
_python_ok() {
  "$@" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null
}

find_python() {
  local candidate found version
  for candidate in python3 python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 && found=$(_python_ok "$candidate"); then
      PYTHON="$found"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.|$)' | sort -rV); do
      if found=$(PYENV_VERSION="$version" _python_ok python3); then
        PYTHON="$found"; return 0
      fi
    done
  fi
  die "Cần Python 3.12 trở lên / Python 3.12 or newer is required (Django 6). Install it, e.g. 'pyenv install 3.12'."
}

find_uv() {
  if command -v uv >/dev/null 2>&1; then UV="$(command -v uv)"; return 0; fi
  if [ ! -x "$ROOT/var/uv/bin/uv" ]; then
    say "Cài uv / installing uv into var/uv"
    "$PYTHON" -m venv "$ROOT/var/uv" || die "Không tạo được môi trường ảo / cannot create a venv for uv"
    "$ROOT/var/uv/bin/pip" install --quiet uv || die "Không cài được uv / cannot install uv from PyPI"
  fi
  UV="$ROOT/var/uv/bin/uv"
}

ensure_env() {
  mkdir -p "$ROOT/var"
  find_python
  find_uv
  say "Python: $PYTHON"
  "$UV" sync --frozen --python "$PYTHON" --project "$ROOT" --quiet || die "uv sync failed"
}
