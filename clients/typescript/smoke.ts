// Smoke program of the generated TypeScript types (openapi-typescript) used through
// openapi-fetch, run by clients/check.sh against a live server on a fresh database (the
// Kaiping 2021 plan).
//
// Environment: GONGKAI_URL, GONGKAI_TOKEN (a coordinator of 开平市人民政府) and
// GONGKAI_UNIT_TOKEN (a `unit` token of 公共服务中心). Exits non-zero on the first broken
// expectation.
//
// Locals are annotated with the types the API promises, so tsc checks the generated
// types against them too.
import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];
type Plan = Schemas["PlanDto"];
type Task = Schemas["TaskDto"];
type Evidence = Schemas["EvidenceDto"];
type Finding = Schemas["FindingDto"];
type Problem = Schemas["Problem"];
type FieldProblem = Schemas["FieldProblem"];

const PAGE_SIZE = 10;
const TASKS_IN_PLAN = 54;
const TASK_NUMBER = 15; // 五, "at least 2 items a month"
const UNIT = "公共服务中心";
const AS_OF = "2021-03-31";

class SmokeFailure extends Error {}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** The answer's body, when the answer has this status. */
function expect<T>(
  answer: { data?: T; error?: unknown; response: Response },
  status: number,
): T {
  check(
    answer.response.status === status && answer.data !== undefined,
    `expected ${status}, got ${answer.response.status}: ${JSON.stringify(answer.error)}`,
  );
  return answer.data;
}

function env(name: string): string {
  const value = process.env[name];
  check(value !== undefined && value !== "", `${name} is not set`);
  return value;
}

// Reads that also answer CSV or XLSX document those types beside JSON; this program asks
// for JSON only, so its client is typed for JSON answers and problem+json errors.
type Json = "application/json" | "application/problem+json";
type Api = Client<paths, Json>;

function client(token: string): Api {
  return createClient<paths, Json>({
    baseUrl: env("GONGKAI_URL"),
    headers: { Authorization: `Bearer ${token}` },
  });
}

async function thePlan(api: Api): Promise<Plan> {
  const plans = expect(await api.GET("/api/v1/plans"), 200);
  const plan = plans.items[0];
  check(plan !== undefined, "no plan listed");
  check(plan.year === 2021, `the first plan is of ${plan.year}, not 2021`);
  console.log(`plans: ${plans.items.length}; plan ${plan.id} is ${plan.year} ${plan.title}`);
  return plan;
}

/** Every task of the plan, a small page at a time, following next_cursor. */
async function allTasks(api: Api, planId: number): Promise<Task[]> {
  const tasks: Task[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = expect(
      await api.GET("/api/v1/plans/{plan_id}/tasks", {
        params: { path: { plan_id: planId }, query: { limit: PAGE_SIZE, cursor } },
      }),
      200,
    );
    pages += 1;
    check(page.items.length <= PAGE_SIZE, `page ${pages} holds ${page.items.length} tasks`);
    tasks.push(...page.items);
    const nextCursor: string | null = page.next_cursor;
    if (nextCursor === null) break;
    check(pages < 100, "next_cursor never ends");
    cursor = nextCursor;
  }
  const numbers = tasks.map((task) => task.number);
  check(tasks.length === TASKS_IN_PLAN, `${tasks.length} tasks paged, expected ${TASKS_IN_PLAN}`);
  check(
    numbers.every((n, i) => i === 0 || n > (numbers[i - 1] ?? n)),
    "tasks repeated or out of order across pages",
  );
  console.log(`tasks: ${tasks.length} in ${pages} pages of at most ${PAGE_SIZE}`);
  return tasks;
}

