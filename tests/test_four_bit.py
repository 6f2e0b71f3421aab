"""The T4 profiles' 4-bit loading path (``load_in_4bit``: bitsandbytes NF4), run on the CPU with the bundled
model: load, generate, a LoRA adapter on top. bitsandbytes is installed in .venv-vllm only (the optional CPU
extra, requirements-vllm-cpu.txt), so these run in that lane: `.venv-vllm/bin/python -m pytest -m vllm`."""

from __future__ import annotations

import pytest

from tests.vllm_cpu import ADAPTER, base_folder, random_adapter

pytestmark = pytest.mark.vllm

PROMPT = "Name one use of a Python decorator."


@pytest.fixture(scope="module")
def four_bit(home):
    """The transformers engine of a T4-style profile (load_in_4bit) on the CPU, through get_engine."""
    from core.engines import get_engine
    from core.models import ModelProfile

    folder = base_folder()
    profile = ModelProfile(name="four-bit-cpu", engine="transformers", model=str(folder), load_in_4bit=True,
                           device="cpu")
    return get_engine(profile), random_adapter(folder, home / "adapters" / ADAPTER), []


def _ask(engine, adapter: str | None = None) -> str:
    from core.engines import ChatRequest, Message, Sampling

    out = engine.generate([ChatRequest((Message("user", PROMPT),), adapter=adapter,
                                       sampling=Sampling(max_new_tokens=24))])[0]
    assert out.error is None and out.completion_tokens > 0, out.error
    return out.text


def test_load_in_4bit_profile_loads_nf4_layers_on_the_cpu(four_bit):
    import bitsandbytes as bnb

    engine, _, _ = four_bit
    layers = [m for m in engine.hf_model.modules() if isinstance(m, bnb.nn.Linear4bit)]
    assert len(layers) == 30 * 7  # every attention and MLP projection of the 30 blocks
    assert {str(m.weight.quant_type) for m in layers} == {"nf4"} and engine.device == "cpu"
    # the float32 model takes 135M x 4 bytes; 4-bit projections leave the float32 embedding (113 MB) the bulk
    assert engine.hf_model.get_memory_footprint() < 0.4 * 135e6 * 4


def test_four_bit_model_generates_and_serves_a_lora_on_top(four_bit):
    engine, adapter, _ = four_bit
    base = _ask(engine)
    assert len(base.split()) >= 3  # words, not an empty or broken answer
    engine.load_adapter(ADAPTER, str(adapter))
    assert _ask(engine, ADAPTER) != base
    four_bit[2].append(base)


@pytest.mark.xfail(strict=True, reason="on the CPU, once a LoRA is loaded on the 4-bit model, a base request "
                   "(PEFT's disable_adapter) no longer gives the base model's answer: observed garbage text instead")
def test_base_requests_after_the_adapter_give_the_base_answer(four_bit):
    engine, _, seen = four_bit
    assert seen, "runs after the test above"
    assert _ask(engine) == seen[0]
