"""The run plan: what runs where, in which order, what is unloaded between, and about how long.

Profiles that share a base model share one engine (the adapter is chosen per request). Engines run
one after another; a local engine is released before the next one when both would not fit in memory
together (a 7B and a 14B on one 16 GB card never do; a vLLM engine takes its share of the card).
The judge runs last, on the engine already loaded when it is the same model.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from core.compare.records import CompareConfig
from core.messages import Count, msg, number
from core.models import ModelProfile, ProfileError, get_profile

REFERENCE_GPU_GB = 16.0  # the reference card (T4) when planning GPU profiles on a machine without one


class Speed(BaseModel):
    """Rough figures for the estimate (decode tokens/s with batching, load seconds)."""

    load_s: float
    tokens_per_s: float


def engine_kind(profile: ModelProfile) -> str:
    from core.engines import resolve_engine_kind

    return resolve_engine_kind(profile)


def judges(names: list[str]) -> list[str]:
    """The profiles of ``names`` that can judge: every one with a language model (``rules`` has none)."""
    from core.models import load_profiles

    _, profiles = load_profiles()
    return [n for n in names if n in profiles and engine_kind(profiles[n]) != "rules"]


def default_judge(names: list[str], gpu: bool) -> str | None:
    """The judge a comparison starts with, among runnable ``names``: 'judge' on a GPU machine where it runs, else
    the bundled 'offline' where it runs, else the first that can judge; None when none can (nothing to judge with)."""
    able = judges(names)
    for wanted in (("judge", "offline") if gpu else ("offline",)):
        if wanted in able:
            return wanted
    return able[0] if able else None


def engine_key(profile: ModelProfile) -> tuple[str, ...]:
    from core.engines import engine_key as key

    return key(profile)


def params_billions(profile: ModelProfile) -> float | None:
    """Model size in billions (one estimate with ``hirelab models``: :mod:`core.engines.footprint`)."""
    from core.engines.footprint import params_billions as size

    return size(profile)


def on_gpu(profile: ModelProfile) -> bool:
    kind = engine_kind(profile)
    if kind == "vllm":
        return True
    if kind != "transformers":
        return False
    if profile.device == "cuda":
        return True
    if profile.device == "cpu":
        return False
    import torch

    return bool(torch.cuda.is_available())


def memory_gb(profile: ModelProfile, gpu_gb: float) -> float | None:
    """Memory the loaded engine holds: weights plus runtime overhead, or vLLM's share of the card."""
    kind = engine_kind(profile)
    if kind in ("openai", "rules"):
        return 0.0 if kind == "openai" else 0.3
    if kind == "vllm":
        return round(profile.gpu_memory_utilization * gpu_gb, 1)
    from core.engines.footprint import model_memory_gb

    return model_memory_gb(profile, on_gpu(profile))


def speed(profile: ModelProfile) -> Speed:
    kind = engine_kind(profile)
    size = params_billions(profile) or 7.0
    if kind == "rules":
        return Speed(load_s=5.0, tokens_per_s=4000.0)
    if kind == "openai":
        return Speed(load_s=0.0, tokens_per_s=250.0)
    if kind == "vllm":
        return Speed(load_s=60.0 + 6.0 * size, tokens_per_s=2400.0 / max(size, 1.0))
    if on_gpu(profile):
        return Speed(load_s=20.0 + 5.0 * size, tokens_per_s=500.0 / max(size, 1.0))
    return Speed(load_s=10.0 + 100.0 * size, tokens_per_s=max(0.2, 4.0 / max(size, 0.01)))


class PlanNote(BaseModel):
    """A note said before the run, as a message key of core/messages and its values (rendered in any language)."""

    key: str
    values: dict[str, str | float] = {}


Stage = Literal["grade", "judge", "pairwise"]


class PlanStep(BaseModel):
    stage: Stage
    profiles: list[str]
    engine: str
    where: str  # in English, as stored by earlier versions; ``place`` and ``server`` say it in any language
    requests: int
    memory_gb: float | None
    seconds: float
    release_after: bool = False
    place: Literal["", "rules", "server", "gpu", "cpu"] = ""  # where it runs ("": a plan stored before this)
    server: str = ""  # the OpenAI-compatible server's address


