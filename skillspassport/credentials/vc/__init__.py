"""Verifiable credentials, pure Python (no Django): JSON-LD contexts, canonicalisation,
Ed25519 keys, the eddsa-rdfc-2022 cryptosuite, Bitstring Status Lists and verification.

Nothing here touches the network: contexts come from files pinned by SHA-256, and keys are
resolved by a function the caller supplies.
"""
