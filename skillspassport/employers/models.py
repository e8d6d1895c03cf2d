"""Employers, roles and opportunities (models to come)."""
