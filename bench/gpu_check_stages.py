"""One stage of ``bench/gpu_check.py``, run by it in its own process (time limit, JSON as it goes):

    python bench/gpu_check_stages.py STAGE --work WORK [--tiny] [--tokens N] [--tokenizer DIR]

Stages: prep (a random-initialised model with the real Qwen2.5-Coder-7B shape, or a 2-layer one with
``--tiny``, and a LoRA adapter on it), engine (the transformers engine as the profile builds it: dtype,
batch size, batch 1/8/32 free vs xgrammar-constrained tokens/s, peak memory, grade_answers), lora (base +
adapter in one mixed batch), fourbit (bitsandbytes nf4: load memory and speed), sft and grpo (the t4-7b
presets through the project's launcher: seconds per step, measured peak next to the planner's prediction
for the same config), presets (the T4 presets' predicted peaks; no GPU needed). Each stage writes
WORK/results/<stage>.json atomically after every step, so a stage cut short still leaves what it measured.
It always runs the code of this checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import traceback
from dataclasses import asdict, replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = PROJECT / "assets" / "datasets" / "grader_sample.jsonl"
TOKENIZER: Path | None = None  # --tokenizer; else the bundled model's tokenizer
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
GiB = 1024**3
_KEEP: dict = {}


class Stage:
    def __init__(self, name: str, work: Path, tiny: bool, tokens: int) -> None:
        self.name, self.work, self.tiny, self.tokens = name, work, tiny, tokens
        self.out = work / "results"
        self.out.mkdir(parents=True, exist_ok=True)
        self.res: dict = {"stage": name, "status": "running", "tiny": tiny, "started": time.time(), "steps": {}}
        self.t0 = time.perf_counter()

    def save(self) -> None:
        self.res["elapsed_s"] = round(time.perf_counter() - self.t0, 1)
        path = self.out / f"{self.name}.json"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.res, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(tmp, path)

    def step(self, key: str, fn, *args, **kwargs):
        """Run one part of the stage; its result or its error goes under steps[key]; never raises."""
        say(f"{self.name}: {key} ...")
        t = time.perf_counter()
        try:
            value = fn(*args, **kwargs)
            if isinstance(value, dict):
                entry = {**{k: v for k, v in value.items() if k != "outs"}, "ok": True}
            else:
                entry = {"ok": True, "value": None if value is None else type(value).__name__}
        except BaseException as exc:  # noqa: BLE001 - record every failure, go on with the next part
            if isinstance(exc, KeyboardInterrupt):
                raise
            tb = traceback.format_exc()
            print(tb, flush=True)
            entry = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000], "traceback": tb[-4000:]}
            value = None
        entry["step_seconds"] = round(time.perf_counter() - t, 2)
        self.res["steps"][key] = entry
        self.save()
        say(f"{self.name}: {key} -> {'ok' if entry['ok'] else 'FAILED: ' + str(entry.get('error'))[:300]} "
            f"({entry['step_seconds']} s)")
        return value


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# helpers ------------------------------------------------------------------------------------------
def cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def reset_peak() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()


def mem() -> dict:
    import torch

    if not torch.cuda.is_available():
        import resource

        return {"rss_peak_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2)}
    free, total = torch.cuda.mem_get_info()
    return {"allocated_gb": round(torch.cuda.memory_allocated() / GiB, 2),
            "peak_allocated_gb": round(torch.cuda.max_memory_allocated() / GiB, 2),
            "peak_reserved_gb": round(torch.cuda.max_memory_reserved() / GiB, 2),
            "device_used_gb": round((total - free) / GiB, 2)}


def sample_rows(n: int) -> list[dict]:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [rows[i % len(rows)] for i in range(n)]


def grade_requests(n: int, tokens: int, constrained: bool, adapter_for=None) -> list:
    from core.engines import ChatRequest, Sampling
    from core.schemas.grade import GradeAssessment
    from core.services.grading import grade_messages

    reqs = []
    for i, row in enumerate(sample_rows(n)):
        reqs.append(ChatRequest(grade_messages(row["question"], row["answer"], row.get("reference")),
                                schema=GradeAssessment if constrained else None,
                                sampling=Sampling(max_new_tokens=tokens), constrained=constrained,
                                adapter=adapter_for(i) if adapter_for else None))
    return reqs


def measure(engine, requests, batch_size: int, constrained: bool) -> dict:
    """engine.generate on ``requests`` with the engine's batch size set to ``batch_size``."""
    from collections import Counter

    from core.engines.structured import OutputError, parse_object
    from core.schemas.grade import GradeAssessment

    engine.cfg = replace(engine.cfg, batch_size=batch_size)
    reset_peak()
    t = time.perf_counter()
    outs = engine.generate(requests)
    sync()
    seconds = time.perf_counter() - t
    tokens = sum(o.completion_tokens for o in outs)
    row = {"requests": len(requests), "batch_size": batch_size, "constrained": constrained,
           "completion_tokens": tokens, "prompt_tokens_mean": round(sum(o.prompt_tokens for o in outs) / len(outs), 1),
           "seconds": round(seconds, 3), "tokens_per_s": round(tokens / seconds, 2) if seconds else None,
           "finish": dict(Counter(o.finish_reason for o in outs)),
           "errors": [o.error for o in outs if o.error][:3], "sample_text": outs[0].text[:200], **mem()}
    if constrained:
        valid, starts_json = 0, 0
        for o in outs:
            starts_json += o.text.lstrip().startswith("{")
            try:
                parse_object(o.text, GradeAssessment)
                valid += 1
            except OutputError:
                pass
        row.update(valid_objects=valid, texts_starting_with_brace=starts_json)
    say(f"  {'constrained' if constrained else 'free'} n={len(requests)} batch={batch_size}: {tokens} tokens in "
        f"{seconds:.2f} s = {row['tokens_per_s']} tok/s, finish {row['finish']}, errors {len(row['errors'])}, "
        f"peak {row.get('peak_allocated_gb')} GB")
    return {"row": row, "outs": outs}


