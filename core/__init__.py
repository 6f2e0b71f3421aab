"""hirelab core: all domain logic, no UI imports."""

__version__ = "0.1.0"
