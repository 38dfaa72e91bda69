"""Language-model planners: providers behind one protocol, a fallback chain, prompts."""

from lgda_nb.llm._provider import Completion, Provider, ProviderError, TransientProviderError

__all__ = ["Completion", "Provider", "ProviderError", "TransientProviderError"]
