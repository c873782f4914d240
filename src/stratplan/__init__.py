"""stratplan: a strategic plan as code: validate, render and redline it."""

__version__ = "0.1.0"
