"""The central service: its database (PostgreSQL in production, SQLite embedded) and the sync rules."""
