"""Notebook front-ends: IPython magics and rich display of results and errors."""
