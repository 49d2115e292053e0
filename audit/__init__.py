"""The audit log: who changed what, when, old → new. One table for every package."""
