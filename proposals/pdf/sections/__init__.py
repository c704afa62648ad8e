"""The proposal's sections, each building its template's part of the context."""
