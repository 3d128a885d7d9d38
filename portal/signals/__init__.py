"""Search signals: what customers searched, opened and voted, and what failed."""
