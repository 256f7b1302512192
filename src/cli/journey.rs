//! `wfctl journey validate|show`: check journey and SLA files, and show a journey's units as a
//! table or a Graphviz graph.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};
use serde::Serialize;
use wfctl::model::{DocumentError, END, Journey, Problem, Sla, UnitKind};

use super::exit::{Exit, PARTIAL, USAGE};
use super::{Context, Output};

/// `wfctl journey`
#[derive(Debug, Args)]
pub(crate) struct JourneyArgs {
    #[command(subcommand)]
    command: JourneyCommand,
}

impl JourneyArgs {
    /// Whether SLA files are checked (then `[sla]` actions are read).
    pub(crate) fn reads_sla(&self) -> bool {
        matches!(&self.command, JourneyCommand::Validate(v) if !v.sla.is_empty())
    }
}

#[derive(Debug, Subcommand)]
enum JourneyCommand {
    /// Check journey (and SLA) files; report every problem; exit 3 when any is found
    Validate(ValidateArgs),
    /// Show a journey's units, types, components and next steps
    Show(ShowArgs),
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Journey files
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// SLA files to check as well; repeatable
    #[arg(long, value_name = "FILE")]
    sla: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// A table of units
    Table,
    /// A Graphviz digraph (`| dot -Tsvg > journey.svg`)
    Dot,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The journey file
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub(crate) fn run(args: JourneyArgs, ctx: &Context) -> anyhow::Result<()> {
    match args.command {
        JourneyCommand::Validate(a) => validate(ctx, &a),
        JourneyCommand::Show(a) => show(ctx, &a),
    }
}

/// One file's result (`journey validate --json`: `{"valid", "files": [this...]}`).
#[derive(Debug, Serialize)]
struct FileReport {
    file: String,
    kind: &'static str,
    valid: bool,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

fn problems_of(error: &DocumentError) -> Vec<Problem> {
    match error {
        DocumentError::Syntax(message) => vec![Problem::new(
            None,
            "$",
            format!("not valid JSON: {message}"),
        )],
        DocumentError::Invalid(problems) => problems.clone(),
    }
}

fn check(path: &Path, kind: &'static str, ctx: &Context) -> FileReport {
    let mut report = FileReport {
        file: path.display().to_string(),
        kind,
        valid: false,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            report
                .problems
                .push(Problem::new(None, "$", format!("cannot read: {e}")));
            return report;
        }
    };
    match kind {
        "sla" => match Sla::parse(&text) {
            Ok(sla) if ctx.config_path.is_some() => report.warnings = unrunnable(ctx, &sla),
            Ok(_) => {}
            Err(e) => report.problems = problems_of(&e),
        },
        _ => match Journey::parse(&text) {
            Ok(journey) => {
                report.warnings = journey.warnings.clone();
                if ctx.config_path.is_some() {
                    with_configured_cycles(ctx, &journey, &mut report.warnings);
                    report.warnings.extend(unmapped(ctx, &journey));
                }
            }
            Err(e) => report.problems = problems_of(&e),
        },
    }
    report.valid = report.problems.is_empty();
    report
}

/// Replaces the cycle warnings of `builtin:proceed` with those that also count the components
/// the configuration maps to `builtin = "proceed"`: a cycle warns whatever its units' names.
fn with_configured_cycles(ctx: &Context, journey: &Journey, warnings: &mut Vec<Problem>) {
    use wfctl::components::{Builtin, Component};
    let config = super::runtime::engine_config(ctx, wfctl::store::LockWait::Try);
    let Ok(components) = super::runtime::components(ctx, &config) else {
        return;
    };
    let proceeds = |name: &str| {
        matches!(
            components.get(name),
            Some(Component::Builtin(Builtin::Proceed))
        )
    };
    let unconfigured = journey.endless_cycles(&|_| false);
    warnings.retain(|w| !unconfigured.contains(w));
    warnings.extend(journey.endless_cycles(&proceeds));
}

/// Components the configuration does not map (a warning here; `case start` refuses them).
fn unmapped(ctx: &Context, journey: &Journey) -> Vec<Problem> {
    use wfctl::engine::Components as _;
    let config = super::runtime::engine_config(ctx, wfctl::store::LockWait::Try);
    let Ok(components) = super::runtime::components(ctx, &config) else {
        return Vec::new();
    };
    components
        .unmapped(&journey.component_names())
        .into_iter()
        .map(|name| {
            Problem::new(
                None,
                "$.journey.flow",
                format!("component {name} has no mapping in [components]"),
            )
        })
        .collect()
}

/// Milestone actions `sla run` could not carry out with this configuration (a warning here;
/// `sla run` records them as failed).
fn unrunnable(ctx: &Context, sla: &Sla) -> Vec<Problem> {
    let actions =
        wfctl::sla::Actions::from_config(&ctx.config.sla.actions, &super::runtime::config_dir(ctx));
    sla.milestones
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let problem = actions.problem(m.action.as_deref()?)?;
            Some(Problem::new(
                m.name.clone(),
                &format!("$.milestones[{i}].action"),
                problem,
            ))
        })
        .collect()
}

