"""moto's server with one correction towards AWS: DescribeParameters pages by `MaxResults`.

moto 5 answers DescribeParameters ten parameters a page whatever `MaxResults` asks; AWS
documents `MaxResults` from 1 to 50 and answers up to 50. drift lists names 50 a page, so
with moto as it is every listing would cost five times the calls it costs on AWS, and the
benchmarks' call counts (benchmarks/README.md) would measure moto, not drift. Run as
`python devtools/moto_server.py HOST PORT`.
"""

from __future__ import annotations

import sys
from typing import Any

from moto.core.responses import ActionResult
from moto.ssm.responses import SimpleSystemManagerResponse

#: AWS's bounds for DescribeParameters' MaxResults, and its page size when none is given.
MAX_RESULTS = 50
DEFAULT_RESULTS = 10


def describe_parameters(self: SimpleSystemManagerResponse) -> ActionResult:
    """moto's own DescribeParameters, paged by MaxResults as AWS pages it."""
    page_size = min(max(int(self._get_param("MaxResults") or DEFAULT_RESULTS), 1), MAX_RESULTS)
    token = str(self._get_param("NextToken") or "0").strip() or "0"
    start = int(token)
    found = self.ssm_backend.describe_parameters(self._get_param("Filters"), self._get_param("ParameterFilters"))
    page = found[start : start + page_size]
    response: dict[str, Any] = {"Parameters": [p.describe_response_object(False) for p in page]}
    if start + page_size < len(found):
        response["NextToken"] = str(start + page_size)
    return ActionResult(response)


def main() -> None:
    from moto.server import main as serve

    SimpleSystemManagerResponse.describe_parameters = describe_parameters  # type: ignore[method-assign]
    host, port = sys.argv[1], sys.argv[2]
    serve(["-H", host, "-p", port])


if __name__ == "__main__":
    main()