class ComparePlan(BaseModel):
    steps: list[PlanStep]
    seconds: float
    memory_budget_gb: float
    notes: list[str]  # in English (logs, stored runs of earlier versions)
    said: list[PlanNote] = []  # the same notes in words of any language

    def describe(self, lang: str = "en") -> str:
        """The plan in plain words in ``lang``, said before anything runs."""
        lines = []
        for n, s in enumerate(self.steps, 1):
            shared = msg("cmp_plan_shared", lang) if s.stage == "grade" and len(s.profiles) > 1 else ""
            mem = msg("cmp_plan_memory", lang, gb=number(s.memory_gb, lang)) if s.memory_gb else ""
            lines.append(msg("cmp_plan_step", lang, n=n, stage=msg(f"cmp_stage_{s.stage}", lang),
                             who=" + ".join(s.profiles), where=_where_text(s, lang), shared=shared,
                             requests=Count("requests_n", s.requests), memory=mem, time=_minutes(s.seconds, lang),
                             unloaded=msg("cmp_plan_unloaded", lang) if s.release_after else ""))
        lines.append(msg("cmp_plan_total", lang, time=_minutes(self.seconds, lang)))
        notes = [_note(n, lang) for n in self.said] if self.said else self.notes
        lines.extend(msg("cmp_plan_note", lang, note=n) for n in notes)
        return "\n".join(lines)


def _note(note: PlanNote, lang: str) -> str:
    """A note in ``lang``; why a profile cannot run is said by its reason codes outside English (the English
    reason names commands and paths to fix it)."""
    values = dict(note.values)
    if note.key == "cmp_note_cannot_run" and lang != "en":
        values["reason"] = ", ".join(msg("pick_why_" + code, lang) for code in str(values.get("why", "config")).split(","))
    return msg(note.key, lang, **values)


def _minutes(seconds: float, lang: str = "en") -> str:
    return msg("unit_s", lang, n=f"{seconds:.0f}") if seconds < 90 else msg("unit_min", lang, n=f"{seconds / 60:.0f}")


def _place(profile: ModelProfile) -> Literal["rules", "server", "gpu", "cpu"]:
    kind = engine_kind(profile)
    if kind in ("rules", "openai"):
        return "rules" if kind == "rules" else "server"
    return "gpu" if on_gpu(profile) else "cpu"


def _where(profile: ModelProfile) -> str:
    place = _place(profile)
    if place == "rules":
        return "CPU, no LLM (rules)"
    if place == "server":
        return f"OpenAI-compatible server {profile.base_url or '(base_url not set)'}"
    return f"{place.upper()} via {engine_kind(profile)}"


def _where_text(step: PlanStep, lang: str) -> str:
    if not step.place:
        return step.where
    if step.place in ("gpu", "cpu"):
        return msg("cmp_where_local", lang, device=step.place.upper(), engine=step.engine)
    return msg(f"cmp_where_{step.place}", lang, server=step.server or msg("cmp_no_base_url", lang))


def _step(stage: Stage, group: list[ModelProfile], requests: int, gpu_gb: float, seconds: float) -> PlanStep:
    first = group[0]
    return PlanStep(stage=stage, profiles=[p.name for p in group], engine=engine_kind(first), where=_where(first),
                    place=_place(first), server=first.base_url or "" if engine_kind(first) == "openai" else "",
                    requests=requests, memory_gb=memory_gb(first, gpu_gb), seconds=round(seconds, 1))


def _available_ram_gb() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 8.0


def _gpu_gb() -> tuple[float, bool]:
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_properties(0).total_memory / 1024**3, True
    return REFERENCE_GPU_GB, False


def _steps(cfg: CompareConfig, models: list[ModelProfile], judge: ModelProfile, n_items: int,
           gpu_gb: float) -> list[PlanStep]:
    """One grading step per engine (the judge's own model graded last, so it stays loaded for judging), then the
    judging step and, when asked, the pairwise one, each with its requests and expected seconds."""
    groups: dict[tuple[str, ...], list[ModelProfile]] = {}
    for p in models:
        groups.setdefault(engine_key(p), []).append(p)
    order = list(groups)
    jkey = engine_key(judge)
    if jkey in groups:  # keep the judge's model loaded from its grading step into judging
        order.remove(jkey)
        order.append(jkey)
    grade_tokens = cfg.grade_max_new_tokens * 0.6
    judge_tokens = cfg.judge_max_new_tokens * 0.5
    steps: list[PlanStep] = []
    loaded: set[tuple[str, ...]] = set()
    for key in order:
        group = groups[key]
        first = group[0]
        sp = speed(first)
        requests = n_items * cfg.repeats * len(group)
        secs = sp.load_s + requests * grade_tokens / sp.tokens_per_s
        loaded.add(key)
        steps.append(_step("grade", group, requests, gpu_gb, secs))
    sp = speed(judge)
    judge_requests = n_items * cfg.repeats * len(models)
    judge_load = 0.0 if jkey in loaded else sp.load_s
    steps.append(_step("judge", [judge], judge_requests, gpu_gb, judge_load + judge_requests * judge_tokens / sp.tokens_per_s))
    if cfg.pairwise and len(models) > 1:
        pairs = len(models) * (len(models) - 1) // 2
        requests = 2 * pairs * n_items * cfg.repeats
        steps.append(_step("pairwise", [judge], requests, gpu_gb, requests * judge_tokens * 0.6 / sp.tokens_per_s))
    return steps