fn validate(ctx: &Context, args: &ValidateArgs) -> anyhow::Result<()> {
    let reports: Vec<FileReport> = args
        .files
        .iter()
        .map(|f| check(f, "journey", ctx))
        .chain(args.sla.iter().map(|f| check(f, "sla", ctx)))
        .collect();
    let bad: Vec<&FileReport> = reports.iter().filter(|r| !r.valid).collect();
    let out = &ctx.output;
    if out.json() {
        out.print_json(&serde_json::json!({ "valid": bad.is_empty(), "files": reports }))?;
    } else if !out.quiet() {
        // -q: a check prints no report; a failure is its one error line
        print_reports(out, &reports)?;
    }
    if bad.is_empty() {
        return Ok(());
    }
    let count: usize = bad.iter().map(|r| r.problems.len()).sum();
    Err(Exit::new(
        PARTIAL,
        format!(
            "{count} problem(s) in {} of {} file(s): {}",
            bad.len(),
            reports.len(),
            bad.iter()
                .map(|r| r.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
    .into())
}

fn print_reports(out: &Output, reports: &[FileReport]) -> anyhow::Result<()> {
    let mut table = out.table(["file", "result", "unit", "where", "message"]);
    for r in reports {
        if r.problems.is_empty() && r.warnings.is_empty() {
            table.add_row(vec![
                r.file.clone(),
                out.paint("ok", "32"),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for (label, sgr, list) in [("error", "31", &r.problems), ("warning", "33", &r.warnings)] {
            for p in list {
                table.add_row(vec![
                    r.file.clone(),
                    out.paint(label, sgr),
                    p.unit.clone().unwrap_or_default(),
                    p.path.clone(),
                    p.message.clone(),
                ]);
            }
        }
    }
    out.print_table(&table)?;
    Ok(())
}

fn show(ctx: &Context, args: &ShowArgs) -> anyhow::Result<()> {
    // two output formats asked for: refuse rather than pick one
    if matches!(args.format, Format::Dot) && ctx.output.json() {
        return Err(Exit::new(
            USAGE,
            "--format dot and --json are two output formats; give one",
        )
        .into());
    }
    let what = || format!("journey file {}", args.file.display());
    let text = std::fs::read_to_string(&args.file).with_context(what)?;
    let journey = Journey::parse(&text).with_context(what)?;
    let out = &ctx.output;
    match args.format {
        Format::Dot => out.print(&dot(&journey))?,
        Format::Table if out.json() => out.print_json(
            &serde_json::from_str::<serde_json::Value>(&journey.to_json())?,
        )?,
        Format::Table => print_units(out, &journey)?,
    }
    Ok(())
}

fn print_units(out: &Output, journey: &Journey) -> anyhow::Result<()> {
    let mut table = out.table(["unit", "type", "component", "user data", "next"]);
    for u in &journey.units {
        let next = match &u.branches {
            Some(branches) => {
                out.lines(branches.iter().map(|b| format!("{} → {}", b.name, b.next)))
            }
            None => u.next.clone().unwrap_or_default(),
        };
        table.add_row(vec![
            u.name.clone(),
            u.kind.as_str().to_owned(),
            u.component_name().to_owned(),
            u.user_data.clone().unwrap_or_default(),
            next,
        ]);
    }
    out.print_table(&table)?;
    // tickets are the journey's data too: on stdout, not among the messages
    if !journey.tickets.is_empty() {
        let mut tickets = out.table(["ticket", "step"]);
        for t in &journey.tickets {
            tickets.add_row([t.name.clone(), t.step.clone()]);
        }
        out.print_table(&tickets)?;
    }
    Ok(())
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The journey as a Graphviz digraph: tasks as boxes, routes as diamonds, joins as circles,
/// `end` as a double circle, tickets as dashed edges.
fn dot(journey: &Journey) -> String {
    let mut lines = vec![
        format!("digraph {} {{", quote(&journey.name)),
        "  rankdir=LR;".to_owned(),
        "  node [shape=box, fontname=\"Helvetica\"];".to_owned(),
        format!("  {} [shape=doublecircle];", quote(END)),
    ];
    for u in &journey.units {
        let shape = match u.kind {
            UnitKind::Task => "box",
            UnitKind::SRoute | UnitKind::PRoute | UnitKind::PRouteDynamic => "diamond",
            UnitKind::PJoin => "circle",
            UnitKind::Pause => "octagon",
            UnitKind::Persist => "cylinder",
        };
        let label = match u.component_name() {
            "" => u.name.clone(),
            c => format!("{}\\n({c})", u.name),
        };
        lines.push(format!(
            "  {} [shape={shape}, label={}];",
            quote(&u.name),
            quote(&label).replace("\\\\n", "\\n")
        ));
    }
    for u in &journey.units {
        if let Some(branches) = &u.branches {
            for b in branches {
                lines.push(format!(
                    "  {} -> {} [label={}];",
                    quote(&u.name),
                    quote(&b.next),
                    quote(&b.name)
                ));
            }
        }
        if let Some(next) = &u.next {
            let style = if u.kind == UnitKind::PRouteDynamic {
                " [style=bold, label=\"each\"]"
            } else {
                ""
            };
            lines.push(format!("  {} -> {}{style};", quote(&u.name), quote(next)));
        }
    }
    for t in &journey.tickets {
        let node = format!("ticket {}", t.name);
        lines.push(format!("  {} [shape=note];", quote(&node)));
        lines.push(format!(
            "  {} -> {} [style=dashed];",
            quote(&node),
            quote(&t.step)
        ));
    }
    lines.push("}".to_owned());
    lines.join("\n")
}
