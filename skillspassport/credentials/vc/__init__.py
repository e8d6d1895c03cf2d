"""Verifiable credentials, pure Python (no Django): reading JSON with limits (jsonparse), JSON-LD
contexts and bounded canonicalisation (contexts, canon), Ed25519 keys, the eddsa-rdfc-2022 and
eddsa-jcs-2022 cryptosuites with proof sets and chains (eddsa), the VC Data Model's rules
(validate), getting a credential ready to sign (issue), Bitstring Status Lists and verification.

Nothing here touches the network: contexts come from files pinned by SHA-256, and keys, status
lists and the trust registry are consulted through functions the caller supplies.
"""
