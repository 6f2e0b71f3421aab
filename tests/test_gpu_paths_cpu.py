"""The parts of the CUDA paths that can be checked without a GPU: the dtype a card gets, the batch size a
profile sets, one memory estimate for `hirelab models` and the comparison plan, and the training loss on
CPU whatever trl is installed. (On a GPU: `python bench/gpu_check.py`.)"""

import json
from dataclasses import replace

import pytest

from core.engines.precision import cuda_dtype, normalise_dtype
from core.models import ModelProfile, get_profile

QWEN = "Qwen/Qwen2.5-Coder-7B-Instruct"


@pytest.mark.parametrize("requested,bf16,model,expected", [
    ("auto", True, QWEN, "bfloat16"),          # an A100/H100/H200
    ("auto", False, QWEN, "float16"),          # a T4
    ("float16", True, QWEN, "bfloat16"),       # Qwen2.5 overflows float16: never fp16 where bf16 exists
    ("float16", False, QWEN, "float16"),       # ... but a T4 keeps fp16
    ("float16", True, "HuggingFaceTB/SmolLM2-1.7B-Instruct", "float16"),  # other families as asked
    ("bfloat16", True, "any", "bfloat16"),
    ("bfloat16", False, "any", "float16"),     # a T4 has no bf16
    ("fp32", True, QWEN, "float32"),
])
def test_the_cuda_dtype_follows_the_profile_and_the_card(requested, bf16, model, expected):
    assert cuda_dtype(requested, bf16, model) == expected


def test_a_local_qwen_folder_is_recognised_by_its_config_and_a_bad_dtype_is_named(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "qwen2"}))
    assert cuda_dtype("float16", True, str(tmp_path)) == "bfloat16"
    with pytest.raises(ValueError, match="dtype 'f16' is not known; use one of auto, bfloat16, float16, float32"):
        normalise_dtype("f16")
    from core.engines import check_profile

    status = check_profile(ModelProfile(name="x", engine="transformers", model=str(tmp_path), device="cpu", dtype="f16"))
    assert not status.ok and "dtype 'f16' is not known" in status.reason


def test_the_profile_sets_the_engine_batch_size_and_dtype(monkeypatch):
    from core.engines import transformers_settings

    settings = transformers_settings(replace(get_profile("offline"), batch_size=32, dtype="bfloat16"))
    assert settings.batch_size == 32 and settings.dtype == "bfloat16"
    assert transformers_settings(get_profile("offline")).batch_size == 8
    monkeypatch.setenv("HIRELAB_PROFILE_OFFLINE_BATCH_SIZE", "16")
    assert transformers_settings(get_profile("offline")).batch_size == 16
    monkeypatch.setenv("HIRELAB_PROFILE_OFFLINE_BATCH_SIZE", "0")
    from core.engines import check_profile

    status = check_profile(get_profile("offline"))
    assert not status.ok and "batch_size = 0: use a whole number of 1 or more" in status.reason


def test_hirelab_models_and_the_comparison_plan_use_one_memory_estimate(tmp_path):
    from core.compare.plan import memory_gb, params_billions
    from core.engines import check_profile
    from core.engines.footprint import model_memory_gb

    folder = tmp_path / "huge-model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"hidden_size": 8192, "num_hidden_layers": 80,
                                                    "vocab_size": 128256, "intermediate_size": 28672}))
    huge = ModelProfile(name="huge", engine="transformers", model=str(folder), device="cpu")
    planned = memory_gb(huge, 16.0)
    assert planned == model_memory_gb(huge, on_gpu=False) and planned > 300  # ~70B in float32
    assert f"needs about {planned:.0f} GB of RAM" in check_profile(huge).reason
    base = get_profile("base")  # 7B, 4-bit, on a GPU: 7 × 0.6 × 1.2 + 1.0
    assert params_billions(base) == 7 and model_memory_gb(base, on_gpu=True) == pytest.approx(6.0, abs=0.1)


def test_the_torch_loss_matches_trl_own_on_cpu():
    """The CPU stand-in for trl 1.15's GPU-only fused-head kernel gives trl 1.16's values and gradients."""
    import torch
    from trl.kernels import ChunkedLogProbFunction

    from training.trl_compat import TorchChunkedLogProb, trl_scores_on_cpu, use_torch_loss_on_cpu

    outputs = ("log_probs", "entropy", "is_top1")
    runs = []
    for fn in (ChunkedLogProbFunction, TorchChunkedLogProb):
        hidden = torch.randn(6, 16, generator=torch.Generator().manual_seed(2)).requires_grad_()
        weight = torch.randn(50, 16, generator=torch.Generator().manual_seed(1)).requires_grad_()
        targets = torch.tensor([0, 3, 7, 49, 12, 5])
        log_probs, entropy, _, _, top1 = fn.apply(hidden, weight, None, targets, 0.7, 32, None, 1.0, outputs)
        (log_probs.sum() + 0.1 * entropy.sum()).backward()
        runs.append((log_probs.detach(), entropy.detach(), top1, hidden.grad, weight.grad))
    for ours, theirs in zip(runs[1], runs[0]):
        assert torch.allclose(ours.float(), theirs.float(), atol=1e-4)
    # the installed trl (1.16) scores on CPU itself: nothing is replaced, and never on CUDA
    assert trl_scores_on_cpu() and not use_torch_loss_on_cpu("cpu") and not use_torch_loss_on_cpu("cuda")


@pytest.mark.gpu
def test_on_cuda_the_engine_loads_in_the_chosen_dtype_and_batches_as_the_profile_says(offline_folder):
    import torch

    from core.engines.base import ChatRequest, Message, Sampling
    from core.engines.precision import bf16_supported
    from core.engines.transformers_engine import TransformersEngine

    engine = TransformersEngine(replace(transformers_settings_for(offline_folder), batch_size=4))
    expected = torch.bfloat16 if bf16_supported() else torch.float16
    assert next(engine.hf_model.parameters()).dtype == expected
    asks = [ChatRequest((Message("user", f"Say {i}."),), sampling=Sampling(max_new_tokens=4)) for i in range(6)]
    assert len(engine.generate(asks)) == 6


def transformers_settings_for(folder):
    from core.engines.transformers_engine import TransformersSettings

    return TransformersSettings(model=str(folder), device="cuda", dtype="auto")
