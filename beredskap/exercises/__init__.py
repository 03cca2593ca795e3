"""Exercises: scenarios, the dreiebok, the runner, observations and evaluation."""
