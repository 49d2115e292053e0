"""Accounts: organisers and jury members, sign-in, throttling, one-time jury links."""
