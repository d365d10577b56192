//! Importer benchmarks: the Kaiping 2021 seed (54 tasks) and a generated plan of
//! 1,000 tasks in 50 sections laid out like a PDF copy (wrapped lines, page headers,
//! unit cells on their own line, after a space, glued before the next number, and
//! tasks without a cell).
//!
//! Run: `cargo bench -p gongkai-core --bench import -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_core::import::{extract_quotas, parse_plan};

#[path = "../tests/import_support.rs"]
mod support;

const KAIPING: &str = include_str!("../../../seeds/kaiping-2021-work-plan.txt");

const UNITS: [&str; 6] =
    ["党政办", "经发局", "财政局", "卫健局、司法局", "融媒体中心", "公共服务中心"];

const SENTENCES: [&str; 6] = [
    "主动公开“十四五”规划纲要、各项规划、政策解读等相关信息，",
    "每季度至少开展两次专项检查，",
    "2022年6月30日前完成主动公开基层目录编制，",
    "依申请公开答复在10个工作日内作出，",
    "政务公开分值权重不低于4%，",
    "做好“12345”政务服务便民热线诉求办理信息公开工作。",
];

/// A plan of `sections` × `tasks_per_section` tasks wrapped at 32 characters a line.
fn generated_plan(sections: usize, tasks_per_section: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut glued = String::new();
    let mut number = 0;
    for section in 1..=sections {
        lines.push(" 工作任务 具体要求 责任单位".to_owned());
        lines.push(format!(
            "{}、做好第{section}类",
            support::chinese_numeral(u32::try_from(section).unwrap_or(u32::MAX))
        ));
        lines.push("信息公开".to_owned());
        lines.push("。".to_owned());
        for position in 0..tasks_per_section {
            number += 1;
            let text: String = (0..1 + number % 4)
                .map(|offset| SENTENCES[(number + offset) % SENTENCES.len()])
                .collect();
            let chars: Vec<char> = format!("{glued}{number}.{text}").chars().collect();
            glued.clear();
            for line in chars.chunks(32) {
                lines.push(line.iter().collect());
            }
            let unit = UNITS[number % UNITS.len()];
            let last_in_section = position + 1 == tasks_per_section;
            match number % 5 {
                0 | 1 => lines.push(unit.to_owned()),
                2 => {
                    if let Some(last) = lines.last_mut() {
                        last.push(' ');
                        last.push_str(unit);
                    }
                }
                3 if !last_in_section => glued = unit.to_owned(),
                _ => {}
            }
            lines.push(String::new());
        }
    }
    lines.join("\n")
}

fn bench_import(c: &mut Criterion) {
    let generated = generated_plan(50, 20);
    let tasks = parse_plan(&generated, &[])
        .map(|plan| plan.sections.iter().map(|section| section.tasks.len()).sum::<usize>());
    assert_eq!(tasks, Ok(1000), "the generated plan must parse into 1,000 tasks");

    let mut group = c.benchmark_group("parse_plan");
    group.throughput(Throughput::Bytes(KAIPING.len() as u64));
    group.bench_function("kaiping_2021_seed_54_tasks", |b| {
        b.iter(|| parse_plan(black_box(KAIPING), black_box(&[])))
    });
    group.throughput(Throughput::Bytes(generated.len() as u64));
    group.bench_function("generated_1000_tasks", |b| {
        b.iter(|| parse_plan(black_box(&generated), black_box(&[])))
    });
    group.finish();

    let requirement: String = SENTENCES.concat();
    c.bench_function("extract_quotas/six_sentences", |b| {
        b.iter(|| extract_quotas(black_box(&requirement)))
    });
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
