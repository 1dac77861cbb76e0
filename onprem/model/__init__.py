"""Models: the one interface (base.py), structured output, the registry of files, the factory, and one module per backend."""
