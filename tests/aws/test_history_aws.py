"""History in S3, SNS notifications, and SSM's "who changed it", against moto's server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.aws.conftest import Aws, write_project
from tests.conftest import run

AWS = 'aws = { region = "us-east-1", retry_mode = "standard" }'


def test_s3_history(aws: Aws, tmp_path: Path) -> None:
    aws.client("s3").create_bucket(Bucket="drift-history")
    aws.put_parameters({"/p/A": "1"})
    write_project(
        tmp_path,
        "A=1\nB=1\n",
        '[drift]\nhistory = "s3://drift-history/mre/nightly"\n'
        f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "/p/" }}]\n',
    )
    config = str(tmp_path / "drift.toml")
    run(["scan", "--config", config], expect=1)
    aws.put_parameters({"/p/B": "1"})
    run(["scan", "--config", config], expect=0)
    listed = json.loads(run(["history", "--config", config, "--format", "json"], expect=0).stdout)
    assert [row["error"] for row in listed] == [0, 1]
    document = json.loads((tmp_path / "reports" / "drift-report.json").read_text())
    assert [f["id"] for f in document["resolved"]] == ["missing:p:B"]
    keys = [o["Key"] for o in aws.client("s3").list_objects_v2(Bucket="drift-history")["Contents"]]
    assert "mre/nightly/meta.json" in keys and sum(k.startswith("mre/nightly/scans/") for k in keys) == 2
    old = json.loads(
        run(["report", "--config", config, "--scan", listed[1]["id"], "--format", "json"], expect=0).stdout
    )
    assert [f["id"] for f in old["findings"]] == ["missing:p:B"]


def test_sns_notification(aws: Aws, tmp_path: Path) -> None:
    sns, sqs = aws.client("sns"), aws.client("sqs")
    topic = sns.create_topic(Name="drift")["TopicArn"]
    queue = sqs.create_queue(QueueName="drift-alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    (tmp_path / "p.env").write_text("API_TOKEN=CANARY-sns-token\n")
    write_project(
        tmp_path,
        "A=1\nAPI_TOKEN=\n",
        f'[environments.p]\nsources = [{{ type = "dotenv", path = "p.env" }}]\n[notify]\nsns_topic_arn = "{topic}"\n',
    )
    run(["scan", "--config", str(tmp_path / "drift.toml")], expect=1)
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    assert len(messages) == 1
    body = json.loads(messages[0]["Body"])
    assert "1 new finding" in body["Message"] and "missing" in body["Message"]
    assert "CANARY" not in messages[0]["Body"]


def test_who_changed_is_asked_only_for_changed_parameters(aws: Aws, tmp_path: Path) -> None:
    aws.put_parameters({f"/p/K{i}": "1" for i in range(12)})
    write_project(tmp_path, "", f'[environments.p]\n{AWS}\nsources = [{{ type = "ssm", path = "/p/" }}]\n')
    config = str(tmp_path / "drift.toml")
    run(["scan", "--config", config], expect=0)
    aws.proxy.reset()
    run(["scan", "--config", config], expect=0)
    unchanged_calls = aws.proxy.calls("ssm")
    assert aws.proxy.calls("ssm", "DescribeParameters") == 0
    aws.put_parameters({"/p/K3": "2"})
    aws.proxy.reset()
    run(["scan", "--config", config], expect=0)
    assert aws.proxy.calls("ssm", "DescribeParameters") == 1
    assert aws.proxy.calls("ssm") == unchanged_calls + 1
    document = json.loads((tmp_path / "reports" / "drift-report.json").read_text())
    changed = next(f for f in document["findings"] if f["rule"] == "changed")
    assert changed["key"] == "K3" and " by " in changed["message"]


def test_s3_history_with_a_malformed_bucket_name(aws: Aws, tmp_path: Path) -> None:
    write_project(
        tmp_path,
        "A=1\n",
        '[drift]\nhistory = "s3://Not_A_Valid!Bucket/x"\n[environments.p]\nsources = [{ type = "process" }]\n',
    )
    config = str(tmp_path / "drift.toml")
    for command in (["history"], ["scan"], ["report"]):
        assert "s3://Not_A_Valid!Bucket/x" in run([*command, "--config", config], expect=2).stderr


def test_an_unreachable_s3_history(aws: Aws, tmp_path: Path) -> None:
    write_project(
        tmp_path,
        "A=1\n",
        '[drift]\nhistory = "s3://drift-history/x"\n[environments.p]\nsources = [{ type = "process" }]\n',
    )
    config = str(tmp_path / "drift.toml")
    unreachable = {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"}
    for command in (["history"], ["scan"]):  # unreachable is unavailable, like a source: exit 3
        result = run([*command, "--config", config], expect=3, env=unreachable)
        assert "s3://drift-history/x" in result.stderr and "Traceback" not in result.stderr


def test_a_throttled_s3_history_is_unavailable_not_a_configuration_error(aws: Aws, tmp_path: Path) -> None:
    from devtools.aws_local import Fault

    aws.client("s3").create_bucket(Bucket="drift-history")
    write_project(
        tmp_path,
        "A=1\n",
        '[drift]\nhistory = "s3://drift-history/x"\n[environments.p]\nsources = [{ type = "process" }]\n',
    )
    aws.proxy.plan.faults += [Fault("s3", "throttle", times=50)]
    result = run(["history", "--config", str(tmp_path / "drift.toml")], expect=3)
    assert "s3://drift-history/x" in result.stderr and "Traceback" not in result.stderr
