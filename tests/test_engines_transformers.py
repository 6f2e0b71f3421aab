"""transformers backend on the bundled model: mixed batches, constrained JSON, base vs a LoRA adapter."""

from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, Field

from core.engines import ChatRequest, Message, Sampling, parse_object


class Verdict(BaseModel):
    label: Literal["yes", "no"]
    score: int = Field(ge=1, le=5)


class Tags(BaseModel):
    tags: list[Annotated[str, Field(min_length=1, max_length=12)]] = Field(min_length=1, max_length=3)


def ask(text: str, schema=None, adapter=None, constrained=True, tokens=48) -> ChatRequest:
    return ChatRequest((Message("user", text),), schema=schema, adapter=adapter, constrained=constrained,
                       sampling=Sampling(max_new_tokens=tokens))


@pytest.mark.slow
def test_mixed_batch_keeps_order_and_constrained_json_is_always_valid(offline_engine):
    requests = [
        ask("Is Python a programming language? Answer as JSON.", Verdict),
        ask("List up to three skills of a backend developer as JSON.", Tags),
        ask("Say hello in one short sentence.", None, tokens=12),
        ask("Is the sky green? Answer as JSON.", Verdict),
    ]
    seen: list[tuple[int, int]] = []
    results = offline_engine.generate(requests, lambda done, total: seen.append((done, total)))
    assert len(results) == 4 and seen[-1] == (4, 4)
    for req, res in zip(requests, results):
        assert res.error is None and res.prompt_tokens > 0 and res.completion_tokens > 0
        if req.schema is not None:
            assert res.finish_reason == "stop", res.text  # the grammar closed the object within the budget
            assert isinstance(parse_object(res.text, req.schema), req.schema)
    assert results[2].completion_tokens <= 12


@pytest.fixture(scope="module")
def tiny_adapter(offline_folder, tmp_path_factory):
    """A small random LoRA adapter on the bundled model, made here (peft), saved like a trained one."""
    import torch
    from transformers import AutoModelForCausalLM

    from tests.lora import save_random_lora

    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(offline_folder, dtype=torch.float32)
    return save_random_lora(base, tmp_path_factory.mktemp("adapters") / "tiny-lora", r=8, alpha=32)


@pytest.mark.slow
def test_base_and_adapter_from_one_loaded_model(offline_folder, tiny_adapter):
    from core.engines.transformers_engine import TransformersEngine, TransformersSettings

    engine = TransformersEngine(TransformersSettings(model=str(offline_folder), device="cpu"))
    prompt = "Name one famous programming language."
    before = engine.generate([ask(prompt, tokens=10)])[0]
    engine.load_adapter("tiny-lora", str(tiny_adapter))
    mixed = engine.generate([ask(prompt, tokens=10), ask(prompt, adapter="tiny-lora", tokens=10),
                             ask("Is 2 bigger than 1? JSON.", Verdict, adapter="tiny-lora", tokens=24)])
    base, tuned, tuned_json = mixed
    assert base.text == before.text  # the base requests are untouched by the loaded adapter
    assert tuned.text != base.text  # the adapter changes the output
    assert isinstance(parse_object(tuned_json.text, Verdict), Verdict)  # constrained JSON holds with the adapter
    unknown = engine.generate([ask(prompt, adapter="not-loaded", tokens=5)])[0]
    assert unknown.finish_reason == "error" and "not loaded" in unknown.error


@pytest.mark.slow
def test_exported_weights_leave_loaded_adapters_out(offline_folder, tiny_adapter):
    import torch
    from transformers import AutoModelForCausalLM

    from core.engines.transformers_engine import TransformersEngine, TransformersSettings
    from core.engines.weights import plain_state_dict

    engine = TransformersEngine(TransformersSettings(model=str(offline_folder), device="cpu",
                                                     adapters=(("tiny-lora", str(tiny_adapter)),)))
    saved = plain_state_dict(AutoModelForCausalLM.from_pretrained(offline_folder, dtype=torch.float32))
    written = plain_state_dict(engine.hf_model)
    assert not any("lora" in k for k in written) and written.keys() == saved.keys()
    assert all(torch.equal(written[k], saved[k]) for k in saved)
