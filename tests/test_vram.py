"""The VRAM planner against known configurations (the reference study ran 7B QLoRA on one 16 GB T4)."""

import pytest

from training.presets import preset
from training.vram import KNOWN, PlanError, PlanInput, arch_for, plan, plan_for_config

QWEN7 = KNOWN["qwen2.5-7b"]
QWEN14 = KNOWN["qwen2.5-14b"]


def test_7b_4bit_lora_r64_seq2048_batch1_fits_a_t4():
    p = plan(PlanInput(QWEN7, quantization="4bit", lora_r=64, seq_len=2048, batch=1, gpu_gb=16))
    assert p.verdict == "fits"
    assert 7 < p.total_gb < 14  # 4-bit weights alone are ~5 GB; the rest must not be forgotten
    assert 4.5 < p.parts_gb["weights"] < 6.5


def test_14b_in_16_bit_does_not_fit_a_t4_but_fits_an_80gb_card():
    p = plan(PlanInput(QWEN14, quantization="none", seq_len=2048, gpu_gb=16))
    assert p.verdict == "wont_fit" and p.parts_gb["weights"] > 27
    assert "over the 16 GB" in p.message and "4-bit" in p.message
    assert plan(PlanInput(QWEN14, quantization="none", seq_len=2048, gpu_gb=80)).verdict == "fits"


def test_7b_in_16_bit_does_not_fit_a_t4():
    assert plan(PlanInput(QWEN7, quantization="none", gpu_gb=16)).verdict == "wont_fit"


@pytest.mark.parametrize("field,low,high", [("seq_len", 1024, 4096), ("batch", 1, 4), ("lora_r", 16, 128)])
def test_memory_grows_with_sequence_batch_and_rank(field, low, high):
    a = plan(PlanInput(QWEN7, **{field: low})).total_gb
    b = plan(PlanInput(QWEN7, **{field: high})).total_gb
    assert b > a


def test_gradient_checkpointing_saves_memory():
    on = plan(PlanInput(QWEN7, seq_len=4096, gradient_checkpointing=True)).parts_gb["activations"]
    off = plan(PlanInput(QWEN7, seq_len=4096, gradient_checkpointing=False)).parts_gb["activations"]
    assert off > 5 * on


def test_grpo_counts_the_vllm_share_and_warns_when_tight():
    p = plan(PlanInput(QWEN7, kind="grpo", seq_len=1536, fast_inference=True, vllm_share=0.5, gpu_gb=16))
    assert p.parts_gb["vllm_reserved"] > 2 and p.verdict == "fits"
    greedy = plan(PlanInput(QWEN7, kind="grpo", seq_len=1536, fast_inference=True, vllm_share=0.9, gpu_gb=16))
    assert greedy.verdict in ("tight", "wont_fit") and greedy.total_gb > p.total_gb


def test_presets_plan_as_the_study_ran_them():
    assert plan_for_config(preset("t4-7b-sft")).verdict == "fits"
    assert plan_for_config(preset("t4-7b-grpo")).verdict == "fits"
    assert plan_for_config(preset("t4-7b-sft"), gpu_gb=8).verdict == "wont_fit"


def test_known_model_names_resolve_and_bad_input_is_named():
    assert arch_for("Qwen/Qwen2.5-Coder-7B-Instruct") == QWEN7
    assert arch_for("Qwen/Qwen2.5-Coder-14B-Instruct") == QWEN14
    assert arch_for("some/unknown-model") is None
    with pytest.raises(PlanError, match="seq_len = 0"):
        plan(PlanInput(QWEN7, seq_len=0))
