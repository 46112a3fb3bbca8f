"""Routes grouped by trust: public (anyone), author (holders of an author token)."""
