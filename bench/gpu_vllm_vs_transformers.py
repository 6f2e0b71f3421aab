"""vLLM vs transformers on one CUDA GPU: throughput on the same prompts and adapter, and peak memory.

    python bench/gpu_vllm_vs_transformers.py [--model base] [--adapter PATH] [--prompts 50] [--tokens 256]

Runs only where CUDA is visible (elsewhere it records why it skipped and exits 0). Both engines get
the 50 grading prompts constrained to GradeAssessment; with --adapter (or a profile that has one)
half the requests go through the LoRA adapter and half through the base model, in one batch.
transformers: batch 8, peak memory from torch.cuda.max_memory_allocated. vLLM: one LLM with LoRA,
continuous batching; memory is what the process holds on the GPU after generation (vLLM reserves
gpu_memory_utilization of the card for its KV cache up front). Writes bench/results/gpu_vllm_vs_transformers.json.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util

from engine_common import timed, write_result
from valid_output_prompts import PROMPTS, messages


def _requests(n: int, tokens: int, adapter: str | None) -> list:
    from core.engines import ChatRequest, Sampling
    from core.schemas import GradeAssessment

    return [ChatRequest(messages(item), schema=GradeAssessment, sampling=Sampling(max_new_tokens=tokens),
                        adapter=adapter if (adapter and i % 2) else None)
            for i, item in enumerate(PROMPTS[:n])]


def _measure(engine, requests) -> dict:
    from core.engines import generate_structured

    outcomes, seconds = timed(generate_structured, engine, requests)
    tokens = sum(o.completion_tokens for o in outcomes)
    return {"requests": len(requests), "valid": sum(o.ok for o in outcomes), "completion_tokens": tokens,
            "seconds": round(seconds, 2), "tokens_per_s": round(tokens / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="base", help="model profile (its model and quantization are used)")
    parser.add_argument("--adapter", default=None, help="LoRA adapter folder (default: the profile's adapter)")
    parser.add_argument("--prompts", type=int, default=50)
    parser.add_argument("--tokens", type=int, default=256)
    args = parser.parse_args()

    import torch

    if not torch.cuda.is_available() or importlib.util.find_spec("vllm") is None:
        why = "no CUDA GPU visible" if not torch.cuda.is_available() else "vllm not installed (requirements-gpu.txt)"
        path = write_result("gpu_vllm_vs_transformers", {"skipped": why})
        print(f"skipped: {why} -> {path}")
        return

    from dataclasses import replace

    from core.engines.transformers_engine import TransformersEngine, TransformersSettings
    from core.engines.vllm_engine import VLLMEngine, VLLMSettings
    from core.models import get_profile

    profile = get_profile(args.model)
    adapter_path = args.adapter or profile.adapter_path()
    adapter = "bench-adapter" if adapter_path else None
    requests = _requests(args.prompts, args.tokens, adapter)
    total = torch.cuda.get_device_properties(0).total_memory
    result: dict = {"model_profile": profile.name, "model": profile.model_path(), "adapter": adapter_path,
                    "gpu": torch.cuda.get_device_name(0), "gpu_memory_gb": round(total / 1024**3, 1),
                    "prompts": args.prompts, "new_tokens": args.tokens}

    torch.cuda.reset_peak_memory_stats()
    hf = TransformersEngine(TransformersSettings(model=profile.model_path(), gguf_file=profile.gguf_file, device="cuda",
                                                 load_in_4bit=profile.load_in_4bit, batch_size=8))
    if adapter:
        hf.load_adapter(adapter, adapter_path)
    result["transformers"] = _measure(hf, requests) | {
        "peak_memory_gb": round(torch.cuda.max_memory_allocated() / 1024**3, 2)}
    print("transformers", result["transformers"], flush=True)
    del hf
    gc.collect()
    torch.cuda.empty_cache()

    cfg = VLLMSettings.from_profile(profile)
    if adapter:
        cfg = replace(cfg, adapters=((adapter, adapter_path),))
    free_before, _ = torch.cuda.mem_get_info()
    llm = VLLMEngine(cfg)
    result["vllm"] = _measure(llm, requests)
    free_after, _ = torch.cuda.mem_get_info()
    result["vllm"]["gpu_memory_held_gb"] = round((free_before - free_after) / 1024**3, 2)
    result["vllm"]["settings"] = {"dtype": cfg.dtype, "quantization": cfg.quantization,
                                  "gpu_memory_utilization": cfg.gpu_memory_utilization, "max_model_len": cfg.max_model_len}
    print("vllm", result["vllm"], flush=True)
    result["vllm_speedup"] = round(result["vllm"]["tokens_per_s"] / result["transformers"]["tokens_per_s"], 2)
    path = write_result("gpu_vllm_vs_transformers", result)
    print(f"vLLM {result['vllm_speedup']}x transformers -> {path}")


if __name__ == "__main__":
    main()
