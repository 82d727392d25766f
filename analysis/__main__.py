"""`python -m analysis`: the command line (analysis/cli/)."""

import sys

from analysis.cli import main
from analysis.lifetime import end_with_parent_in_env

if __name__ == "__main__":
    end_with_parent_in_env()  # a run started by the app (ui/runs.py) ends with it
    sys.exit(main())
