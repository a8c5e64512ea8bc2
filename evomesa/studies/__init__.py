"""Replicated studies of single worlds, used by the examples: evolution runs per condition,
measured generation by generation and at the end (they may read evolved genes to explain
behaviour, so they live outside ``evomesa.worlds``, whose modules never do)."""
