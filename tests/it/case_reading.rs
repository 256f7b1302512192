//! What an operator reads in `case history` and `case show`: every row says what happened,
//! every table has a title.

use crate::support::case_env::{Env, example_dir};

/// The example's order of 1500 EUR, approved: two routes and a parallel block.
fn approved_order(env: &Env) {
    let example = example_dir();
    let journey = example.join("journey.json").display().to_string();
    let sla = example.join("sla.json").display().to_string();
    env.run(&[
        "case",
        "start",
        "--journey",
        &journey,
        "--sla",
        &sla,
        "--case-id",
        "o-1",
        "--var",
        "amount=long:1500",
    ])
    .expect_code(0);
}

/// The table row of `unit` (first match) in a piped (markdown-style) table.
fn row_of<'a>(table: &'a str, unit: &str) -> &'a str {
    table
        .lines()
        .find(|line| line.split('|').any(|cell| cell.trim() == unit))
        .unwrap_or_else(|| panic!("no row for {unit}:\n{table}"))
}

#[test]
fn history_shows_the_branches_each_route_took() {
    let env = Env::files().with_example_config();
    approved_order(&env);
    env.run(&["case", "resume", "o-1", "--var", "approved=boolean:true"])
        .expect_code(0);
    let history = env.run(&["case", "history", "o-1"]).expect_code(0).stdout;
    assert!(
        row_of(&history, "route_amount").contains("route → yes"),
        "{history}"
    );
    assert!(
        row_of(&history, "route_decision").contains("route → true"),
        "{history}"
    );
}

#[test]
fn case_show_titles_each_table() {
    let env = Env::files().with_example_config();
    approved_order(&env);
    let shown = env.run(&["case", "show", "o-1"]).expect_code(0).stdout;
    let titles: Vec<&str> = shown
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('|'))
        .collect();
    assert_eq!(
        titles,
        ["Case", "Variables (4)", "Exec paths (1)", "Milestones (2)"],
        "{shown}"
    );
}
