"""GPU SFT then GRPO through the launcher: seconds per step and measured peak GPU memory next to the
planner's prediction (plan.json). Run it on a CUDA machine; by default it trains the bundled SmolLM2
(no download needed), unsloth when installed, PEFT + bitsandbytes otherwise.

    python bench/train_gpu.py                               # -> bench/results/train_gpu_grpo.json (+ _sft)
    python bench/train_gpu.py --set model.profile=base      # Qwen2.5-Coder-7B where its weights are local
"""

import copy

from train_common import parse, run

if __name__ == "__main__":
    args = parse("t4-7b-grpo", "train_gpu_grpo", ["model.profile=offline", "train.max_steps=5",
                                                  "grpo.max_completion_length=256"])
    sft = copy.copy(args)
    sft.preset, sft.name = "t4-7b-sft", "train_gpu_sft"
    sft.sets = [s for s in args.sets if not s.startswith("grpo.")]
    run(sft)
    run(args, init_from_sft=True)
