"""Registrations: signing up for a series without an account, the waiting list, attendance."""
