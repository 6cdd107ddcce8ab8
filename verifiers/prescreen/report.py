"""The pre-screening report is the assessment (evrak.assessment); report.json is its to_dict().

Kept as a name for the callers that speak of "the report" (worker.pipeline).
"""

from __future__ import annotations

from evrak.assessment import Assessment

PrescreenReport = Assessment

__all__ = ["PrescreenReport"]
