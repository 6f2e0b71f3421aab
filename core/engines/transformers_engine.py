"""transformers backend: CPU or CUDA, real batching (left padding), PEFT adapters chosen per request,
xgrammar-constrained JSON. torch/transformers/xgrammar are imported only here."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from pydantic import BaseModel

from core.engines.base import ChatRequest, EngineUnavailable, GenResult, ProgressFn, ResultFn, Sampling


@dataclass(frozen=True)
class TransformersSettings:
    model: str  # hub id or local folder
    gguf_file: str | None = None
    device: str = "auto"  # auto | cpu | cuda
    load_in_4bit: bool = False
    batch_size: int = 8  # requests generated together (the profile's batch_size)
    dtype: str = "auto"  # on CUDA, chosen by core.engines.precision.cuda_dtype; CPU always float32
    adapters: tuple[tuple[str, str], ...] = ()  # (name, path) loaded once at start


def _group_key(item: tuple[int, ChatRequest]) -> tuple[Any, ...]:
    r = item[1]
    schema = r.schema.__name__ if (r.schema is not None and r.constrained) else ""
    return (r.adapter or "", schema, r.sampling)


class TransformersEngine:
    name = "transformers"

    def __init__(self, cfg: TransformersSettings) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.cfg = cfg
        self.model_name = cfg.model + (f"/{cfg.gguf_file}" if cfg.gguf_file else "")
        self.model = self.model_name
        want_cuda = cfg.device == "cuda" or (cfg.device == "auto" and torch.cuda.is_available())
        if cfg.device == "cuda" and not torch.cuda.is_available():
            raise EngineUnavailable("this profile asks for CUDA but no GPU is visible; pick the 'offline' profile")
        self.device = "cuda" if want_cuda else "cpu"
        kwargs: dict[str, Any] = {}
        if cfg.gguf_file:
            kwargs["gguf_file"] = cfg.gguf_file
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(cfg.model, **kwargs)
            if want_cuda:
                from core.engines.precision import bf16_supported, cuda_dtype

                kwargs["dtype"] = getattr(torch, cuda_dtype(cfg.dtype, bf16_supported(), cfg.model))
                kwargs["device_map"] = {"": 0}
            else:
                kwargs["dtype"] = torch.float32
            if cfg.load_in_4bit:  # NF4 through bitsandbytes: its CUDA kernels on a GPU, its CPU ones elsewhere
                from transformers import BitsAndBytesConfig

                kwargs["quantization_config"] = BitsAndBytesConfig(
                    load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=kwargs["dtype"]
                )
                kwargs.setdefault("device_map", {"": "cpu"})
            model: Any = AutoModelForCausalLM.from_pretrained(cfg.model, **kwargs)  # PeftModel once adapted
        except OSError as exc:
            raise EngineUnavailable(
                f"cannot load model weights from {cfg.model!r}: {exc}. Download them to a local folder and set the "
                "profile's model to that path, or use the 'offline' profile."
            ) from exc
        if not want_cuda and not cfg.load_in_4bit:  # a quantized model is placed by its device_map
            model.to("cpu")
        model.eval()
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.adapters: dict[str, str] = {}
        if cfg.adapters:
            from peft import PeftModel

            first_name, first_path = cfg.adapters[0]
            model = PeftModel.from_pretrained(model, first_path, adapter_name=first_name)
            self.adapters[first_name] = first_path
            for name, path in cfg.adapters[1:]:
                model.load_adapter(path, adapter_name=name)
                self.adapters[name] = path
        self.hf_model: Any = model
        self._grammars: dict[str, Any] = {}
        self._compiler: Any = None

    # adapters ------------------------------------------------------------------------------
    def load_adapter(self, name: str, path: str) -> None:
        """Load a PEFT adapter once; requests then choose it by name."""
        from peft import PeftModel

        if name in self.adapters:
            return
        if not self.adapters:
            self.hf_model = PeftModel.from_pretrained(self.hf_model, path, adapter_name=name)
        else:
            self.hf_model.load_adapter(path, adapter_name=name)
        self.adapters[name] = path

    # grammar -------------------------------------------------------------------------------
    def _grammar(self, schema: type[BaseModel]) -> Any:
        key = f"{schema.__module__}.{schema.__qualname__}"
        if key not in self._grammars:
            import xgrammar as xgr

            if self._compiler is None:
                vocab = self.hf_model.get_output_embeddings().weight.shape[0]
                info = xgr.TokenizerInfo.from_huggingface(self.tokenizer, vocab_size=vocab)
                self._compiler = xgr.GrammarCompiler(info)
            self._grammars[key] = self._compiler.compile_json_schema(
                json.dumps(schema.model_json_schema()), any_whitespace=False
            )
        return self._grammars[key]

    # generation ----------------------------------------------------------------------------
    def generate(self, requests: Sequence[ChatRequest], progress: ProgressFn | None = None,
                 on_result: ResultFn | None = None) -> list[GenResult]:
        """Batched generation; a sequence that ends before its batch is reported (``on_result``, ``progress``)
        at once, so callers see and keep every finished item without waiting for the slowest one."""
        results: list[GenResult | None] = [None] * len(requests)
        indexed = sorted(enumerate(requests), key=lambda it: (str(_group_key(it)), it[0]))

        def finished(i: int, out: GenResult) -> None:
            if results[i] is not None:
                return
            results[i] = out
            if on_result:
                on_result(i, out)
            if progress:
                progress(sum(r is not None for r in results), len(requests))

        for _, group in groupby(indexed, key=_group_key):
            items = list(group)
            for start in range(0, len(items), self.cfg.batch_size):
                chunk = items[start : start + self.cfg.batch_size]
                try:
                    outs = self._generate_batch([r for _, r in chunk],
                                                lambda row, out: finished(chunk[row][0], out))  # noqa: B023 -- called within this batch
                except Exception as exc:  # one broken batch must not stop the others
                    outs = [GenResult("", "error", error=f"generation failed: {type(exc).__name__}: {exc}") for _ in chunk]
                for (i, _), out in zip(chunk, outs):
                    finished(i, out)
        return [r for r in results if r is not None]

    def _generate_batch(self, batch: list[ChatRequest], on_row: ResultFn | None = None) -> list[GenResult]:
        import torch

        first = batch[0]
        prompts = [
            self.tokenizer.apply_chat_template(
                [{"role": m.role, "content": m.content} for m in r.messages], tokenize=False, add_generation_prompt=True
            )
            for r in batch
        ]
        enc = self.tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        s: Sampling = first.sampling
        gen_kwargs: dict[str, Any] = {
            "max_new_tokens": s.max_new_tokens,
            "repetition_penalty": s.repetition_penalty,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if s.temperature > 0:
            gen_kwargs.update(do_sample=True, temperature=s.temperature, top_p=s.top_p)
            torch.manual_seed(s.seed)
        else:
            gen_kwargs.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        if first.schema is not None and first.constrained:
            from xgrammar.contrib.hf import LogitsProcessor

            gen_kwargs["logits_processor"] = [LogitsProcessor(self._grammar(first.schema))]
        prompt_len = enc["input_ids"].shape[1]
        eos_ids = self._eos_ids()
        prompt_tokens = [int(m.sum()) for m in enc["attention_mask"]]
        early: dict[int, GenResult] = {}
        started = time.perf_counter()
        if on_row is not None:

            def ended(row: int, tokens: list[int]) -> None:
                seconds = (time.perf_counter() - started) / len(batch)
                text = str(self.tokenizer.decode(tokens, skip_special_tokens=True))
                early[row] = GenResult(text, "stop", prompt_tokens[row], len(tokens), seconds)
                on_row(row, early[row])

            gen_kwargs["stopping_criteria"] = _finish_watch(prompt_len, eos_ids, ended)
        with torch.inference_mode(), self._adapter_scope(first.adapter):
            out = self.hf_model.generate(**enc, **gen_kwargs)
        seconds = time.perf_counter() - started
        results = []
        for n, (row, mask) in enumerate(zip(out, enc["attention_mask"])):
            if n in early:  # already decoded and reported when it ended
                results.append(early[n])
                continue
            new = row[prompt_len:].tolist()
            finished = next((k for k, t in enumerate(new) if t in eos_ids), None)
            tokens = new if finished is None else new[:finished]
            reason = "stop" if finished is not None else "length"
            text = self.tokenizer.decode(tokens, skip_special_tokens=True)
            results.append(
                GenResult(text, reason, int(mask.sum()), len(tokens), seconds / len(batch))  # type: ignore[arg-type]
            )
        return results

    def _eos_ids(self) -> set[int]:
        ids = self.hf_model.generation_config.eos_token_id
        out = set(ids if isinstance(ids, list) else [ids] if ids is not None else [])
        if self.tokenizer.eos_token_id is not None:
            out.add(self.tokenizer.eos_token_id)
        return out

    def _adapter_scope(self, adapter: str | None) -> Any:
        from contextlib import nullcontext

        if not self.adapters:
            if adapter:
                raise EngineUnavailable(f"adapter {adapter!r} is not loaded in this engine")
            return nullcontext()
        if adapter is None:
            return self.hf_model.disable_adapter()
        if adapter not in self.adapters:
            raise EngineUnavailable(f"adapter {adapter!r} is not loaded (loaded: {', '.join(self.adapters)})")
        self.hf_model.set_adapter(adapter)
        return nullcontext()


def _finish_watch(prompt_len: int, eos_ids: set[int], ended: Any) -> Any:
    """A stopping criterion that never stops anything: it calls ``ended(row, new_tokens)`` once per sequence,
    at the step it writes an end-of-sequence token, so a finished item is reported before its batch ends."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class FinishWatch(StoppingCriteria):
        def __init__(self) -> None:
            self.seen: set[int] = set()

        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            last = input_ids[:, -1].tolist()
            for row, token in enumerate(last):
                if token in eos_ids and row not in self.seen and input_ids.shape[1] > prompt_len:
                    self.seen.add(row)
                    ended(row, input_ids[row, prompt_len:-1].tolist())
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([FinishWatch()])
