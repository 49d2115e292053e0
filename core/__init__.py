"""Site-wide pieces: health check, vendored assets served from packages, error pages."""
