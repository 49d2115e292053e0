"""Demo data: the real 2025 tour with sample ideas and scores (`flask --app app seed-demo`)."""
