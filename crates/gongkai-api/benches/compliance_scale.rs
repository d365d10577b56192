//! Compliance at province scale: 150 plans of 54 tasks, about 3 quotas per task, 60
//! units per city, 1,000,000 evidence rows — measured through the real app, in process.
//!
//! Not part of `cargo test`. Run (PostgreSQL as `DATABASE_URL`; the data lives in a
//! private database dropped at the end):
//!
//! ```text
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo bench -p gongkai-api --bench compliance_scale
//! ```
//!
//! Environment: `BENCH_EVIDENCE` (rows, default 1000000), `BENCH_PLANS` (default 150),
//! `BENCH_REQUESTS` (timed requests for one plan, default 50).

use std::rc::Rc;
use std::time::{Duration, Instant};

use actix_web::test;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Text};
use gongkai_api::CorsOrigins;
use gongkai_api::http::auth::{TokenIssuer, TokenVerifier};
use gongkai_core::auth::Role;
use gongkai_store::testdb::TestDb;
use gongkai_store::{Actor, calendar, compliance, seed};

const SECRET: &str = "bench-secret-that-is-at-least-32-bytes-long";
const AS_OF: &str = "2025-12-15";

fn env_number(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn exec(conn: &mut PgConnection, what: &str, sql: &str) {
    let started = Instant::now();
    conn.batch_execute(sql).unwrap_or_else(|e| panic!("{what}: {e}"));
    println!("  {what:<44} {:>8.1} s", started.elapsed().as_secs_f64());
}

/// Builds the deployment with set-based SQL: cities, units, groups, plans, tasks,
/// quotas, evidence.
fn generate(conn: &mut PgConnection, plans: i64, evidence: i64) {
    println!("generating {plans} plans and {evidence} evidence rows");
    for (year, notice) in seed::holiday_years().expect("holiday seed") {
        calendar::put_year(conn, &Actor::system("bench"), year, &notice.holidays, &notice.workdays)
            .expect("calendar");
    }
    exec(
        conn,
        "governments",
        &format!(
            "INSERT INTO units (name, kind) SELECT '市' || g || '人民政府', 'government' FROM generate_series(1, {plans}) g"
        ),
    );
    exec(
        conn,
        "60 units per city (40 departments, 20 towns)",
        "INSERT INTO units (name, kind, parent_id)
         SELECT CASE WHEN i <= 40 THEN '部门' || i ELSE '镇' || i END,
                CASE WHEN i <= 40 THEN 'department' ELSE 'town' END, u.id
           FROM units u, generate_series(1, 60) i WHERE u.kind = 'government'",
    );
    exec(conn, "unit index per city",
        "CREATE TABLE bench_cu AS SELECT parent_id AS gov, row_number() OVER (PARTITION BY parent_id ORDER BY id) AS idx, id AS unit_id
           FROM units WHERE parent_id IS NOT NULL;
         CREATE INDEX ON bench_cu (gov, idx)");
    exec(conn, "a group of the 20 towns per city",
        "INSERT INTO unit_groups (name, owner_unit_id) SELECT '各镇（街道）', id FROM units WHERE kind = 'government';
         INSERT INTO unit_group_members (group_id, unit_id)
         SELECT g.id, cu.unit_id FROM unit_groups g JOIN bench_cu cu ON cu.gov = g.owner_unit_id AND cu.idx > 40");
    exec(conn, "plans and 16 sections each",
        "INSERT INTO plans (year, title, issuing_unit_id) SELECT 2025, name || '2025年政务公开工作要点', id FROM units WHERE kind = 'government';
         INSERT INTO sections (plan_id, number, title) SELECT p.id, s, '第' || s || '部分' FROM plans p, generate_series(1, 16) s");
    exec(
        conn,
        "54 tasks per plan",
        "INSERT INTO tasks (plan_id, section_id, number, requirement)
         SELECT p.id, s.id, n, '工作任务' || n FROM plans p CROSS JOIN generate_series(1, 54) n
           JOIN sections s ON s.plan_id = p.id AND s.number = (n - 1) * 16 / 54 + 1",
    );
    exec(
        conn,
        "1 to 3 responsible units per task",
        "INSERT INTO task_units (task_id, unit_id, role, position)
         SELECT t.id, cu.unit_id, CASE WHEN k = 0 THEN 'lead' ELSE 'co' END, k
           FROM tasks t JOIN plans p ON p.id = t.plan_id CROSS JOIN generate_series(0, 2) k
           JOIN bench_cu cu ON cu.gov = p.issuing_unit_id AND cu.idx = (t.number * 7 + k) % 40 + 1
          WHERE k = 0 OR (k = 1 AND t.number % 2 = 0) OR (k = 2 AND t.number % 3 = 0)",
    );
    exec(conn, "3 quotas per task (counts, deadlines, thresholds, within-N-days; task, each-unit and group scopes)",
        "INSERT INTO quotas (task_id, kind, count_min, period, source)
         SELECT id, 'count', CASE number % 3 WHEN 0 THEN 2 ELSE 1 END,
                CASE number % 3 WHEN 0 THEN 'month' WHEN 1 THEN 'quarter' ELSE 'year' END, 'bench' FROM tasks;
         INSERT INTO quotas (task_id, kind, due, source)
         SELECT id, 'deadline', make_date(2025, number % 12 + 1, 28), 'bench' FROM tasks WHERE number % 2 = 0;
         INSERT INTO quotas (task_id, kind, threshold_min, threshold_unit, source)
         SELECT id, 'threshold', 4, 'percent', 'bench' FROM tasks WHERE number % 4 = 1;
         INSERT INTO quotas (task_id, kind, days, source)
         SELECT id, 'within_workdays', 20, 'bench' FROM tasks WHERE number % 4 = 3;
         INSERT INTO quotas (task_id, kind, count_min, period, source, scope, scope_group_id)
         SELECT t.id, 'count', 1, 'half_year', 'bench',
                CASE WHEN t.number % 6 = 0 THEN 'group' WHEN t.number % 2 = 0 THEN 'each_unit' ELSE 'task' END,
                CASE WHEN t.number % 6 = 0 THEN g.id END
           FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN unit_groups g ON g.owner_unit_id = p.issuing_unit_id");
    exec(conn, "task index",
        "CREATE TABLE bench_tk AS
         SELECT row_number() OVER (ORDER BY t.id) - 1 AS rn, t.id AS task_id, t.number, p.issuing_unit_id AS gov,
                (SELECT unit_id FROM task_units tu WHERE tu.task_id = t.id AND tu.position = 0) AS lead
           FROM tasks t JOIN plans p ON p.id = t.plan_id;
         CREATE UNIQUE INDEX ON bench_tk (rn)");
    exec(conn, &format!("{evidence} evidence rows"), &format!(
        "INSERT INTO evidence (task_id, unit_id, occurred_on, title, count, value, completes, event_on, recorded_at, recorded_by,
                               withdrawn_at, withdrawn_by, withdraw_reason)
         SELECT tk.task_id,
                CASE WHEN tk.number % 6 = 0 THEN (SELECT unit_id FROM bench_cu WHERE gov = tk.gov AND idx = 41 + i % 20) ELSE tk.lead END,
                d, '工作记录' || i, 1,
                CASE WHEN i % 40 = 0 THEN (i % 10)::float8 END,
                i % 50 = 0,
                CASE WHEN i % 25 = 0 THEN d - (i % 10)::int END,
                d + time '10:00' + (i % 700) * interval '1 day', 'bench',
                CASE WHEN i % 100 = 7 THEN now() END, CASE WHEN i % 100 = 7 THEN 'bench' END,
                CASE WHEN i % 100 = 7 THEN '重复录入' END
           FROM generate_series(1, {evidence}) i
           JOIN bench_tk tk ON tk.rn = i % (SELECT count(*) FROM bench_tk)
           CROSS JOIN LATERAL (SELECT date '2025-01-01' + ((i * 37) % 345)::int AS d) day"));
    exec(conn, "VACUUM ANALYZE", "VACUUM ANALYZE");
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

fn explain<Q>(conn: &mut PgConnection, title: &str, query: Q)
where
    Q: diesel::query_dsl::LoadQuery<'static, PgConnection, PlanLine>,
{
    println!("\n-- {title}");
    for l in query.load::<PlanLine>(conn).expect("explain") {
        println!("   {}", l.line);
    }
}

/// EXPLAIN (ANALYZE, BUFFERS) of the queries one compliance read makes.
fn explain_main_queries(conn: &mut PgConnection, plan_id: i64) {
    let as_of: chrono::NaiveDate = AS_OF.parse().expect("date");
    let task_ids: Vec<i64> = gongkai_store::schema::tasks::table
        .filter(gongkai_store::schema::tasks::plan_id.eq(plan_id))
        .select(gongkai_store::schema::tasks::id)
        .load(conn)
        .expect("tasks");
    let ex = |sql: &str| format!("EXPLAIN (ANALYZE, BUFFERS) {sql}");
    explain(
        conn,
        "tasks of the plan (compliance::TASKS_SQL)",
        diesel::sql_query(ex(compliance::TASKS_SQL))
            .bind::<BigInt, _>(plan_id)
            .bind::<diesel::sql_types::Nullable<diesel::sql_types::Int4>, _>(None::<i32>),
    );
    explain(
        conn,
        "quotas of the tasks (quotas::for_tasks)",
        diesel::sql_query(ex("SELECT * FROM quotas WHERE task_id = ANY($1) ORDER BY task_id, id"))
            .bind::<Array<BigInt>, _>(task_ids.clone()),
    );
    explain(
        conn,
        "responsible units of the tasks",
        diesel::sql_query(ex(
            "SELECT tu.task_id, u.id, u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id
          WHERE tu.task_id = ANY($1) ORDER BY tu.task_id, tu.position",
        ))
        .bind::<Array<BigInt>, _>(task_ids.clone()),
    );
    let mut group_ids: Vec<i64> = gongkai_store::schema::quotas::table
        .filter(gongkai_store::schema::quotas::task_id.eq_any(&task_ids))
        .filter(gongkai_store::schema::quotas::scope_group_id.is_not_null())
        .select(gongkai_store::schema::quotas::scope_group_id.assume_not_null())
        .load(conn)
        .expect("groups");
    group_ids.sort_unstable();
    group_ids.dedup();
    explain(conn, "members of the groups quotas are scoped to (groups::members_of)", diesel::sql_query(ex(
        "SELECT m.group_id, u.id, u.name FROM unit_group_members m JOIN units u ON u.id = m.unit_id
          WHERE m.group_id = ANY($1)")).bind::<Array<BigInt>, _>(group_ids));
    explain(
        conn,
        "live evidence of the tasks (compliance::EVIDENCE_SQL)",
        diesel::sql_query(ex(compliance::EVIDENCE_SQL))
            .bind::<Array<BigInt>, _>(task_ids.clone())
            .bind::<Date, _>(as_of),
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let plans = env_number("BENCH_PLANS", 150);
    let evidence = env_number("BENCH_EVIDENCE", 1_000_000);
    let requests = usize::try_from(env_number("BENCH_REQUESTS", 50)).unwrap_or(50).max(1);
    let db = TestDb::empty();
    let mut conn = db.conn();
    let started = Instant::now();
    generate(&mut conn, plans, evidence);
    println!("generated in {:.1} s", started.elapsed().as_secs_f64());
    let plan_ids: Vec<i64> = gongkai_store::schema::plans::table
        .select(gongkai_store::schema::plans::id)
        .order(gongkai_store::schema::plans::id)
        .load(&mut conn)
        .expect("plans");
    let one = plan_ids[plan_ids.len() / 2];
    explain_main_queries(&mut conn, one);

    let verifier = TokenVerifier::new(SECRET.as_bytes(), None, "gongkai").expect("verifier");
    let state =
        gongkai_api::state(gongkai_store::pool::build_pool(&db.url, 8), verifier, &[7u8; 32]);
    let token = TokenIssuer::new(SECRET.as_bytes(), "gongkai")
        .issue("bench", Role::Viewer, None, 3600)
        .expect("token");
    actix_web::rt::System::new().block_on(async move {
        let svc = Rc::new(test::init_service(gongkai_api::app(state, CorsOrigins::default())).await);
        let request = |plan: i64, what: &str| {
            test::TestRequest::get()
                .uri(&format!("/api/v1/plans/{plan}/{what}?as_of={AS_OF}"))
                .insert_header(("Authorization", format!("Bearer {token}")))
                .to_request()
        };
        // One plan: warm up, then time sequential requests.
        let mut size = 0usize;
        let mut findings = 0usize;
        for _ in 0..3 {
            let body = test::call_and_read_body(&*svc, request(one, "compliance")).await;
            size = body.len();
            let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
            findings = v["findings"].as_array().map_or(0, Vec::len);
        }
        println!("\none plan (id {one}): {findings} findings, {:.0} KiB of JSON", size as f64 / 1024.0);
        for what in ["compliance", "scorecard", "due-soon"] {
            let mut times = Vec::with_capacity(requests);
            for _ in 0..requests {
                let t = Instant::now();
                let res = test::call_service(&*svc, request(one, what)).await;
                assert!(res.status().is_success(), "{what}: {}", res.status());
                let _ = test::read_body(res).await;
                times.push(t.elapsed());
            }
            times.sort();
            println!(
                "  GET /plans/{{id}}/{what:<10} n={requests}  p50 {:>7.1} ms  p95 {:>7.1} ms  max {:>7.1} ms",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                ms(times[times.len() - 1])
            );
        }

        // Every plan: one after another, then two at a time (the machine's cores).
        for in_flight in [1usize, 2, 4] {
            let t = Instant::now();
            let mut total = 0usize;
            for chunk in plan_ids.chunks(in_flight) {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|&p| {
                        let svc = Rc::clone(&svc);
                        let req = request(p, "compliance");
                        actix_web::rt::spawn(async move {
                            let res = test::call_service(&*svc, req).await;
                            assert!(res.status().is_success());
                            test::read_body(res).await.len()
                        })
                    })
                    .collect();
                for h in handles {
                    total += h.await.expect("request task");
                }
            }
            println!(
                "all {} plans, {in_flight} in flight: {:.2} s ({:.0} MiB of JSON)",
                plan_ids.len(),
                t.elapsed().as_secs_f64(),
                total as f64 / 1024.0 / 1024.0
            );
        }
    });
}
