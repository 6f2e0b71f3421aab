"""Predict a run's peak GPU memory before launch, and refuse or warn when it will not fit.

The estimate adds: base weights (4-bit NF4 with 16-bit embeddings and head, or 8/16-bit), the fp32
copy of the embeddings and head that PEFT's QLoRA preparation makes (``prepare_model_for_kbit_training``
casts every non-quantized weight to fp32: ~4.4 GB on a 7B; unsloth keeps them 16-bit), LoRA weights
with their gradients and optimizer state, activations (with or without gradient checkpointing), the
logits of the loss, for GRPO the generation (vLLM's reserved share when unsloth generates with vLLM,
else the KV cache of transformers generation), and the CUDA context. It is a plan, not a measurement: every GPU run records the
measured peak next to it (``plan.json`` in the run folder).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Literal

from core.messages import LocalizedError

if TYPE_CHECKING:
    from training.config import RunConfig

GiB = 1024**3
Verdict = Literal["fits", "tight", "wont_fit"]


class PlanError(LocalizedError):
    """The run cannot be planned; the words live in the message tables."""


@dataclass(frozen=True)
class Arch:
    """The shape numbers the estimate needs."""

    params_b: float
    hidden: int
    layers: int
    intermediate: int
    vocab: int
    heads: int
    kv_heads: int
    tied_embeddings: bool = False

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


KNOWN: dict[str, Arch] = {
    "qwen2.5-7b": Arch(7.62, 3584, 28, 18944, 152064, 28, 4),
    "qwen2.5-14b": Arch(14.77, 5120, 48, 13824, 152064, 40, 8),
    "qwen2.5-32b": Arch(32.76, 5120, 64, 27648, 152064, 40, 8),
    "qwen2.5-1.5b": Arch(1.54, 1536, 28, 8960, 151936, 12, 2, True),
    "qwen2.5-0.5b": Arch(0.49, 896, 24, 4864, 151936, 14, 2, True),
    "smollm2-135m": Arch(0.135, 576, 30, 1536, 49152, 9, 3, True),
}


def arch_for(model: str) -> Arch | None:
    """The shape of a known model from its hub id or path (e.g. 'Qwen/Qwen2.5-Coder-7B-Instruct')."""
    name = model.lower().replace("-coder", "").replace("-instruct", "").replace("qwq-32b", "qwen2.5-32b")
    for key, arch in KNOWN.items():
        family, size = key.rsplit("-", 1)
        if family.replace(".", "") in name.replace(".", "") and f"-{size}" in name:
            return arch
    if "smollm2" in name and "135m" in name:
        return KNOWN["smollm2-135m"]
    return None


@dataclass(frozen=True)
class PlanInput:
    arch: Arch
    quantization: Literal["none", "4bit", "8bit"] = "4bit"
    dtype_bytes: int = 2  # 2 for fp16/bf16 on GPU, 4 for fp32
    lora_r: int = 64
    lora_modules: int = 7  # of q,k,v,o,gate,up,down
    seq_len: int = 2048  # longest training sequence (for GRPO: prompt plus completion)
    batch: int = 1  # sequences per forward pass
    gradient_checkpointing: bool = True
    optimizer_8bit: bool = True
    kind: Literal["sft", "grpo"] = "sft"
    generation_batch: int = 4  # GRPO: sequences generated at once (prompts × generations per step)
    fast_inference: bool = False  # asked for; only unsloth generates with vLLM (see ``generates_with_vllm``)
    vllm_share: float = 0.5
    backend: Literal["peft", "unsloth"] = "peft"  # what trains: PEFT + bitsandbytes, or unsloth
    gpu_gb: float = 16.0

    @property
    def generates_with_vllm(self) -> bool:
        """GRPO completions come from vLLM only through unsloth; otherwise transformers generates them."""
        return self.fast_inference and self.backend == "unsloth"

    def problems(self) -> list[str]:
        out = []
        for name in ("lora_r", "seq_len", "batch", "generation_batch"):
            if getattr(self, name) < 1:
                out.append(f"{name} = {getattr(self, name)}: must be at least 1")
        if self.gpu_gb <= 0:
            out.append(f"gpu_gb = {self.gpu_gb}: give the GPU's memory in GB")
        if not 0 < self.vllm_share < 1:
            out.append(f"vllm_share = {self.vllm_share}: must be between 0 and 1")
        if self.arch.params_b <= 0:
            out.append(f"params_b = {self.arch.params_b}: must be above 0")
        return out


@dataclass
class Plan:
    total_gb: float
    budget_gb: float
    verdict: Verdict
    parts_gb: dict[str, float] = field(default_factory=dict)
    message: str = ""  # English (logs, CLI, plan.json)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def text(self, lang: str = "en") -> str:
        """The verdict's explanation in ``lang`` (English: ``message``)."""
        from core.messages import msg, norm_lang, number

        if norm_lang(lang) == "en" and self.message:
            return self.message
        return msg(f"t_plan_{self.verdict}", lang, total=number(round(self.total_gb, 1), lang),
                   budget=number(self.budget_gb, lang))

    def parts_text(self, lang: str = "en") -> str:
        """``weights 1.20, activations 0.40, …`` with the parts named in ``lang``."""
        from core.messages import has, msg

        return ", ".join(f"{msg('t_part_' + k, lang) if has('t_part_' + k) else k} {v:.2f}"
                         for k, v in self.parts_gb.items())


