"""Test material only: the test PKI and timestamp authority, signed test documents and
the document factory with ground truth.

Used by tests/, bench/ and scripts/build_samples.py. The product packages (evrak, docgen,
verifiers, worker) never import it: the demo and the service use the prebuilt samples in
samples/, so an installation needs neither the test keys nor the generators.
"""
