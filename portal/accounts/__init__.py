"""Staff accounts: users and their roles, sign-in checks and API tokens."""
