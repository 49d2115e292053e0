"""The audience prize: a public vote by phone during the event, one vote per participant."""
