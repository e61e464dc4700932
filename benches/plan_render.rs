//! `cargo bench`: plan + render of one overlay for each cloud × profile, timed with
//! `std::time::Instant` over many iterations (no benchmark framework, to keep builds small).
//!
//! Prints the median and the minimum per iteration; the README's "Performance" section
//! records a run on the 2-core development machine.
use std::hint::black_box;
use std::time::{Duration, Instant};

use caracal_wizard::answers::Answers;
use caracal_wizard::catalog::Catalog;
use caracal_wizard::render::Templates;

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` doesn't and gets a smoke run.
    let quick =
        !std::env::args().any(|a| a == "--bench") || std::env::var_os("BENCH_QUICK").is_some();
    let (rounds, per_round): (usize, u32) = if quick { (5, 20) } else { (31, 200) };
    let catalog = Catalog::builtin().expect("catalog");
    let templates = Templates::builtin().expect("templates");
    // What every `new` pays once before planning: the embedded catalog and templates.
    let catalog_min = min_of(rounds, 10, || {
        black_box(Catalog::builtin().expect("catalog"));
    });
    // Templates parse lazily, on first use; force every one to measure the whole cost.
    let templates_min = min_of(rounds, 10, || {
        let t = Templates::builtin().expect("templates");
        t.ensure_all_parse().expect("templates parse");
        black_box(t);
    });
    println!(
        "startup: load catalog {:.1} µs, parse templates {:.1} µs (min)",
        micros(catalog_min),
        micros(templates_min)
    );
    println!(
        "{:<22} {:>12} {:>12} {:>12} {:>12}",
        "plan+render", "median", "min", "plan (min)", "render (min)"
    );
    let mut worst = Duration::ZERO;
    for (cloud, profile) in common::combos() {
        let answers = Answers::parse("bench.yaml", &common::answers_text(cloud, profile), &[])
            .expect("answers");
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let start = Instant::now();
            for _ in 0..per_round {
                let plan = caracal_wizard::plan::plan(black_box(&answers), &catalog).expect("plan");
                black_box(caracal_wizard::render::render(&plan, &templates).expect("render"));
            }
            samples.push(start.elapsed() / per_round);
        }
        samples.sort();
        let median = samples[samples.len() / 2];
        worst = worst.max(median);
        let plan = caracal_wizard::plan::plan(&answers, &catalog).expect("plan");
        let plan_min = min_of(rounds, per_round, || {
            black_box(caracal_wizard::plan::plan(black_box(&answers), &catalog).expect("plan"));
        });
        let render_min = min_of(rounds, per_round, || {
            black_box(
                caracal_wizard::render::render(black_box(&plan), &templates).expect("render"),
            );
        });
        println!(
            "{:<22} {:>9.1} µs {:>9.1} µs {:>9.1} µs {:>9.1} µs",
            format!("{cloud}-{profile}"),
            micros(median),
            micros(samples[0]),
            micros(plan_min),
            micros(render_min)
        );
    }
    if quick {
        // A smoke run (often a debug build under `cargo test`): the numbers mean little.
        println!(
            "slowest median: {:.1} µs (smoke run; measure with `cargo bench`)",
            micros(worst)
        );
    } else {
        println!("slowest median: {:.1} µs (target < 1000 µs)", micros(worst));
    }
}

fn min_of(rounds: usize, per_round: u32, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..per_round {
                f();
            }
            start.elapsed() / per_round
        })
        .min()
        .unwrap_or_default()
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
