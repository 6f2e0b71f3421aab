"""The training loss on CPU whatever trl is installed.

The SFT and GRPO trainers of trl 1.15 (the pin of ``requirements-gpu.txt``, needed by unsloth) always
patch the model with a fused LM head whose per-token log-probabilities come from a Triton kernel
(``trl.kernels.ChunkedLogProbFunction``). trl offers no setting to turn that head off, and the kernel
needs a GPU driver, so on a GPU machine's environment the CPU smoke presets fail at the first step.
trl 1.16 (the CPU pin of ``requirements.txt``) scores on CPU with torch itself. Where the installed trl
cannot, :func:`use_torch_loss_on_cpu` puts in a plain-torch function with the same inputs and outputs;
on CUDA nothing changes.
"""

from __future__ import annotations

import importlib
from typing import Any


class TorchChunkedLogProb:
    """``ChunkedLogProbFunction.apply`` in plain torch (autograd does the backward): per-token log-probability
    of each target, and on request entropy, log(sum p²), mean logit and whether the target is the argmax."""

    @staticmethod
    def apply(hidden: Any, weight: Any, bias: Any, targets: Any, temperature: float, chunk_size: int,
              final_logit_softcapping: float | None = None, logit_scale: float = 1.0,
              outputs: tuple[str, ...] = ("log_probs",)) -> tuple[Any, Any, Any, Any, Any]:
        import torch

        logits = hidden.float() @ weight.float().t()
        if bias is not None:
            logits = logits + bias.float()
        z = logits * logit_scale
        if final_logit_softcapping is not None:
            z = final_logit_softcapping * torch.tanh(z / final_logit_softcapping)
        z = z / temperature
        logp = torch.log_softmax(z, dim=-1)
        log_probs = logp.gather(-1, targets.long().unsqueeze(-1)).squeeze(-1)
        entropy = -(logp.exp() * logp).sum(-1) if "entropy" in outputs else None
        with torch.no_grad():
            sq = torch.logsumexp(2 * logp, dim=-1) if "log_sum_sq_probs" in outputs else None
            mean = z.mean(-1) if "mean_logits" in outputs else None
            top1 = z.argmax(-1) == targets if "is_top1" in outputs else None
        return log_probs, entropy, sq, mean, top1


def trl_scores_on_cpu() -> bool:
    """Whether the installed trl computes its fused-head loss on CPU by itself (trl 1.16 and later)."""
    try:
        kernels = importlib.import_module("trl.kernels.chunked_logprob")
    except ImportError:  # no Triton at all: trl 1.15 has no function to call
        return False
    return hasattr(kernels, "_use_triton")


def use_torch_loss_on_cpu(device: str) -> bool:
    """On CPU with a trl whose fused LM head only runs as a GPU kernel, use :class:`TorchChunkedLogProb`.
    Returns True when it was put in."""
    if device != "cpu":
        return False
    try:
        utils = importlib.import_module("trl.trainer.utils")
    except ImportError:
        return False
    if not hasattr(utils, "_ChunkedLogProbFunction") or trl_scores_on_cpu():
        return False
    vars(utils)["_ChunkedLogProbFunction"] = TorchChunkedLogProb  # a name only some trl releases have
    return True