def _lora_params(a: Arch, r: int, modules: int) -> float:
    kv = a.kv_heads * a.head_dim
    shapes = [(a.hidden, a.hidden), (a.hidden, kv), (a.hidden, kv), (a.hidden, a.hidden),
              (a.hidden, a.intermediate), (a.hidden, a.intermediate), (a.intermediate, a.hidden)]
    return a.layers * sum(r * (i + o) for i, o in shapes[:modules])


def plan(p: PlanInput) -> Plan:
    """Peak GPU memory of a run, with its parts, and whether it fits ``p.gpu_gb``."""
    problems = p.problems()
    if problems:
        raise PlanError("cannot plan memory: " + "; ".join(problems))
    a = p.arch
    embed = a.vocab * a.hidden * (1 if a.tied_embeddings else 2)
    body = a.params_b * 1e9 - embed
    per_param = {"4bit": 0.5 + 0.04, "8bit": 1.0 + 0.02, "none": float(p.dtype_bytes)}[p.quantization]
    weights = body * per_param + embed * p.dtype_bytes
    lora = _lora_params(a, p.lora_r, p.lora_modules)
    # fp32 adapter weights and grads, Adam moments (8-bit optimizer: 2 bytes, else 8)
    lora_state = lora * (4 + 4 + (2 if p.optimizer_8bit else 8))
    tokens = p.batch * p.seq_len
    b = p.dtype_bytes
    if p.gradient_checkpointing:
        # one hidden state kept per layer, plus one layer's working set recomputed in the backward pass
        activations = tokens * a.hidden * b * a.layers + tokens * (8 * a.hidden + 3 * a.intermediate) * b
    else:
        activations = tokens * a.layers * (16 * a.hidden + 3 * a.intermediate) * b
    logits = tokens * a.vocab * 4 * (1.0 if p.gradient_checkpointing else 2.0)
    parts = {
        "weights": weights,
        # PEFT's k-bit preparation keeps a fp32 copy of every non-quantized weight (embeddings, head)
        "fp32_embeddings": embed * (4 - p.dtype_bytes) if p.quantization != "none" and p.backend == "peft" else 0.0,
        "lora_and_optimizer": lora_state,
        "activations": activations,
        "logits": logits,
        "cuda_context": 0.9 * GiB,
    }
    if p.kind == "grpo":
        if p.generates_with_vllm:
            # vLLM takes its share for weights (shared with training under unsloth) and KV cache
            parts["vllm_reserved"] = max(0.0, p.vllm_share * p.gpu_gb * GiB - weights)
        else:
            # transformers generation: every sequence of the generation batch keeps its KV cache to full length,
            # and each step computes fp32 logits over the vocabulary for the whole batch
            kv_per_token = 2 * a.layers * a.kv_heads * a.head_dim * b
            parts["generation_kv_cache"] = (p.generation_batch * p.seq_len * kv_per_token
                                            + p.generation_batch * a.vocab * 4 * 2)
    parts = {k: v for k, v in parts.items() if v or k != "fp32_embeddings"}
    total = sum(parts.values()) / GiB
    budget = p.gpu_gb
    if total > budget:
        verdict: Verdict = "wont_fit"
        msg = (f"predicted peak {total:.1f} GB is over the {budget:g} GB GPU: use 4-bit weights, a shorter "
               f"max_seq_length, a smaller batch or LoRA rank, or a smaller model")
    elif total > 0.9 * budget:
        verdict = "tight"
        msg = f"predicted peak {total:.1f} GB of {budget:g} GB: it may run out of memory; leave some headroom"
    else:
        verdict = "fits"
        msg = f"predicted peak {total:.1f} GB of {budget:g} GB"
    return Plan(round(total, 2), budget, verdict, {k: round(v / GiB, 2) for k, v in parts.items()}, msg)


