"""CPU SFT on the bundled model and the sample dataset: seconds per optimizer step and peak memory.

    python bench/train_cpu_sft.py            # -> bench/results/train_cpu_sft.json
"""

from train_common import parse, run

if __name__ == "__main__":
    run(parse("cpu-smoke-sft", "train_cpu_sft", ["train.max_steps=4"]))
