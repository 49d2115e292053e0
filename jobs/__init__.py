"""Background jobs (rq on Redis, or in-process) and the e-mail outbox."""
