"""CPU GRPO on the bundled model from a one-step SFT adapter: seconds per step (2 generations of up to 64
tokens per prompt) and peak memory.

    python bench/train_cpu_grpo.py           # -> bench/results/train_cpu_grpo.json
"""

from train_common import parse, run

if __name__ == "__main__":
    run(parse("cpu-smoke-grpo", "train_cpu_grpo", ["train.max_steps=2", "grpo.max_completion_length=64"]),
        init_from_sft=True)