def throughput_grid(st: Stage, engine, batches=(1, 8, 32), modes=("free", "constrained"), tag: str = "") -> None:
    for mode in modes:
        constrained = mode == "constrained"
        for b in batches:
            n = 2 if b == 1 else b
            reqs = grade_requests(n, st.tokens, constrained)
            st.step(f"{tag}{mode}_batch{b}", lambda: measure(engine, reqs, b, constrained)["row"])  # noqa: B023 -- run at once


def warmup(engine) -> dict:
    t = time.perf_counter()
    measure(engine, grade_requests(2, 4, False), 2, False)
    t1 = time.perf_counter()
    measure(engine, grade_requests(2, 4, True), 2, True)
    return {"free_s": round(t1 - t, 2), "constrained_first_call_s": round(time.perf_counter() - t1, 2)}


def product_grade(profile: str, n: int, tokens: int, adapter: str | None = None) -> dict:
    """The product path: grade_answers (answer checks, store, generate_structured with one repair retry)."""
    from collections import Counter

    from core.services.grading import AnswerInput, GradeOptions, grade_answers

    items = [AnswerInput(candidate=f"c{i}", question=r["question"], answer=r["answer"], reference=r.get("reference"),
                         human_score=r.get("score")) for i, r in enumerate(sample_rows(n))]
    reset_peak()
    t = time.perf_counter()
    outs = grade_answers(items, profile=profile, adapter=adapter,
                         options=GradeOptions(max_new_tokens=tokens, reuse=False))
    seconds = time.perf_counter() - t
    engines = Counter(o.grade.provenance.engine for o in outs if o.grade)
    return {"profile": profile, "items": len(items), "outcomes": len(outs), "graded_ok": sum(o.ok for o in outs),
            "graded_by": dict(engines), "seconds": round(seconds, 2),
            "adapters_in_provenance": sorted({str(o.grade.provenance.adapter) for o in outs if o.grade}),
            "errors": sorted({(o.error or "")[:300] for o in outs if not o.ok})[:3],
            "first_raw": (outs[0].raw or "")[:300] if outs else "", **mem()}


