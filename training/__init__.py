"""Training the grader: datasets (``training.dataset``), run configs and presets, the VRAM planner,
SFT and GRPO (PEFT on CPU, unsloth on CUDA), reward functions, the run launcher and its artifacts.

Heavy libraries (torch, transformers, trl, peft, unsloth) are imported only inside the functions that
train; the launcher, configs, planner and dataset checks import none of them.
"""
