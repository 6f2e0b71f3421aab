"""Skills named in a text, with where they are (for quoting). Uses the project's taxonomy when present."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SkillHit:
    name: str
    start: int
    end: int


# A small taxonomy used only while core.facts is not available.
_FALLBACK = {
    "Python": r"python", "Java": r"java(?!script)", "JavaScript": r"javascript|\bjs\b", "TypeScript": r"typescript",
    "Go": r"golang|\bgo\b(?=\s*(?:,|/|\)|lang|developer|разработ))", "C++": r"c\+\+", "C#": r"c#|\.net",
    "SQL": r"\bsql\b", "PostgreSQL": r"postgres(?:ql)?", "MySQL": r"mysql", "MongoDB": r"mongo(?:db)?",
    "Redis": r"redis", "Kafka": r"kafka", "RabbitMQ": r"rabbitmq", "Celery": r"celery", "Docker": r"docker",
    "Kubernetes": r"kubernetes|\bk8s\b", "AWS": r"\baws\b", "GCP": r"\bgcp\b|google cloud", "Azure": r"azure",
    "Linux": r"linux", "Git": r"\bgit\b", "CI/CD": r"ci\s*/\s*cd", "Terraform": r"terraform", "Django": r"django",
    "Flask": r"flask", "FastAPI": r"fastapi", "REST": r"\brest(?:ful)?\b", "GraphQL": r"graphql",
    "React": r"react", "Vue": r"\bvue", "Angular": r"angular", "Node.js": r"node\.?js", "PyTorch": r"pytorch",
    "TensorFlow": r"tensorflow", "scikit-learn": r"scikit-learn|sklearn", "pandas": r"pandas", "NumPy": r"numpy",
    "Spark": r"spark", "Airflow": r"airflow", "dbt": r"\bdbt\b", "Hadoop": r"hadoop", "ClickHouse": r"clickhouse",
    "Elasticsearch": r"elasticsearch", "LLM": r"\bllms?\b", "RAG": r"\brag\b", "LoRA": r"\b(?:q)?lora\b",
    "Transformers": r"transformers", "vLLM": r"vllm", "LangChain": r"langchain", "MLOps": r"mlops",
    "Microservices": r"microservice|микросервис", "Tableau": r"tableau", "Power BI": r"power\s*bi",
}
_FALLBACK_RE = {name: re.compile(pattern, re.I) for name, pattern in _FALLBACK.items()}


def _fallback(text: str) -> dict[str, SkillHit]:
    hits = []
    for name, pattern in _FALLBACK_RE.items():
        m = pattern.search(text)
        if m:
            hits.append(SkillHit(name, m.start(), m.end()))
    return {h.name: h for h in sorted(hits, key=lambda h: h.start)}


def find_skills(text: str) -> dict[str, SkillHit]:
    """Skill name -> first mention, in order of appearance."""
    return _fallback(text)