def versions() -> dict:
    import importlib.metadata as md

    out = {}
    for name in ("torch", "transformers", "peft", "accelerate", "trl", "datasets", "xgrammar", "apache-tvm-ffi",
                 "bitsandbytes", "pydantic", "pydantic-core", "SQLAlchemy", "alembic", "fsspec", "typing_extensions",
                 "huggingface_hub", "tokenizers", "safetensors", "numpy", "triton", "pyarrow", "unsloth", "vllm"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


# stages -------------------------------------------------------------------------------------------
def stage_prep(st: Stage) -> None:
    import platform

    st.res["python"] = platform.python_version()
    st.res["versions"] = versions()
    st.save()
    import torch

    info = {"cuda": torch.cuda.is_available(), "torch_cuda": torch.version.cuda}
    if torch.cuda.is_available():
        p = torch.cuda.get_device_properties(0)
        info.update(name=p.name, total_gb=round(p.total_memory / GiB, 1), capability=f"{p.major}.{p.minor}",
                    bf16=torch.cuda.is_bf16_supported())
    st.res["device"] = info
    st.save()
    st.step("imports", check_imports)
    paths = st.step("choose_dir", choose_dir, st)
    if not paths:
        raise SystemExit(2)
    st.step("make_model", make_model, st, paths)
    st.step("make_adapter", make_adapter, st, paths)
    st.step("profiles", check_profiles, paths)


def check_imports() -> dict:
    out = {}
    for mod in ("pydantic", "sqlalchemy", "alembic", "xgrammar", "xgrammar.contrib.hf", "datasets", "trl", "peft",
                "bitsandbytes", "core.services.grading", "training.launcher", "training.run"):
        try:
            __import__(mod)
            out[mod] = "ok"
        except BaseException as exc:  # noqa: BLE001
            out[mod] = f"{type(exc).__name__}: {exc}"[:400]
    return out


def choose_dir(st: Stage) -> dict:
    need = 2 if st.tiny else 40  # GB: 15.2 GB of weights, the adapter, training checkpoints
    cands = [st.work] if st.tiny else [Path("/dev/shm"), st.work]  # the 7B's 15 GB load faster from memory
    free = {}
    for c in cands:
        try:
            c.mkdir(parents=True, exist_ok=True)
            free[str(c)] = round(shutil.disk_usage(c).free / 1e9, 1)
        except OSError:
            free[str(c)] = 0
    root = next((c for c in cands if free[str(c)] >= need), st.work)
    base = root / "gpucheck-models"
    name = "Qwen2.5-Coder-Tiny-random" if st.tiny else "Qwen2.5-Coder-7B-Instruct-random"
    paths = {"free_gb": free, "model_dir": str(base / name), "adapter_dir": str(base / "adapters" / "grader")}
    (st.work / "paths.json").write_text(json.dumps(paths), encoding="utf-8")
    st.res["paths"] = paths
    return paths


def load_tokenizer():
    """A chat tokenizer for the random model: --tokenizer, else the bundled SmolLM2's (no weights needed)."""
    from transformers import AutoTokenizer

    if TOKENIZER is not None:
        return AutoTokenizer.from_pretrained(TOKENIZER)
    from core.models import get_profile

    offline = get_profile("offline")
    return AutoTokenizer.from_pretrained(offline.model_path(), gguf_file=offline.gguf_file)


def make_model(st: Stage, paths: dict) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, GenerationConfig, Qwen2Config

    shape = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2) if st.tiny else dict(hidden_size=3584, intermediate_size=18944,
                                                             num_hidden_layers=28, num_attention_heads=28,
                                                             num_key_value_heads=4)
    cfg = Qwen2Config(vocab_size=152064, max_position_embeddings=32768, rope_theta=1e6, tie_word_embeddings=False,
                      rms_norm_eps=1e-6, bos_token_id=1, eos_token_id=2, pad_token_id=2, **shape)
    cfg.architectures = ["Qwen2ForCausalLM"]
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    t = time.perf_counter()
    torch.manual_seed(0)
    with torch.device(dev):
        model = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16)
    sync()
    init_s = time.perf_counter() - t
    params = sum(p.numel() for p in model.parameters())
    out = Path(paths["model_dir"])
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    model.generation_config = GenerationConfig(bos_token_id=1, eos_token_id=2, pad_token_id=2)
    model.save_pretrained(out)
    save_s = time.perf_counter() - t
    tok = load_tokenizer()
    tok.save_pretrained(out)
    files = {p.name: round(p.stat().st_size / 1e6, 1) for p in sorted(out.iterdir())}
    _KEEP["model"] = model  # make_adapter wraps this copy instead of loading the weights again
    return {"params_b": round(params / 1e9, 3), "init_seconds": round(init_s, 1), "save_seconds": round(save_s, 1),
            "files_mb": files, "config": {k: getattr(cfg, k) for k in shape}, "tokenizer_len": len(tok)}


