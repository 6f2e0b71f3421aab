#!/usr/bin/env bash
# Start the workbench (default profile: rules on a CPU machine; see assets/models.yaml): http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-1} GRADIO_ANALYTICS_ENABLED=False
exec .venv/bin/python app.py "$@"
