"""Data tables the app computes with, each value with its published source."""
