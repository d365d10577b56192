"""Smoke program of the generated Python client (gongkai_client), run by clients/check.sh
against a live server on a fresh database (the Kaiping 2021 plan).

Environment: GONGKAI_URL, GONGKAI_TOKEN (a coordinator of 开平市人民政府) and
GONGKAI_UNIT_TOKEN (a `unit` token of 公共服务中心). Exits non-zero on the first
broken expectation.

Local variables are annotated with the types the API promises, so mypy --strict checks
the generated types against them too.
"""

from __future__ import annotations

import datetime
import os
import sys
import uuid
from http import HTTPStatus
from typing import TypeVar

from gongkai_client import AuthenticatedClient
from gongkai_client.api.compliance import get_plan_compliance
from gongkai_client.api.evidence import create_evidence
from gongkai_client.api.plans import list_plans
from gongkai_client.api.tasks import list_tasks
from gongkai_client.models import (
    ActualCount,
    ComplianceReport,
    ComplianceStatus,
    CreateEvidenceRequest,
    EvidenceDto,
    FieldProblem,
    FindingDto,
    PlanDto,
    PlanList,
    Problem,
    ProblemCode,
    TaskDto,
    TaskList,
)
from gongkai_client.types import UNSET, Response, Unset

PAGE_SIZE = 10
TASKS_IN_PLAN = 54
TASK_NUMBER = 15  # 五, "at least 2 items a month"
UNIT = "公共服务中心"
AS_OF = datetime.date(2021, 3, 31)

T = TypeVar("T")
R = TypeVar("R")


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def expect(response: Response[R], status: HTTPStatus, kind: type[T]) -> T:
    """The parsed body of an answer with this status, of this type."""
    check(
        response.status_code == status,
        f"expected {status.value}, got {response.status_code.value}: "
        f"{response.content.decode(errors='replace')[:500]}",
    )
    parsed = response.parsed
    check(isinstance(parsed, kind), f"expected a {kind.__name__}, got {type(parsed).__name__}")
    assert isinstance(parsed, kind)
    return parsed


def client(token: str) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=os.environ["GONGKAI_URL"], token=token, raise_on_unexpected_status=True
    )


def the_plan(api: AuthenticatedClient) -> PlanDto:
    plans = expect(list_plans.sync_detailed(client=api), HTTPStatus.OK, PlanList)
    check(len(plans.items) >= 1, "no plan listed")
    plan = plans.items[0]
    check(plan.year == 2021, f"the first plan is of {plan.year}, not 2021")
    print(f"plans: {len(plans.items)}; plan {plan.id} is {plan.year} {plan.title}")
    return plan


def all_tasks(api: AuthenticatedClient, plan_id: int) -> list[TaskDto]:
    """Every task of the plan, a small page at a time, following next_cursor."""
    tasks: list[TaskDto] = []
    cursor: str | Unset = UNSET
    pages = 0
    while True:
        page = expect(
            list_tasks.sync_detailed(plan_id, client=api, limit=PAGE_SIZE, cursor=cursor),
            HTTPStatus.OK,
            TaskList,
        )
        pages += 1
        check(len(page.items) <= PAGE_SIZE, f"page {pages} holds {len(page.items)} tasks")
        tasks.extend(page.items)
        next_cursor: str | None = page.next_cursor
        if next_cursor is None:
            break
        check(pages < 100, "next_cursor never ends")
        cursor = next_cursor
    numbers = [task.number for task in tasks]
    check(len(tasks) == TASKS_IN_PLAN, f"{len(tasks)} tasks paged, expected {TASKS_IN_PLAN}")
    check(numbers == sorted(set(numbers)), "tasks repeated or out of order across pages")
    print(f"tasks: {len(tasks)} in {pages} pages of at most {PAGE_SIZE}")
    return tasks