def make_adapter(st: Stage, paths: dict) -> dict:
    """A LoRA adapter (r=64, the 7 target modules) on the random model, random A and B so it changes outputs."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    dev = "cuda" if torch.cuda.is_available() else "cpu"
    t = time.perf_counter()
    model = _KEEP.pop("model", None)
    if model is None:
        model = AutoModelForCausalLM.from_pretrained(paths["model_dir"], dtype=torch.bfloat16, device_map={"": dev})
    load_s = time.perf_counter() - t
    lcfg = LoraConfig(r=64, lora_alpha=64, lora_dropout=0.0, target_modules=TARGETS, bias="none",
                      task_type="CAUSAL_LM", init_lora_weights=False)
    peft_model = get_peft_model(model, lcfg)
    with torch.no_grad():  # keep the update small: B at 1/4 of nn.Linear's default init
        for n, p in peft_model.named_parameters():
            if "lora_B" in n:
                p.mul_(0.25)
    trainable = sum(p.numel() for p in peft_model.parameters() if p.requires_grad)
    out = Path(paths["adapter_dir"])
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    peft_model.save_pretrained(out)
    save_s = time.perf_counter() - t
    files = {p.name: round(p.stat().st_size / 1e6, 1) for p in sorted(out.iterdir())}
    dtypes = sorted({str(p.dtype) for n, p in peft_model.named_parameters() if "lora_" in n})
    return {"base_load_seconds": round(load_s, 1), "lora_params_m": round(trainable / 1e6, 1), "lora_dtypes": dtypes,
            "save_seconds": round(save_s, 1), "files_mb": files}


def check_profiles(paths: dict) -> dict:
    from core.availability import check_profile, estimate_params
    from core.models import get_profile
    from training.vram import arch_for

    os.environ["HIRELAB_PROFILE_BASE_MODEL"] = os.environ["HIRELAB_PROFILE_ADAPTER_MODEL"] = paths["model_dir"]
    os.environ["HIRELAB_PROFILE_ADAPTER_ADAPTER"] = paths["adapter_dir"]  # as the driver sets them for later stages
    out = {}
    for name in ("base", "adapter"):
        p = get_profile(name)
        out[name] = {"model": p.model, "adapter": p.adapter_path(), "load_in_4bit": p.load_in_4bit, "device": p.device,
                     "engine": p.engine, "availability": check_profile(p).as_dict(),
                     "estimate_params_b": estimate_params(p, p.model)}
    out["planner_arch_for_model"] = str(arch_for(get_profile("base").model))
    return out


def stage_engine(st: Stage) -> None:
    from core.engines import get_engine
    from core.models import get_profile

    prof = get_profile("base")
    st.res["profile"] = {k: v for k, v in asdict(prof).items() if k in ("model", "load_in_4bit", "device", "engine")}
    reset_peak()
    t = time.perf_counter()
    engine = st.step("load", lambda: get_engine("base"))
    if engine is None:
        raise SystemExit(3)
    from core.engines.precision import bf16_supported, cuda_dtype

    wanted_dtype = cuda_dtype(prof.dtype, bf16_supported(), prof.model) if cuda() else "float32"
    built = engine.cfg.batch_size
    st.res["steps"]["load"].update(seconds=round(time.perf_counter() - t, 1), engine_class=type(engine).__name__,
                                   device=getattr(engine, "device", None),
                                   batch_size_from_profile=built, profile_batch_size=prof.batch_size,
                                   batch_size_ok=built == prof.batch_size,
                                   param_dtype=str(next(engine.hf_model.parameters()).dtype),
                                   expected_dtype=wanted_dtype, **mem())
    st.save()
    st.step("warmup", warmup, engine)
    throughput_grid(st, engine)
    engine.cfg = replace(engine.cfg, batch_size=built)  # back to what the profile built
    st.step("grade_answers_8", product_grade, "base", 8, st.tokens)


def stage_lora(st: Stage) -> None:
    from core.engines import get_engine

    engine = st.step("load_base", lambda: get_engine("base"))
    if engine is None:
        raise SystemExit(3)
    st.res["steps"]["load_base"].update(param_dtype=str(next(engine.hf_model.parameters()).dtype), **mem())
    prompts = 4
    keep: dict = {}

    def base_run() -> dict:
        got = measure(engine, grade_requests(prompts, st.tokens, False), 8, False)
        keep["outs"] = got["outs"]
        return got["row"]

    st.step("base_only_free_4", base_run)
    base_only = keep
    engine2 = st.step("load_adapter_profile", lambda: get_engine("adapter"))
    if engine2 is None:
        raise SystemExit(3)
    st.res["steps"]["load_adapter_profile"].update(same_engine_as_base=engine2 is engine,
                                                   adapters=dict(getattr(engine2, "adapters", {})),
                                                   model_class=type(engine2.hf_model).__name__, **mem())
    name = next(iter(getattr(engine2, "adapters", {}) or {"grader": ""}))

    def mixed(n: int, batch: int, constrained: bool) -> dict:
        # the same prompts twice: first half through the adapter, second half through the base model
        reqs = grade_requests(n // 2, st.tokens, constrained, adapter_for=lambda i: name)
        reqs += grade_requests(n // 2, st.tokens, constrained)
        order = [x for pair in zip(range(n // 2), range(n // 2, n)) for x in pair]  # interleaved: base, adapter
        got = measure(engine2, [reqs[i] for i in order], batch, constrained)
        outs = got["outs"]
        ada = [outs[2 * k].text for k in range(n // 2)]
        base = [outs[2 * k + 1].text for k in range(n // 2)]
        row = got["row"]
        row["adapter_differs_from_base"] = sum(a != b for a, b in zip(ada, base))
        row["pairs"] = n // 2
        row["adapter_sample"] = ada[0][:160]
        row["base_sample"] = base[0][:160]
        if base_only and n // 2 == prompts and not constrained:
            ref = [o.text for o in base_only["outs"]] if "outs" in base_only else []
            row["base_rows_equal_base_only_run"] = sum(x == y for x, y in zip(base[:prompts], ref))
        return row

    st.step("mixed_free_8_batch8", mixed, 8, 8, False)  # 4 prompts base + the same 4 through the adapter
    st.step("mixed_free_32_batch32", mixed, 32, 32, False)
    st.step("mixed_constrained_16_batch8", mixed, 16, 8, True)
    engine2.cfg = replace(engine2.cfg, batch_size=get_profile_batch("adapter"))
    st.step("grade_answers_adapter_8", product_grade, "adapter", 8, st.tokens)


def get_profile_batch(name: str) -> int:
    from core.models import get_profile

    return get_profile(name).batch_size


def stage_fourbit(st: Stage) -> None:
    from core.engines import get_engine
    from core.models import get_profile

    prof = get_profile("base")
    st.res["profile"] = {k: v for k, v in asdict(prof).items() if k in ("model", "load_in_4bit", "device", "engine")}
    reset_peak()
    t = time.perf_counter()
    engine = st.step("load_4bit", lambda: get_engine("base"))
    if engine is None:
        raise SystemExit(3)
    mods = {}
    for m in engine.hf_model.modules():
        mods[type(m).__name__] = mods.get(type(m).__name__, 0) + 1
    st.res["steps"]["load_4bit"].update(seconds=round(time.perf_counter() - t, 1),
                                        linear4bit_modules=mods.get("Linear4bit", 0),
                                        quantization_config=str(getattr(engine.hf_model.config, "quantization_config", None))[:400],
                                        **mem())
    st.save()
    st.step("warmup", warmup, engine)
    throughput_grid(st, engine, batches=(1, 8, 32), modes=("free",))
    throughput_grid(st, engine, batches=(8,), modes=("constrained",))
    engine2 = st.step("load_adapter_profile", lambda: get_engine("adapter"))
    if engine2 is not None:
        st.res["steps"]["load_adapter_profile"].update(same_engine_as_base=engine2 is engine,
                                                       adapters=dict(getattr(engine2, "adapters", {})), **mem())
        name = next(iter(getattr(engine2, "adapters", {}) or {"grader": ""}))

        def mixed16() -> dict:
            reqs = grade_requests(8, st.tokens, False, adapter_for=lambda i: name) + grade_requests(8, st.tokens, False)
            got = measure(engine2, reqs, 8, False)
            row = got["row"]
            row["adapter_differs_from_base"] = sum(got["outs"][k].text != got["outs"][k + 8].text for k in range(8))
            return row

        st.step("mixed_free_16_batch8", mixed16)
        engine2.cfg = replace(engine2.cfg, batch_size=get_profile_batch("adapter"))
        st.step("grade_answers_adapter_8", product_grade, "adapter", 8, st.tokens)


def planner_rows(cfg) -> dict:
    """The planner's prediction for ``cfg`` with either training backend, on a 16 GB card and on this one."""
    from training.vram import PlanError, plan_for_config

    out = {}
    here = None
    if cuda():
        import torch

        here = round(torch.cuda.get_device_properties(0).total_memory / GiB, 1)
    for backend in ("peft", "unsloth"):
        for gb in (16.0, here):
            if gb is None:
                continue
            key = f"{backend}_{'16gb' if gb == 16.0 else 'this_card'}"
            try:
                p = plan_for_config(cfg, gb, backend=backend)
                out[key] = {"total_gb": p.total_gb, "verdict": p.verdict, "parts_gb": p.parts_gb}
            except PlanError as exc:  # the tiny model is unknown to the planner
                out[key] = f"PlanError: {exc}"
    return out


