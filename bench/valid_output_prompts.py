"""50 grading prompts for the engine benchmarks: 10 interview questions x 5 answers of different quality.

Written for these benchmarks (not taken from any evaluation set). Each item is rendered with the
product's own grading prompt (core.services.grading.grade_messages).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    question: str
    reference: str
    answer: str
    kind: str  # good | partial | wrong | off_topic | short


_QUESTIONS = [
    ("What is a Python decorator?",
     "A function that takes a function and returns a wrapped one, adding behaviour (logging, caching, checks) "
     "without changing the original code; applied with @.",
     ["A decorator takes a function and returns a new function that wraps it, so you can add logging or caching "
      "around calls without editing the function. You apply it with @name above the def.",
      "It is something you put with @ above a function to change it.",
      "A decorator is a class that makes variables private in Python.",
      "I like to decorate my room with plants and posters.",
      "Wrapper."]),
    ("What is the difference between a list and a tuple in Python?",
     "Lists are mutable, tuples immutable; tuples are hashable (usable as dict keys) when their items are; "
     "tuples suit fixed records, lists growing collections.",
     ["A list can be changed after creation while a tuple cannot; because tuples are immutable they can be "
      "dictionary keys, and they fit fixed records like coordinates.",
      "Tuples use round brackets and lists square brackets.",
      "A tuple is faster because it is stored on the GPU.",
      "My favourite food is pasta with tomatoes.",
      "Mutability."]),
    ("How does a Python generator save memory?",
     "It yields items one at a time, keeping only its current state instead of building the whole sequence in memory.",
     ["A generator produces values lazily with yield, so only the current item and the function state live in "
      "memory, not the whole list; good for large files or infinite streams.",
      "It uses yield instead of return.",
      "Generators compress data with zip before storing it.",
      "The weather is sunny and warm today.",
      "Lazy."]),
    ("What is the GIL and when does it matter?",
     "CPython's global interpreter lock lets one thread run Python bytecode at a time; it limits CPU-bound "
     "threads, not I/O-bound ones; use processes or native extensions for CPU work.",
     ["The GIL is a lock in CPython that allows only one thread to execute bytecode at once, so CPU-heavy "
      "threads do not run in parallel; for I/O-bound work threads are still fine, and multiprocessing helps CPU work.",
      "It is a lock in Python that slows threads.",
      "The GIL is the garbage collector that deletes global variables.",
      "Football is the most popular sport in the world.",
      "A lock."]),
    ("Explain what an index in a relational database does.",
     "An index is a data structure (usually a B-tree) that lets the database find rows by key without scanning "
     "the table; it speeds reads and costs space and slower writes.",
     ["An index, usually a B-tree, lets the database jump to rows matching a key instead of scanning every row; "
      "reads get faster but inserts and updates get slower and it takes disk space.",
      "It makes queries faster.",
      "An index sorts the table alphabetically every night.",
      "Cats sleep for most of the day.",
      "Speed."]),
    ("What is attention in a transformer model?",
     "Each token builds a weighted mix of other tokens' values, with weights from softmax of query-key dot "
     "products, so the model relates words regardless of distance.",
     ["For every token the model computes queries, keys and values; softmax of query-key dot products gives "
      "weights, and the output is the weighted sum of values, so distant words can influence each other.",
      "Attention means the model looks at important words.",
      "Attention is a dropout layer that removes half of the tokens.",
      "I went hiking in the mountains last weekend.",
      "Weights."]),
    ("What are LoRA adapters and why use them?",
     "LoRA freezes the base weights and trains small low-rank matrices added to chosen layers, so fine-tuning "
     "needs far less memory and the adapter files are small and swappable.",
     ["LoRA keeps the pretrained weights frozen and learns two small low-rank matrices per target layer whose "
      "product is added to the weight; it trains few parameters, needs less GPU memory, and adapters are small files.",
      "LoRA is a way to fine-tune big models cheaply.",
      "LoRA is a long-range radio protocol used to train models over Wi-Fi.",
      "Roses are red and violets are blue.",
      "Adapters."]),
    ("How would you find why a RAG assistant gives irrelevant answers?",
     "Check retrieval first (are the right chunks retrieved: recall on labelled queries, chunking, embeddings, "
     "filters), then the prompt and generation; log queries and retrieved context.",
     ["First I would check retrieval: log the retrieved chunks for failing questions and measure recall on a "
      "small labelled set; bad chunking or a weak embedding model are common causes; only then look at the prompt.",
      "I would try a bigger model.",
      "Irrelevant answers come from the GPU being too hot, so I would cool it.",
      "The best pizza has a thin crust and fresh basil.",
      "Retrieval."]),
    ("What would you monitor for an LLM service besides latency and 5xx errors?",
     "Token throughput and queue length, GPU memory and utilisation, time to first token, output quality "
     "(sampled evaluations, user feedback), cost per request, safety and refusal rates, drift in inputs.",
     ["Time to first token, tokens per second, queue depth and GPU memory; plus quality signals such as sampled "
      "judge scores and user feedback, cost per request, and drift in the kinds of questions users ask.",
      "CPU usage.",
      "I would monitor the colour of the dashboard.",
      "My grandmother bakes excellent apple pies.",
      "Quality."]),
    ("Why use a virtual environment in Python projects?",
     "It isolates each project's packages and versions from the system and other projects, so installs are "
     "reproducible and conflicts are avoided.",
     ["A virtual environment gives each project its own interpreter and site-packages, so dependency versions do "
      "not clash between projects and a requirements file reproduces the same setup elsewhere.",
      "To install packages.",
      "Virtual environments make Python code run in a virtual machine for security.",
      "The ocean covers most of the planet.",
      "Isolation."]),
]

KINDS = ("good", "partial", "wrong", "off_topic", "short")
PROMPTS = [Item(q, ref, answer, kind) for q, ref, answers in _QUESTIONS for answer, kind in zip(answers, KINDS)]
assert len(PROMPTS) == 50


def messages(item: Item, with_schema: bool = True) -> tuple:
    """The product's grading prompt for one item; ``with_schema`` adds the JSON schema to the user message
    (how prompt-only JSON is usually asked for; the constrained run gets the same text)."""
    from core.engines import Message
    from core.schemas import GradeAssessment
    from core.services.grading import grade_messages

    msgs = list(grade_messages(item.question, item.answer, item.reference))
    if with_schema:
        schema = json.dumps(GradeAssessment.model_json_schema(), ensure_ascii=False)
        msgs[-1] = Message("user", msgs[-1].content + f"\n\nReply with only a JSON object matching this JSON schema:\n{schema}")
    return tuple(msgs)
