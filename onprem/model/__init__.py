"""Local GGUF models: the registry of files and the one runtime interface over llama-cpp-python."""