def _mark_releases(steps: list[PlanStep], gpu_gb: float, ram_gb: float) -> None:
    """Release a local engine before the next one when both would not fit together."""
    for cur, nxt in zip(steps, steps[1:]):
        cur_p, nxt_p = get_profile(cur.profiles[0]), get_profile(nxt.profiles[0])
        if engine_key(cur_p) == engine_key(nxt_p) or cur.engine in ("openai", "rules"):
            continue
        gpu_pair = on_gpu(cur_p) and on_gpu(nxt_p)
        budget = gpu_gb if gpu_pair else ram_gb
        need = sum(budget if m is None else m for m in (cur.memory_gb, nxt.memory_gb))
        if "vllm" in (cur.engine, nxt.engine) and gpu_pair or need > budget * 0.9:
            cur.release_after = True


def _memory_notes(steps: list[PlanStep], gpu_steps: list[PlanStep], has_gpu: bool, gpu_gb: float,
                  ram_gb: float) -> list[PlanNote]:
    """Notes for GPU steps planned on a machine without one, and for steps that need more memory than there is."""
    said: list[PlanNote] = []
    if gpu_steps and not has_gpu:
        said.append(PlanNote(key="cmp_note_no_gpu", values={"gb": f"{REFERENCE_GPU_GB:g}"}))
    for s in steps:
        if s.memory_gb is not None and s.engine in ("transformers", "vllm"):
            budget = gpu_gb if on_gpu(get_profile(s.profiles[0])) else ram_gb
            if s.memory_gb > budget:
                said.append(PlanNote(key="cmp_note_memory", values={"who": " + ".join(s.profiles),
                                                                     "need": f"{s.memory_gb:g}", "have": f"{budget:.0f}"}))
    return said


def _cannot_run_notes(profiles: list[ModelProfile]) -> list[PlanNote]:
    """A note for each profile that cannot run here, with its reason (once per profile)."""
    from core.engines import check_profile

    said: list[PlanNote] = []
    cannot: set[str] = set()
    for p in profiles:
        status = check_profile(p)
        if not status.ok and p.name not in cannot:
            cannot.add(p.name)
            said.append(PlanNote(key="cmp_note_cannot_run", values={"name": p.name, "reason": status.reason or "",
                                                                    "why": ",".join(status.why or ("config",))}))
    return said


def make_plan(cfg: CompareConfig, n_items: int, gpu_gb: float | None = None) -> ComparePlan:
    """Plan a comparison; raises ProfileError naming an unknown profile and the known ones.

    ``gpu_gb`` plans for a card of that size instead of the one here (or the 16 GB reference card).
    """
    models = [get_profile(m) for m in cfg.models]
    judge = get_profile(cfg.judge)
    if engine_kind(judge) == "rules":
        raise ProfileError(f"the judge {judge.name!r} is the no-LLM rules profile; pick an LLM profile as judge "
                           "(for example 'offline' here, or 'judge' on a server)")
    detected_gb, has_gpu = _gpu_gb()
    gpu_gb = gpu_gb or detected_gb
    ram_gb = _available_ram_gb()
    steps = _steps(cfg, models, judge, n_items, gpu_gb)
    _mark_releases(steps, gpu_gb, ram_gb)
    gpu_steps = [s for s in steps if s.engine == "vllm" or (s.engine == "transformers" and on_gpu(get_profile(s.profiles[0])))]
    said = _memory_notes(steps, gpu_steps, has_gpu, gpu_gb, ram_gb) + _cannot_run_notes([*models, judge])
    if cfg.temperature == 0 and cfg.repeats > 1:
        said.append(PlanNote(key="cmp_note_temperature"))
    return ComparePlan(steps=steps, seconds=round(sum(s.seconds for s in steps), 1),
                       memory_budget_gb=round(gpu_gb if gpu_steps else ram_gb, 1),
                       notes=[_note(n, "en") for n in said], said=said)
