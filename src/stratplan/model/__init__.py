"""The model: the plan and contributions as pydantic models, the facts declared on their
fields, and what is computed from them (display numbers, Appendix A arithmetic)."""

from stratplan.model.plan import FOOTNOTE_REF, Plan, plan_file_schema

__all__ = ["FOOTNOTE_REF", "Plan", "plan_file_schema"]