def stage_train(st: Stage, kind: str) -> None:
    """A run of the t4-7b-<kind> preset through the project's launcher (a training process, as a user starts
    one): seconds per step, measured peak GPU memory next to the planner's prediction for the same config."""
    import yaml

    preset_name = f"t4-7b-{kind}"
    sets = ["train.max_steps=3"] if kind == "sft" else ["train.max_steps=2",
                                                          f"grpo.max_completion_length={st.tokens * 2}"]
    sets.append("hardware.gpu_memory_gb=0")  # plan for the card the run is on
    if st.tiny:  # the CPU dry run: no bitsandbytes, no CUDA
        sets += ["hardware.device=cpu", "model.quantization=none", "train.optim=adamw_torch",
                 "model.gradient_checkpointing=false", "model.max_seq_length=1280", "train.evaluate=false"]
        sets += ["train.max_steps=2", "train.per_device_train_batch_size=1", "train.gradient_accumulation_steps=2"] \
            if kind == "sft" else []
    extra = os.environ.get(f"GPUCHECK_{kind.upper()}_SET", "")
    sets += [s for s in extra.split(",") if s.strip()]
    st.res["preset"], st.res["sets"] = preset_name, sets
    st.save()

    from training.presets import preset

    overrides = {k: yaml.safe_load(v) for k, v in (s.split("=", 1) for s in sets)}
    cfg = preset(preset_name).with_overrides(overrides)
    st.step("planner", lambda: {"config": {"max_seq_length": cfg.model.max_seq_length,
                                           "quantization": cfg.model.quantization,
                                           "batch": cfg.train.per_device_train_batch_size,
                                           "grad_accum": cfg.train.gradient_accumulation_steps,
                                           "optim": cfg.train.optim, "lora_r": cfg.lora.r,
                                           "gradient_checkpointing": cfg.model.gradient_checkpointing},
                                **planner_rows(cfg)})
    st.step("run", train_run, cfg)


