"""The `ssm` source: every parameter under a path, recursively, SecureStrings decrypted.

Two ways to read a path, chosen per path (`strategy`, default `auto`):

- `by-path`: GetParametersByPath pages of 10, one after another (each page needs the last
  one's token): N / 10 calls in sequence. Fewest calls; for a large path, as slow as N / 10
  round trips.
- `by-name`: DescribeParameters lists the names (50 a page, in sequence) while GetParameters
  fetches the values (10 names a call) on a few threads as the names arrive: N / 50 + N / 10
  calls (1.2x), but only N / 50 of them in sequence. With a previous scan, the names it saw are
  fetched at once, while the listing looks for new ones.

`auto` reads a path that held more than three pages at the previous scan by name, and any
other by path; with no previous scan of the path it reads up to three pages by path and, if
the path has more, goes on by name (the names already read are not fetched again). Below four
pages, listing costs more calls than it saves round trips. Every SSM request
of a scan is paced (drift.platform.aws.PACED) to stay inside SSM's default throughput.
benchmarks/README.md has the measurements and the calls each strategy makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ClassVar

from drift.collectors.aws.base import AWS_OPTIONS, AwsCollector
from drift.collectors.base import CollectorError, Option, SourceConfig, SourceData
from drift.model import Entry
from drift.platform.aws import aws_errors, iso

#: GetParametersByPath's largest page, and GetParameters' largest batch of names.
PAGE_SIZE = 10
#: DescribeParameters' largest page (and its limit on Name filter values).
DESCRIBE_BATCH = 50
#: Threads fetching values for one path read by name: with the pacing at 40 requests a
#: second and round trips of 50-100 ms, four keep the pace busy.
FETCHERS = 4
STRATEGIES = ("auto", "by-path", "by-name")
#: `auto` reads by name a path larger than this many pages (by the previous scan, or found
#: while reading it): from four pages on, the listing adds at most a quarter to the calls.
BY_PATH_PAGES = 3


def key_for(name: str, path: str) -> str:
    """The key of a parameter: its name after `path`, leading `/` dropped, `/` turned to `_`."""
    rest = name[len(path) :] if name.startswith(path) else name
    return rest.lstrip("/").replace("/", "_")


def normalise_path(path: str) -> str:
    """`/mre/production` and `/mre/production/` name the same path."""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


class SsmCollector(AwsCollector):
    """A path's parameters, by path or by name (see the module docstring)."""

    kind: ClassVar[str] = "ssm"
    options: ClassVar[dict[str, Option]] = {
        "path": Option((str,), required=True, help="parameter path, e.g. /mre/production/"),
        "strategy": Option((str,), help="auto (default), by-path or by-name: how a path is read"),
        **AWS_OPTIONS,
    }

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        problems = super().check_options(options)
        if options.get("strategy", "auto") not in STRATEGIES:
            problems.append(f"`strategy` must be one of {', '.join(STRATEGIES)}")
        return problems

    @classmethod
    def namespaces(cls, source: SourceConfig) -> tuple[str, ...]:
        return (f"ssm:{normalise_path(str(source.options['path']))}",)

    def name(self) -> str:
        return f"ssm:{normalise_path(str(self.source.options['path']))}"

    def collect(self) -> SourceData:
        path = normalise_path(str(self.source.options["path"]))
        if not path.startswith("/"):
            raise CollectorError("an SSM path starts with '/'")
        strategy = str(self.source.options.get("strategy", "auto"))
        seen = self._previous_names(path)
        authors: dict[str, str] | None = None
        with aws_errors("reading parameters"):
            client = self.client("ssm")
            if strategy == "by-name" or (strategy == "auto" and len(seen) > BY_PATH_PAGES * PAGE_SIZE):
                parameters, authors = self._by_name(client, path, seen, {})
            elif strategy == "by-path" or seen:
                parameters, _ = self._by_path(client, path)
            else:  # auto, a path not seen before: its first pages tell whether it is small
                parameters, more = self._by_path(client, path, pages=BY_PATH_PAGES)
                if more:
                    parameters, authors = self._by_name(client, path, [], parameters)
        entries = [self._entry(parameters[name], path) for name in sorted(parameters)]
        if authors is None:
            with aws_errors("describing changed parameters"):
                authors = self._authors(client, self._moved(entries))
        return SourceData(self._with_authors(entries, authors))

    def _previous_names(self, path: str) -> list[str]:
        """The names of this path's parameters at the previous saved scan."""
        names = (str(m.get("name", "")) for m in self.context.previous.values())
        return sorted(name for name in names if name.startswith(path))

    def _by_path(self, client: Any, path: str, pages: int | None = None) -> tuple[dict[str, dict[str, Any]], bool]:
        """GetParametersByPath, page after page (at most `pages` of them); the parameters by
        name, and whether the path has more than was read."""
        found: dict[str, dict[str, Any]] = {}
        paginated = client.get_paginator("get_parameters_by_path").paginate(
            Path=path.rstrip("/") or "/",
            Recursive=True,
            WithDecryption=True,
            PaginationConfig={"PageSize": PAGE_SIZE},
        )
        for number, page in enumerate(paginated, start=1):
            found.update((str(p["Name"]), p) for p in page.get("Parameters", []))
            self.tally.add(len(page.get("Parameters", [])), requests=1)
            if number == pages:
                return found, bool(page.get("NextToken"))
        return found, False

    def _by_name(
        self, client: Any, path: str, known: Sequence[str], have: Mapping[str, dict[str, Any]]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """List the names (DescribeParameters) while fetching values (GetParameters) on a few
        threads; names the previous scan saw are fetched before the listing reaches them.
        Returns the parameters by name and who last changed each (from the listing)."""
        found = dict(have)
        queued = set(found)
        authors: dict[str, str] = {}
        futures: list[Future[dict[str, Any]]] = []
        with ThreadPoolExecutor(max_workers=FETCHERS, thread_name_prefix="drift-ssm") as pool:

            def fetch(names: Iterable[str]) -> None:
                batch = [name for name in names if name not in queued]
                queued.update(batch)
                for start in range(0, len(batch), PAGE_SIZE):
                    future = pool.submit(
                        client.get_parameters, Names=batch[start : start + PAGE_SIZE], WithDecryption=True
                    )
                    future.add_done_callback(self._counted)
                    futures.append(future)

            fetch(known)
            listing = client.get_paginator("describe_parameters").paginate(
                ParameterFilters=[{"Key": "Path", "Option": "Recursive", "Values": [path.rstrip("/") or "/"]}],
                PaginationConfig={"PageSize": DESCRIBE_BATCH},
            )
            for page in listing:
                self.tally.add(requests=1)
                names = []
                for parameter in page.get("Parameters", []):
                    names.append(str(parameter["Name"]))
                    if parameter.get("LastModifiedUser"):
                        authors[str(parameter["Name"])] = str(parameter["LastModifiedUser"])
                fetch(names)
            for future in futures:
                found.update((str(p["Name"]), p) for p in future.result().get("Parameters", []))
        return found, authors

    def _counted(self, future: Future[dict[str, Any]]) -> None:
        """A GetParameters call done: its parameters count as read (a failed call is raised
        where its result is read)."""
        if not future.cancelled() and future.exception() is None:
            self.tally.add(len(future.result().get("Parameters", [])), requests=1)

    def _moved(self, entries: list[Entry]) -> list[Entry]:
        """The entries whose version moved since the previous saved scan."""
        previous = self.context.previous
        return [e for e in entries if previous.get(e.key, {}).get("version") not in (None, e.metadata.get("version"))]

    @staticmethod
    def _authors(client: Any, moved: list[Entry]) -> dict[str, str]:
        """Who changed each moved parameter (DescribeParameters, 50 names a call): nothing is
        asked when nothing moved."""
        authors: dict[str, str] = {}
        for start in range(0, len(moved), DESCRIBE_BATCH):
            names = [str(e.metadata["name"]) for e in moved[start : start + DESCRIBE_BATCH]]
            answer = client.describe_parameters(
                ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": names}], MaxResults=DESCRIBE_BATCH
            )
            for parameter in answer.get("Parameters", []):
                if parameter.get("LastModifiedUser"):
                    authors[str(parameter["Name"])] = str(parameter["LastModifiedUser"])
        return authors

    def _with_authors(self, entries: list[Entry], authors: Mapping[str, str]) -> list[Entry]:
        """`changed_by` on the entries whose version moved since the previous saved scan."""
        moved = {str(e.metadata["name"]) for e in self._moved(entries)}
        return [
            e._replace(metadata={**e.metadata, "changed_by": authors[name]})
            if (name := str(e.metadata.get("name"))) in moved and name in authors
            else e
            for e in entries
        ]

    def _entry(self, parameter: dict[str, object], path: str) -> Entry:
        name = str(parameter["Name"])
        kind = str(parameter.get("Type", "String"))
        return Entry(
            key=key_for(name, path),
            value=str(parameter.get("Value", "")),
            source=f"ssm:{name}",
            location=str(parameter.get("ARN") or name),
            store_secret=kind == "SecureString",
            plaintext_store=kind != "SecureString",
            metadata={
                "type": kind,
                "version": parameter.get("Version"),
                "last_changed": iso(parameter.get("LastModifiedDate")),
                "name": name,
            },
        )
