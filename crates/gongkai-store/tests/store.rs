//! The store against a real database: migrations, constraints, seeding.

use diesel::prelude::*;
use diesel::sql_types::Text;
use gongkai_store::pool::{revert_all_migrations, run_migrations};
use gongkai_store::testdb::TestDb;
use gongkai_store::{seed, units};

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Tables, columns, constraints, indexes, functions and triggers of the public schema.
fn schema_of(conn: &mut PgConnection) -> Vec<String> {
    let q = "
        SELECT 'col ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
          FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'
        UNION ALL
        SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '__diesel_schema_migrations'
        UNION ALL
        SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'
        UNION ALL
        SELECT 'fn ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'trg ' || tgname FROM pg_trigger WHERE NOT tgisinternal
        ORDER BY 1";
    diesel::sql_query(q).load::<Line>(conn).unwrap().into_iter().map(|l| l.line).collect()
}

#[test]
fn migrations_go_up_down_and_up_to_the_same_schema() {
    let db = TestDb::blank();
    let mut conn = db.conn();
    assert!(schema_of(&mut conn).is_empty());
    run_migrations(&mut conn).unwrap();
    let first = schema_of(&mut conn);
    assert!(first.iter().any(|l| l.starts_with("col tasks.requirement")));
    revert_all_migrations(&mut conn).unwrap();
    assert_eq!(schema_of(&mut conn), Vec::<String>::new(), "down.sql leaves nothing behind");
    run_migrations(&mut conn).unwrap();
    assert_eq!(schema_of(&mut conn), first);
}

fn exec(conn: &mut PgConnection, sql: &str) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(sql).execute(conn)
}

#[test]
fn the_database_refuses_inconsistent_plans() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    let refused = [
        // a department at the top level
        "INSERT INTO units (name, kind) VALUES ('孤立局', 'department')",
        // an unknown kind
        "INSERT INTO units (name, kind, parent_id) VALUES ('某局', 'ministry', 1)",
        // a duplicate sibling name
        "INSERT INTO units (name, kind, parent_id) VALUES ('党政办', 'department', 1)",
        // a name with surrounding spaces
        "INSERT INTO units (name, kind, parent_id) VALUES (' 某局', 'department', 1)",
        // a second plan for the same issuer and year
        "INSERT INTO plans (year, title, issuing_unit_id) VALUES (2021, 'again', 1)",
        // a task number used twice in a plan
        "INSERT INTO tasks (plan_id, section_id, number, requirement) SELECT plan_id, id, 1, 'x' FROM sections WHERE number = 2",
        // a task in a section of another plan
        "INSERT INTO plans (year, title, issuing_unit_id) VALUES (2022, 'p', 1);
         INSERT INTO tasks (plan_id, section_id, number, requirement) SELECT (SELECT id FROM plans WHERE year = 2022), id, 99, 'x' FROM sections WHERE number = 1",
        // a count quota without a period
        "INSERT INTO quotas (task_id, kind, count_min) SELECT id, 'count', 2 FROM tasks WHERE number = 1",
        // a deadline quota with a count
        "INSERT INTO quotas (task_id, kind, due, count_min) SELECT id, 'deadline', '2021-12-01', 1 FROM tasks WHERE number = 1",
        // a threshold above 100 %
        "INSERT INTO quotas (task_id, kind, threshold_min, threshold_unit) SELECT id, 'threshold', 140, 'percent' FROM tasks WHERE number = 1",
        // two lead units on one task
        "INSERT INTO task_units (task_id, unit_id, role, position) SELECT t.id, u.id, 'lead', 1 FROM tasks t, units u WHERE t.number = 1 AND u.name = '党政办'",
        // evidence naming another task's quota
        "INSERT INTO evidence (task_id, unit_id, quota_id, occurred_on, title, recorded_by)
           SELECT (SELECT id FROM tasks WHERE number = 1), 2, q.id, '2021-03-01', 'x', 't' FROM quotas q LIMIT 1",
        // a withdrawal without a reason
        "INSERT INTO evidence (task_id, unit_id, occurred_on, title, recorded_by, withdrawn_at, withdrawn_by)
           SELECT id, 2, '2021-03-01', 'x', 't', now(), 't' FROM tasks WHERE number = 1",
        // a negative count
        "INSERT INTO evidence (task_id, unit_id, occurred_on, title, recorded_by, count) SELECT id, 2, '2021-03-01', 'x', 't', -1 FROM tasks WHERE number = 1",
        // a unit placed under its own descendant
        "INSERT INTO units (name, kind, parent_id) VALUES ('子单位', 'other', 2);
         UPDATE units SET parent_id = (SELECT id FROM units WHERE name = '子单位') WHERE id = 2",
    ];
    for sql in refused {
        let r = c.transaction::<_, diesel::result::Error, _>(|c| {
            for stmt in sql.split(';').filter(|s| !s.trim().is_empty()) {
                exec(c, stmt)?;
            }
            Ok(())
        });
        assert!(r.is_err(), "the database accepted: {sql}");
    }
}

#[test]
fn the_seed_loads_once_and_matches_the_plan_text() {
    let db = TestDb::empty();
    let mut c = db.conn();
    let first = seed::load_if_empty(&mut c).unwrap();
    assert!(first.plan_loaded);
    assert_eq!(first.calendar_years_loaded, 6);
    let again = seed::load_if_empty(&mut c).unwrap();
    assert_eq!(again, seed::SeedReport::default(), "a non-empty database is left alone");
    let all =
        units::list(&mut c, &Default::default(), gongkai_store::PageRequest::first(100)).unwrap();
    assert_eq!(all.items.len(), 8);
    // The structured seed is exactly what the importer reads from the plan's text.
    let parsed = gongkai_core::import::parse_plan(seed::KAIPING_2021_TEXT, &[]).unwrap();
    assert_eq!(parsed, seed::kaiping_plan().unwrap());
    let years = gongkai_store::calendar::all_years(&mut c).unwrap();
    assert_eq!(years.iter().map(|y| y.year).collect::<Vec<_>>(), (2021..=2026).collect::<Vec<_>>());
}
