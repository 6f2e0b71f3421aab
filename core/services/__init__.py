"""Use cases: screen(), grade, questions, compare. Batches, progress, cache and store live here."""
