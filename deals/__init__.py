"""Deals: where each assessment's sale stands, from qualifying to Won or Lost."""
