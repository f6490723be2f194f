"""saidwhat: who said what, about what, when, and through whom."""

from saidwhat.schema import SCHEMA_VERSION, Analysis, Article, Entity, Statement

__version__ = "0.1.0"
__all__ = ["SCHEMA_VERSION", "Analysis", "Article", "Entity", "Statement", "__version__"]
