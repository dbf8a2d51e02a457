"""Reproducible comparisons of sksearch against the tools users would pick instead."""
