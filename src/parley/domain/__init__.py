"""Plain data and pure rules shared by every layer. Imports nothing of ours."""
