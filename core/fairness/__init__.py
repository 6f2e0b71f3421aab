"""Fairness probe: do scores move when only the candidate's name and gender markers change?

names (the team's lists) -> counterfactual (copies of a resume) -> probe (screened through the screening
service) -> metrics (pure figures) -> views and charts (what people read)."""

from core.fairness.metrics import CopyScore, FairnessFigures, summarize
from core.fairness.probe import FairnessError, FairnessReport, ProbeConfig, run_probe
from core.samples import sample_resumes

__all__ = ["CopyScore", "FairnessError", "FairnessFigures", "FairnessReport", "ProbeConfig", "run_probe",
           "sample_resumes", "summarize"]
