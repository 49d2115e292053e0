"""E-mail templates organisers edit per event and language (receipt, registration, results,
reminders): a sandboxed text with listed variables, previewed and test-sent through the outbox."""
