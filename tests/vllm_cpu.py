"""The bundled model on vLLM's CPU build (tests marked ``vllm``, run in .venv-vllm): its plain weights folder,
a small random LoRA adapter, CPU profiles, and a real OpenAI-compatible vLLM server on loopback."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.models import ModelProfile

ADAPTER = "vllm-lora"  # the random adapter's folder name, which is the name requests use
SERVED = "smollm2"  # the name the server serves the base model under


def base_folder() -> Path:
    """The bundled GGUF model as a plain transformers folder (exported once, then cached; core.engines.weights)."""
    from core.models import get_profile
    from training.base_model import base_weights

    return Path(base_weights(get_profile("offline")))


def random_adapter(folder: Path, path: Path) -> Path:
    """A LoRA adapter (r 8 on q_proj/v_proj) with fixed random weights, strong enough to change greedy output."""
    import torch
    from transformers import AutoModelForCausalLM

    from tests.lora import save_random_lora

    if (path / "adapter_config.json").is_file():
        return path
    torch.manual_seed(0)
    return save_random_lora(AutoModelForCausalLM.from_pretrained(str(folder)), path, r=8, alpha=16, b_scale=0.2)


def cpu_profile(name: str, folder: Path, adapter: Path | None = None, dtype: str = "bfloat16") -> ModelProfile:
    """A vLLM profile on the CPU: bfloat16 (float32 where a test compares tokens across batches: bfloat16 sums
    differ with the batch's make-up), eager (no compiled graphs: a minute to start, not several), a 1 GB KV
    cache, room for the adapter."""
    return ModelProfile(name=name, engine="vllm", model=str(folder), adapter=str(adapter) if adapter else None,
                        device="cpu", dtype=dtype, enforce_eager=True, kv_cache_gb=1.0, max_model_len=4096,
                        max_loras=2, max_lora_rank=8, description="the bundled model on vLLM's CPU build")


def _listening_ports(pid: int) -> set[int]:
    """TCP ports process ``pid`` listens on (its own sockets, read from /proc)."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:  # 0A: LISTEN
                    ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


@dataclass
class VLLMServer:
    process: subprocess.Popen
    base_url: str  # the OpenAI-compatible address, ending in /v1
    start_seconds: float
    log: Path


@contextlib.contextmanager
def vllm_server(folder: Path, adapter: Path, log: Path, deadline_s: float = 600.0) -> Iterator[VLLMServer]:
    """``python -m vllm.entrypoints.openai.api_server`` on 127.0.0.1, port 0: the server binds a free port itself
    (no pick-then-bind race) and the port is read from its own listening socket; ready when /health answers 200."""
    import httpx

    cmd = [sys.executable, "-m", "vllm.entrypoints.openai.api_server", "--model", str(folder), "--served-model-name",
           SERVED, "--host", "127.0.0.1", "--port", "0", "--dtype", "bfloat16", "--enforce-eager",
           "--max-model-len", "4096", "--kv-cache-memory-bytes", str(1024**3), "--enable-lora", "--max-loras", "2",
           "--max-lora-rank", "8", "--lora-modules", f"{ADAPTER}={adapter}", "--seed", "3407"]
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        base_url = None
        with httpx.Client(timeout=5.0) as client:
            while base_url is None:
                if process.poll() is not None:
                    raise RuntimeError(f"the vLLM server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
                if time.perf_counter() - started > deadline_s:
                    raise TimeoutError(f"the vLLM server did not answer /health in {deadline_s:.0f} s:\n"
                                       f"{log.read_text()[-3000:]}")
                for port in _listening_ports(process.pid):
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                            base_url = f"http://127.0.0.1:{port}/v1"
                if base_url is None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        process.wait(timeout=1.0)  # a pause that ends at once if the server dies
        yield VLLMServer(process, base_url, time.perf_counter() - started, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
