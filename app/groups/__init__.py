"""Claim groups: statements that make the same claim, kept together (issue 17)."""
