"""Synthetic demo data at scale, for benchmarks: clearly marked, never mistaken for news."""

from app.demo.generate import generate

__all__ = ["generate"]
