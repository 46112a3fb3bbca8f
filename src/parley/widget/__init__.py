"""The embeddable widget: static files served under /widget/."""
