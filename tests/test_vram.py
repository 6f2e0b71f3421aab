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
    p = plan(PlanInput(QWEN7, kind="grpo", seq_len=1536, fast_inference=True, vllm_share=0.5, gpu_gb=16,
                       backend="unsloth"))
    assert p.parts_gb["vllm_reserved"] > 2 and p.verdict == "fits" and "generation_kv_cache" not in p.parts_gb
    greedy = plan(PlanInput(QWEN7, kind="grpo", seq_len=1536, fast_inference=True, vllm_share=0.9, gpu_gb=16,
                            backend="unsloth"))
    assert greedy.verdict in ("tight", "wont_fit") and greedy.total_gb > p.total_gb


def test_grpo_without_vllm_counts_the_kv_cache_of_transformers_generation():
    # fast_inference asked, but only unsloth generates with vLLM: PEFT training generates with transformers
    p = plan(PlanInput(QWEN7, kind="grpo", seq_len=1536, fast_inference=True, generation_batch=4, backend="peft"))
    assert "vllm_reserved" not in p.parts_gb
    # 4 sequences × 1536 tokens × 28 layers × K and V × 4 heads × 128 × 2 bytes = 0.33 GiB, plus the logits
    assert 0.3 < p.parts_gb["generation_kv_cache"] < 0.4
    longer = plan(PlanInput(QWEN7, kind="grpo", seq_len=1536, generation_batch=16, backend="peft"))
    assert longer.parts_gb["generation_kv_cache"] > 3 * p.parts_gb["generation_kv_cache"]


def test_qlora_through_peft_counts_embeddings_and_head_in_fp32():
    peft = plan(PlanInput(QWEN7, quantization="4bit", backend="peft"))
    unsloth = plan(PlanInput(QWEN7, quantization="4bit", backend="unsloth"))
    # 2 × 152064 × 3584 weights at 4 bytes = 4.36 GB (4.06 GiB): 2 bytes in "weights", 2 more here
    assert peft.parts_gb["fp32_embeddings"] == pytest.approx(2.03, abs=0.01)
    assert peft.parts_gb["weights"] + peft.parts_gb["fp32_embeddings"] - unsloth.parts_gb["weights"] == pytest.approx(2.03, abs=0.01)
    assert "fp32_embeddings" not in unsloth.parts_gb
    assert "fp32_embeddings" not in plan(PlanInput(QWEN7, quantization="none", gpu_gb=80)).parts_gb


def test_a_config_is_planned_for_the_backend_that_will_train_it():
    import importlib.util

    grpo = preset("t4-7b-grpo")
    with_unsloth = plan_for_config(grpo, backend="unsloth")
    without = plan_for_config(grpo, backend="peft")
    assert "vllm_reserved" in with_unsloth.parts_gb and "fp32_embeddings" not in with_unsloth.parts_gb
    assert "generation_kv_cache" in without.parts_gb and "fp32_embeddings" in without.parts_gb
    here = plan_for_config(grpo)
    expected = with_unsloth if importlib.util.find_spec("unsloth") and importlib.util.find_spec("vllm") else without
    assert here.parts_gb.keys() == expected.parts_gb.keys()


def test_presets_plan_as_the_study_ran_them():
    for backend in ("peft", "unsloth"):
        assert plan_for_config(preset("t4-7b-sft"), backend=backend).verdict == "fits"
        assert plan_for_config(preset("t4-7b-grpo"), backend=backend).verdict == "fits"
    assert plan_for_config(preset("t4-7b-sft"), gpu_gb=8).verdict == "wont_fit"


def test_known_model_names_resolve_and_bad_input_is_named():
    assert arch_for("Qwen/Qwen2.5-Coder-7B-Instruct") == QWEN7
    assert arch_for("Qwen/Qwen2.5-Coder-14B-Instruct") == QWEN14
    assert arch_for("some/unknown-model") is None
    with pytest.raises(PlanError, match="seq_len = 0"):
        plan(PlanInput(QWEN7, seq_len=0))
