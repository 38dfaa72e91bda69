"""Language-model planners: providers behind one protocol, a fallback chain, prompts.

The SDKs (``openai``, ``google-genai``, ``anthropic``) are optional extras, imported
only when their provider is first used.
"""

from lgda_nb.llm._planner import LLMPlanner, ProviderCall
from lgda_nb.llm._prompt import Example, ExampleStore, examples_path
from lgda_nb.llm._provider import Completion, Provider, ProviderError, TransientProviderError
from lgda_nb.llm._providers import DEFAULT_MODELS, create_provider

__all__ = [
    "DEFAULT_MODELS",
    "Completion",
    "Example",
    "ExampleStore",
    "LLMPlanner",
    "Provider",
    "ProviderCall",
    "ProviderError",
    "TransientProviderError",
    "create_provider",
    "examples_path",
]
