#[test]
fn dump() {
    for name in ["import-pdf-twenty-one-sections.txt", "import-word-table-tabs.txt", "import-other-city.txt"] {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for known in [&[][..], &["各镇街"][..]] {
            let plan = gongkai_core::import::parse_plan(&text, known);
            let plan = match plan { Ok(p) => p, Err(e) => { println!("ERR {e}"); continue } };
            println!("##### {name} {known:?} units={:?}", plan.units);
            for s in &plan.sections {
                println!("== {} {}", s.number, s.title);
                for t in &s.tasks {
                    println!("{} {:?} {} {}", t.number, t.units, if t.units_inherited {"INH"} else {""}, t.requirement);
                    for q in &t.quotas { println!("    Q {}", serde_json::to_string(q).unwrap()); }
                }
            }
            for w in &plan.warnings { println!("W {:?} {} {}", w.task, w.code, w.message); }
        }
    }
}
