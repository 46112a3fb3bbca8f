"""Readers for other systems' export files. They parse; the services store."""
