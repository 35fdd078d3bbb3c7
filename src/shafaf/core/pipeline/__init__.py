"""The campaign job (intake → eligibility → marks → merit → seats → audit → outputs → ledger)."""

from shafaf.core.pipeline.outputs import PUBLISHED, publish
from shafaf.core.pipeline.run import RunInputs, RunState, run_campaign

__all__ = ["PUBLISHED", "RunInputs", "RunState", "publish", "run_campaign"]
