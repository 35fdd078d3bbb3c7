"""Shafaf (شفاف): open, explainable merit recruitment for public services."""

__version__ = "0.1.0"
