"""The national bank of cooperative projects that the tour's winners feed."""
