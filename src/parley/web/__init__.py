"""HTTP: the Litestar application, its routes and the shapes of its answers."""
