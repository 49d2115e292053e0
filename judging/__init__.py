"""Judging: score sheets on tablets, the ranking, deliberation and published results."""