/** Record March's items as the unit, then send the same request again: the replay. */
async function postEvidenceTwice(unitApi: Api, task: Task): Promise<Evidence> {
  const key = `clients-smoke-typescript-${randomUUID()}`;
  const request = {
    params: { path: { task_id: task.id }, header: { "Idempotency-Key": key } },
    body: { occurred_on: "2021-03-15", title: "疫情防控专栏更新2条（TypeScript 客户端）", count: 2 },
  };
  const first = await unitApi.POST("/api/v1/tasks/{task_id}/evidence", request);
  const created: Evidence = expect(first, 201);
  check(
    first.response.headers.get("Idempotent-Replayed") === null,
    "a first request answered as a replay",
  );
  const again = await unitApi.POST("/api/v1/tasks/{task_id}/evidence", request);
  const replayed: Evidence = expect(again, 201);
  const flag = again.response.headers.get("Idempotent-Replayed");
  check(flag === "true", `Idempotent-Replayed is ${flag}`);
  check(replayed.id === created.id, `the replay answered record ${replayed.id}, not ${created.id}`);
  check(created.count === 2 && created.task_id === task.id, "the record is not what was sent");
  const url: string | null = created.url; // always answered, null when none was given
  check(url === null, `a record sent without url answers url ${url}`);
  console.log(`evidence: record ${created.id} for task ${task.number} as ${UNIT}; replayed with the same id`);
  return created;
}

async function complianceOfTask(api: Api, planId: number): Promise<void> {
  const report = expect(
    await api.GET("/api/v1/plans/{plan_id}/compliance", {
      params: { path: { plan_id: planId }, query: { as_of: AS_OF, task_number: TASK_NUMBER } },
    }),
    200,
  );
  check(report.as_of === AS_OF, `judged as of ${report.as_of}`);
  const findings: Finding[] = report.findings.filter((f) => f.task_number === TASK_NUMBER);
  check(findings.length > 0, `no finding for task ${TASK_NUMBER}`);
  const march = findings.filter((f) => f.period_start === "2021-03-01");
  const january = findings.filter((f) => f.period_start === "2021-01-01");
  check(march.length > 0 && january.length > 0, "no finding for January or March");
  for (const finding of march) {
    const actual = finding.actual;
    check(actual.kind === "count", `a count quota's actual is ${JSON.stringify(actual)}`);
    const count: number = actual.count;
    check(count >= 2, `March counted ${count} items`);
    check(finding.status === "met", `March is ${finding.status}`);
  }
  for (const finding of january) {
    check(finding.status === "missed", `January is ${finding.status}`);
  }
  const statuses = findings.map((f) => `${f.period_start.slice(5, 7)}: ${f.status}`).join(", ");
  console.log(`compliance as of ${AS_OF}: task ${TASK_NUMBER} ${statuses}`);
}

async function validationProblem(api: Api, planId: number): Promise<void> {
  const answer = await api.GET("/api/v1/plans/{plan_id}/tasks", {
    params: { path: { plan_id: planId }, query: { limit: 0 } },
  });
  check(answer.response.status === 422, `expected 422, got ${answer.response.status}`);
  check(
    answer.response.headers.get("Content-Type")?.startsWith("application/problem+json") === true,
    `a problem answered as ${answer.response.headers.get("Content-Type")}`,
  );
  const problem: Problem | undefined = answer.error;
  check(problem !== undefined, "no problem body");
  check(problem.status === 422, `problem status ${problem.status}`);
  check(problem.code === "validation_failed", `problem code ${problem.code}`);
  const errors: FieldProblem[] = problem.errors ?? [];
  check(errors.some((e) => e.field === "limit"), `no error names \`limit\`: ${JSON.stringify(errors)}`);
  const first = errors[0];
  check(first !== undefined, "no field error");
  console.log(`422: ${problem.code}; ${first.field}: ${first.message}`);
}

async function main(): Promise<number> {
  const api = client(env("GONGKAI_TOKEN"));
  const unitApi = client(env("GONGKAI_UNIT_TOKEN"));
  try {
    const plan = await thePlan(api);
    const tasks = await allTasks(api, plan.id);
    const task = tasks.find((t) => t.number === TASK_NUMBER);
    check(task !== undefined, `no task ${TASK_NUMBER}`);
    check(task.section_number === 5, `task ${TASK_NUMBER} is in section ${task.section_number}`);
    check(
      task.units.some((unit) => unit.name === UNIT),
      `${UNIT} is not responsible for task ${TASK_NUMBER}`,
    );
    await postEvidenceTwice(unitApi, task);
    await complianceOfTask(api, plan.id);
    await validationProblem(api, plan.id);
  } catch (failure) {
    if (failure instanceof SmokeFailure) {
      console.error(`typescript smoke: FAILED: ${failure.message}`);
      return 1;
    }
    throw failure;
  }
  console.log("typescript smoke: ok");
  return 0;
}

process.exitCode = await main();
