"""Model backends, one module each, registered through the plugin hook `register_backends`:
llama (in-process GGUF through llama-cpp-python) and scripted (replies from a list or a file, for tests)."""