def train_run(cfg) -> dict:
    import statistics

    from training.launcher import launch, wait_run
    from training.metrics import log_tail, read_metrics

    started = time.perf_counter()
    info = wait_run(launch(cfg).id)
    rows = [r for r in read_metrics(info.path) if "step_seconds" in r]
    steps = [r["step_seconds"] for r in rows]
    plan_file = Path(info.path) / "plan.json"
    plan = json.loads(plan_file.read_text(encoding="utf-8")) if plan_file.exists() else {}
    predicted = (plan.get("predicted") or {}).get("total_gb")
    measured = plan.get("measured_peak_gb")
    out = {"run_status": info.status, "steps": info.summary.steps, "attention": list(info.summary.attention) or None,
           "error": info.summary.error, "backend_trained": None, "step_seconds_all": steps,
           "step_seconds_median": round(statistics.median(steps), 2) if steps else None,
           "wall_seconds": round(time.perf_counter() - started, 1),
           "predicted_gb": predicted, "predicted_parts_gb": (plan.get("predicted") or {}).get("parts_gb"),
           "measured_peak_gb": measured, "measured_reserved_gb": plan.get("measured_reserved_gb"),
           "planner_error_pct": round(100 * (predicted - measured) / measured, 1) if predicted and measured else None,
           "rss_peak_gb": max((r.get("rss_peak_gb", 0) for r in rows), default=None),
           "log_tail": log_tail(info.path, 30).splitlines()}
    for line in log_tail(info.path, 5000).splitlines():
        if "[hirelab] model loaded from" in line:  # "... (peft, LoRA r=64)" or "(unsloth, ...)"
            out["backend_trained"] = line.rsplit("(", 1)[-1].split(",")[0]
    # a random model earns no reward: "needs_attention" is the honest end of its GRPO run, not a failure
    if info.status not in ("completed", "needs_attention"):
        raise RuntimeError(f"run {info.id} {info.status}: {info.summary.error}")
    return out


