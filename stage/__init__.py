"""The pitch round's pages: rounds and shortlist, running order, stage controls and the
public stage screen (the services live in `judging.rounds`)."""
