"""Grading datasets: read, guard against evaluation data, build, check."""

from training.dataset.build import BuiltDataset, build_dataset, build_from_bytes, load_built, resolve_path
from training.dataset.report import DatasetReport, check_dataset, check_report
from training.dataset.rows import DatasetError, GradeExample, RowProblem, read_path, read_table

__all__ = [
    "BuiltDataset",
    "DatasetError",
    "DatasetReport",
    "GradeExample",
    "RowProblem",
    "build_dataset",
    "build_from_bytes",
    "check_dataset",
    "check_report",
    "load_built",
    "read_path",
    "read_table",
    "resolve_path",
]