def training_backend(cfg: "RunConfig") -> Literal["peft", "unsloth"]:
    """What ``training.modeling.load_for_training`` will use here: unsloth on CUDA when it is installed."""
    import importlib.util

    if cfg.hardware.device == "cpu" or importlib.util.find_spec("unsloth") is None:
        return "peft"
    return "unsloth"


def plan_for_config(cfg: "RunConfig", gpu_gb: float | None = None,
                    backend: Literal["peft", "unsloth"] | None = None) -> Plan:
    """The plan of a run config on its profile's model; ``gpu_gb`` overrides the config's budget, ``backend``
    plans for a machine with (unsloth) or without (peft) unsloth instead of this one."""
    import importlib.util

    from core.models import get_profile

    profile = get_profile(cfg.model.profile)
    arch = arch_for(profile.model or profile.gguf_file or profile.name)
    if arch is None:
        raise PlanError(key="t_plan_unknown_model", model=repr(profile.model or profile.name))
    budget = gpu_gb if gpu_gb is not None else cfg.hardware.gpu_memory_gb
    return plan(PlanInput(
        arch=arch,
        quantization=cfg.model.quantization,
        lora_r=cfg.lora.r,
        lora_modules=len(cfg.lora.target_modules),
        seq_len=cfg.model.max_seq_length,
        batch=cfg.train.per_device_train_batch_size,
        gradient_checkpointing=cfg.model.gradient_checkpointing,
        optimizer_8bit="8bit" in cfg.train.optim,
        kind=cfg.kind,
        generation_batch=cfg.train.per_device_train_batch_size * cfg.train.gradient_accumulation_steps,
        # unsloth generates with vLLM only when vLLM is installed too (else it cannot start fast_inference)
        fast_inference=cfg.grpo.fast_inference and (backend is not None or importlib.util.find_spec("vllm") is not None),
        vllm_share=cfg.grpo.vllm_gpu_memory_utilization,
        backend=backend or training_backend(cfg),
        gpu_gb=budget or 16.0,
    ))


class WontFit(LocalizedError):
    """The run's memory plan does not fit its budget and the config does not allow going over it (the plan's
    verdict, in the reader's language, and how to try anyway)."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(key="train_err_wont_fit", plan=plan)
        self.plan = plan


@dataclass(frozen=True)
class PlanGate:
    """What the memory-plan gate decided for a run: the plan, or why none could be made."""

    plan: Plan | None
    skipped: str | None = None  # why no plan could be made (the run may still start)

    @property
    def warning(self) -> str | None:
        """Something worth saying before the run starts (None when the plan fits)."""
        if self.plan is None:
            return self.skipped
        return self.plan.message if self.plan.verdict != "fits" else None


def gate_plan(cfg: "RunConfig", gpu_gb: float | None = None) -> PlanGate:
    """The one memory-plan gate before a run (the launcher's check and the training process): raises
    WontFit when the plan will not fit unless ``hardware.allow_over_budget`` is set; a model the planner
    does not know is no reason to refuse (``skipped`` says why there is no plan)."""
    try:
        p = plan_for_config(cfg, gpu_gb)
    except PlanError as exc:
        return PlanGate(None, str(exc))
    if p.verdict == "wont_fit" and not cfg.hardware.allow_over_budget:
        raise WontFit(p)
    return PlanGate(p)
