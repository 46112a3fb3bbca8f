"""The moderator console: HTML pages under /admin and their JSON API under /api/v1/admin."""