def stage_presets(st: Stage) -> None:
    """The T4 presets' predicted peaks on a 16 GB card, for both training backends (no GPU used)."""
    from training.presets import preset

    for name in ("t4-7b-sft", "t4-7b-grpo"):
        st.step(name, planner_rows, preset(name))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["prep", "engine", "lora", "fourbit", "sft", "grpo", "presets"])
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--tokens", type=int, default=64, help="max_new_tokens of the engine measurements")
    ap.add_argument("--tokenizer", type=Path, default=None, help="tokenizer folder for the random model")
    a = ap.parse_args()
    global TOKENIZER
    TOKENIZER = a.tokenizer
    os.chdir(PROJECT)
    sys.path.insert(0, str(PROJECT))
    st = Stage(a.stage, a.work, a.tiny, a.tokens)
    st.save()
    fn = {"prep": stage_prep, "engine": stage_engine, "lora": stage_lora, "fourbit": stage_fourbit,
          "sft": lambda s: stage_train(s, "sft"), "grpo": lambda s: stage_train(s, "grpo"),
          "presets": stage_presets}[a.stage]
    rc = 0
    try:
        fn(st)
        failed = [k for k, v in st.res["steps"].items() if not v.get("ok")]
        st.res["status"] = "ok" if not failed else "partial"
        st.res["failed_steps"] = failed
    except SystemExit as exc:
        st.res["status"] = "aborted"
        rc = int(exc.code or 1)
    except BaseException as exc:  # noqa: BLE001
        st.res["status"] = "crashed"
        st.res["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        st.res["traceback"] = traceback.format_exc()[-4000:]
        traceback.print_exc()
        rc = 1
    st.save()
    return rc


if __name__ == "__main__":
    sys.exit(main())