def post_evidence_twice(unit_api: AuthenticatedClient, task: TaskDto) -> EvidenceDto:
    """Record March's items as the unit, then send the same request again: the replay."""
    key = f"clients-smoke-python-{uuid.uuid4()}"
    body = CreateEvidenceRequest(
        occurred_on=datetime.date(2021, 3, 15),
        title="疫情防控专栏更新2条（Python 客户端）",
        count=2,
    )
    first = create_evidence.sync_detailed(task.id, client=unit_api, body=body, idempotency_key=key)
    created = expect(first, HTTPStatus.CREATED, EvidenceDto)
    check(
        first.headers.get("Idempotent-Replayed") is None,
        "a first request answered as a replay",
    )
    again = create_evidence.sync_detailed(task.id, client=unit_api, body=body, idempotency_key=key)
    replayed = expect(again, HTTPStatus.CREATED, EvidenceDto)
    check(
        again.headers.get("Idempotent-Replayed") == "true",
        f"Idempotent-Replayed is {again.headers.get('Idempotent-Replayed')!r}",
    )
    check(replayed.id == created.id, f"the replay answered record {replayed.id}, not {created.id}")
    check(created.count == 2 and created.task_id == task.id, "the record is not what was sent")
    url: str | None = created.url  # always answered, null when none was given
    check(url is None, f"a record sent without url answers url {url!r}")
    print(f"evidence: record {created.id} for task {task.number} as {UNIT}; replayed with the same id")
    return created


def compliance_of_task(api: AuthenticatedClient, plan_id: int) -> None:
    report = expect(
        get_plan_compliance.sync_detailed(
            plan_id, client=api, as_of=AS_OF, task_number=TASK_NUMBER
        ),
        HTTPStatus.OK,
        ComplianceReport,
    )
    check(report.as_of == AS_OF, f"judged as of {report.as_of}")
    findings: list[FindingDto] = [f for f in report.findings if f.task_number == TASK_NUMBER]
    check(len(findings) > 0, f"no finding for task {TASK_NUMBER}")
    march = [f for f in findings if f.period_start == datetime.date(2021, 3, 1)]
    january = [f for f in findings if f.period_start == datetime.date(2021, 1, 1)]
    check(len(march) > 0 and len(january) > 0, "no finding for January or March")
    for finding in march:
        actual = finding.actual
        check(isinstance(actual, ActualCount), f"a count quota's actual is {actual!r}")
        assert isinstance(actual, ActualCount)
        count: int = actual.count
        check(count >= 2, f"March counted {count} items")
        check(finding.status == ComplianceStatus.MET, f"March is {finding.status}")
    for finding in january:
        check(finding.status == ComplianceStatus.MISSED, f"January is {finding.status}")
    statuses = ", ".join(f"{f.period_start:%m}: {f.status.value}" for f in findings)
    print(f"compliance as of {AS_OF}: task {TASK_NUMBER} {statuses}")


def validation_problem(api: AuthenticatedClient, plan_id: int) -> None:
    answer = list_tasks.sync_detailed(plan_id, client=api, limit=0)
    problem = expect(answer, HTTPStatus.UNPROCESSABLE_ENTITY, Problem)
    check(problem.status == 422, f"problem status {problem.status}")
    check(problem.code == ProblemCode.VALIDATION_FAILED, f"problem code {problem.code}")
    errors: list[FieldProblem] = problem.errors if isinstance(problem.errors, list) else []
    check(any(e.field == "limit" for e in errors), f"no error names `limit`: {errors}")
    first = errors[0]
    print(f"422: {problem.code.value}; {first.field}: {first.message}")


def main() -> int:
    api = client(os.environ["GONGKAI_TOKEN"])
    unit_api = client(os.environ["GONGKAI_UNIT_TOKEN"])
    try:
        plan = the_plan(api)
        tasks = all_tasks(api, plan.id)
        task = next((t for t in tasks if t.number == TASK_NUMBER), None)
        check(task is not None, f"no task {TASK_NUMBER}")
        assert task is not None
        check(task.section_number == 5, f"task {TASK_NUMBER} is in section {task.section_number}")
        check(
            any(unit.name == UNIT for unit in task.units),
            f"{UNIT} is not responsible for task {TASK_NUMBER}",
        )
        post_evidence_twice(unit_api, task)
        compliance_of_task(api, plan.id)
        validation_problem(api, plan.id)
    except SmokeFailure as failure:
        print(f"python smoke: FAILED: {failure}", file=sys.stderr)
        return 1
    print("python smoke: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
