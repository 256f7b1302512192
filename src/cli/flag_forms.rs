//! Every duration flag, found in clap's command tree (not a hand list, so a new flag cannot be
//! missed), takes the same forms: `30s`, `2h`, `7d`, `1h30m`, a bare number (seconds; days for
//! a retention `AGE`), and refuses a negative value given after a space naming the flag (never
//! taking it for another flag). `sla due --at` takes signed offsets (`-30m`, `+2h`).

use std::time::Duration;

use clap::error::ErrorKind;

/// Every option of every command (globals included), with the command's path.
fn options() -> Vec<(Vec<String>, clap::Arg)> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<(Vec<String>, clap::Arg)>) {
        for arg in cmd.get_arguments().filter(|a| a.get_long().is_some()) {
            out.push((path.to_vec(), arg.clone()));
        }
        for sub in cmd.get_subcommands() {
            let mut next = path.to_vec();
            next.push(sub.get_name().to_owned());
            walk(sub, &next, out);
        }
    }
    let mut root = super::command();
    root.build();
    let mut out = Vec::new();
    walk(&root, &[], &mut out);
    out
}

/// What clap makes of `wfctl PATH --flag VALUE` (`=` joins them when `joined`).
fn parse(path: &[String], arg: &clap::Arg, value: &str, joined: bool) -> Parsed {
    let flag = format!("--{}", arg.get_long().unwrap());
    let mut argv: Vec<String> = vec!["wfctl".into()];
    argv.extend(path.iter().cloned());
    if joined {
        argv.push(format!("{flag}={value}"));
    } else {
        argv.extend([flag, value.to_owned()]);
    }
    match super::command().try_get_matches_from(&argv) {
        // the value passed; another argument the command needs is missing: read the value
        // from matches that ignore the rest
        Err(e) if e.kind() == ErrorKind::MissingRequiredArgument => {
            let matches = super::command()
                .ignore_errors(true)
                .try_get_matches_from(&argv)
                .expect("errors ignored");
            typed(&matches, path, arg)
        }
        Ok(matches) => typed(&matches, path, arg),
        Err(e)
            if !matches!(
                e.kind(),
                ErrorKind::ValueValidation | ErrorKind::InvalidValue
            ) =>
        {
            match e.kind() {
                ErrorKind::UnknownArgument => Parsed::Unknown(e.to_string()),
                _ => Parsed::Other,
            }
        }
        Err(e) => Parsed::Refused(e.to_string()),
    }
}

/// The value of `arg` as clap stored it: a duration, a number of days, or something else.
fn typed(matches: &clap::ArgMatches, path: &[String], arg: &clap::Arg) -> Parsed {
    {
        {
            let mut m = matches;
            for name in path {
                m = m.subcommand_matches(name).expect("the path parsed");
            }
            let id = arg.get_id().as_str();
            if let Ok(Some(d)) = m.try_get_one::<Duration>(id) {
                Parsed::Duration(*d)
            } else if let Ok(Some(days)) = m.try_get_one::<u32>(id) {
                Parsed::Days(*days)
            } else {
                Parsed::Other
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Parsed {
    Duration(Duration),
    Days(u32),
    Other,
    Refused(String),
    Unknown(String),
}

fn accepted(p: &Parsed) -> bool {
    !matches!(p, Parsed::Refused(_) | Parsed::Unknown(_))
}

/// A flag reads durations when it takes every duration form and refuses a word. A retention
/// age counts whole days: it takes the forms that make whole days (`48h`, `7d`, `1w`... and a
/// bare number of days) and refuses the rest rather than round.
fn is_duration_flag(path: &[String], arg: &clap::Arg) -> bool {
    let forms: &[&str] = if is_age(arg) {
        &["48h", "7d", "1d24h", "90"]
    } else {
        &["30s", "2h", "7d", "1h30m", "90"]
    };
    forms.iter().all(|v| accepted(&parse(path, arg, v, true)))
        && !accepted(&parse(path, arg, "soon", true))
}

fn is_age(arg: &clap::Arg) -> bool {
    arg.get_value_names()
        .and_then(|n| n.first())
        .is_some_and(|n| n.as_str() == "AGE")
}

#[test]
fn every_duration_flag_takes_the_same_forms() {
    let mut found = Vec::new();
    let mut wrong = Vec::new();
    for (path, arg) in options() {
        if arg.get_num_args().is_some_and(|n| n.takes_values()) && is_duration_flag(&path, &arg) {
            let name = format!("wfctl {} --{}", path.join(" "), arg.get_long().unwrap());
            let value_name = arg
                .get_value_names()
                .and_then(|n| n.first())
                .map(ToString::to_string)
                .unwrap_or_default();
            found.push(name.clone());
            // one value name per kind, so help (and the help-walking tests) tell them apart
            let expected = match value_name.as_str() {
                "DURATION" => (
                    Parsed::Duration(Duration::from_secs(90)),
                    Parsed::Duration(Duration::from_secs(5_400)),
                ),
                "AGE" => (Parsed::Days(90), Parsed::Days(2)),
                other => {
                    wrong.push(format!("{name}: value name {other:?}, not DURATION or AGE"));
                    continue;
                }
            };
            // a bare number: seconds (days for a retention age), as documented
            let bare = parse(&path, &arg, "90", true);
            let hours = if is_age(&arg) { "48h" } else { "1h30m" };
            if (bare, parse(&path, &arg, hours, true)) != expected {
                wrong.push(format!("{name}: 90 and {hours} are not {expected:?}"));
            }
            // an age that is no whole number of days is refused, never rounded
            if is_age(&arg) && accepted(&parse(&path, &arg, "36h", true)) {
                wrong.push(format!(
                    "{name}: 36h is taken, not refused as part of a day"
                ));
            }
            // a negative value after a space is the flag's, refused naming it
            match parse(&path, &arg, "-5s", false) {
                Parsed::Refused(e) if e.contains(&format!("--{}", arg.get_long().unwrap())) => {}
                other => wrong.push(format!("{name} -5s: {other:?}")),
            }
        } else if let Some(long) = arg.get_long()
            && [
                "timeout",
                "wait",
                "every",
                "stuck-for",
                "within",
                "keep",
                "interval",
                "older",
                "age",
                "lag",
            ]
            .iter()
            .any(|w| long == *w || long.ends_with(&format!("-{w}")))
        {
            // a flag named like a duration that does not read the duration forms
            wrong.push(format!(
                "wfctl {} --{long}: named like a duration but refuses 30s, 2h, 7d or 90",
                path.join(" ")
            ));
        }
    }
    assert!(found.len() > 15, "too few duration flags: {found:?}");
    // offsets from now, into the past too, after a space or `=`
    let due = vec!["sla".to_owned(), "due".to_owned()];
    let at = options()
        .into_iter()
        .find(|(p, a)| *p == due && a.get_long() == Some("at"))
        .expect("sla due --at")
        .1;
    for (value, joined) in [
        ("-30m", false),
        ("+2h", false),
        ("-30m", true),
        ("now", false),
    ] {
        if !accepted(&parse(&due, &at, value, joined)) {
            wrong.push(format!("sla due --at {value}: refused"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every command that takes variables (found in the tree by the value name `NAME=TYPE:VALUE`)
/// takes them one way: `--var NAME=TYPE:VALUE` (repeatable) and `--vars-file FILE`, never as
/// positional arguments.
#[test]
fn every_command_takes_variables_as_var_and_vars_file() {
    fn walk(cmd: &clap::Command, path: &str, wrong: &mut Vec<String>, found: &mut usize) {
        let takes_vars = cmd.get_arguments().filter(|a| !a.is_hide_set()).any(|a| {
            a.get_value_names()
                .is_some_and(|n| n.iter().any(|n| n.as_str().starts_with("NAME=")))
        });
        if takes_vars {
            *found += 1;
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let names_vars = arg
                    .get_value_names()
                    .is_some_and(|n| n.iter().any(|n| n.as_str().starts_with("NAME=")));
                if names_vars && arg.get_long() != Some("var") {
                    wrong.push(format!("wfctl{path}: variables as {}", arg.get_id()));
                }
            }
            if !cmd
                .get_arguments()
                .any(|a| a.get_long() == Some("vars-file"))
            {
                wrong.push(format!("wfctl{path}: no --vars-file"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), wrong, found);
        }
    }
    let mut root = super::command();
    root.build();
    let (mut wrong, mut found) = (Vec::new(), 0);
    walk(&root, "", &mut wrong, &mut found);
    assert!(found >= 4, "too few commands take variables: {found}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // the old positional form is refused (a usage error naming --var), not taken
    let old = super::command().try_get_matches_from(["wfctl", "case", "set-var", "c1", "a=long:1"]);
    assert!(
        old.is_ok(),
        "parsed, to be refused by the command naming --var"
    );
}

/// Every numeric option (one that takes `5` and refuses a word), found in the tree, refuses a
/// negative value one way whether it follows a space or `=`: one message naming the flag and
/// the rule, never clap's "unexpected argument '-5'".
#[test]
fn every_numeric_flag_refuses_a_negative_value_naming_itself() {
    let mut found = Vec::new();
    let mut wrong = Vec::new();
    for (path, arg) in options() {
        if !arg.get_num_args().is_some_and(|n| n.takes_values()) {
            continue;
        }
        let numeric = accepted(&parse(&path, &arg, "5", true))
            && !accepted(&parse(&path, &arg, "soon", true));
        if !numeric {
            continue;
        }
        let flag = format!("--{}", arg.get_long().unwrap());
        let name = format!("wfctl {} {flag}", path.join(" "));
        found.push(name.clone());
        let spaced = parse(&path, &arg, "-5", false);
        let joined = parse(&path, &arg, "-5", true);
        // a signed value (an offset) may take -5; then both forms take it
        if accepted(&spaced) && accepted(&joined) {
            continue;
        }
        match (&spaced, &joined) {
            (Parsed::Refused(a), Parsed::Refused(b))
                if a == b
                    && a.contains(&flag)
                    && ["must not be negative", "is not in", "must be "]
                        .iter()
                        .any(|rule| a.contains(rule)) => {}
            _ => wrong.push(format!("{name} -5: {spaced:?}; {name}=-5: {joined:?}")),
        }
    }
    assert!(found.len() > 20, "too few numeric flags: {found:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every whole-number flag refuses a number out of its range saying the range, the same way
/// for every flag: 0 where it is not taken (`--batch 0`), one past a bound (`--level 12`), one
/// past what its type holds.
#[test]
fn every_whole_number_flag_out_of_range_says_its_range() {
    let mut found = Vec::new();
    let mut wrong = Vec::new();
    for (path, arg) in options() {
        if !arg.get_num_args().is_some_and(|n| n.takes_values()) || is_duration_flag(&path, &arg) {
            continue;
        }
        let whole = accepted(&parse(&path, &arg, "5", true))
            && !accepted(&parse(&path, &arg, "soon", true))
            && !accepted(&parse(&path, &arg, "5.5", true));
        if !whole {
            continue;
        }
        let flag = format!("--{}", arg.get_long().unwrap());
        let name = format!("wfctl {} {flag}", path.join(" "));
        found.push(name.clone());
        for value in [
            "0",
            "10",
            "12",
            "65",
            "257",
            "1000",
            "100001",
            "99999999999999999999999",
        ] {
            if let Parsed::Refused(message) = parse(&path, &arg, value, true) {
                let says_range = message.lines().any(|line| {
                    line.contains(&flag)
                        && line.contains(value)
                        && line.contains("must be between ")
                        && line.contains(" and ")
                });
                if !says_range {
                    wrong.push(format!("{name}={value}: {message}"));
                }
            }
        }
    }
    assert!(found.len() > 10, "too few whole-number flags: {found:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every command of the tree (leaves and families alike) offers in its help exactly the
/// global options `--store` and `--database-url` it uses, and refuses the others typed: the
/// table below names every command, so a new one fails here until someone says what it
/// reads.
#[test]
fn every_command_offers_only_the_global_options_it_uses() {
    // (command path, uses --store, uses --database-url)
    const USES: &[(&str, bool, bool)] = &[
        ("journey validate", false, false),
        ("journey show", false, false),
        ("case", true, true),
        ("sla", true, true),
        ("db", false, true),
        ("diag", false, true),
        ("metrics", false, true),
        ("completions", false, false),
        ("migrate-files", false, true),
        ("config show", true, true),
        ("wal", false, false),
        ("keys generate", false, false),
        ("keys rotate", true, true),
        ("repo", false, false),
    ];
    fn leaves(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Command)>) {
        let subs: Vec<&clap::Command> = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name() != "help")
            .collect();
        if subs.is_empty() {
            out.push((path.trim().to_owned(), cmd.clone()));
        }
        for sub in subs {
            leaves(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut root = super::command();
    root.build();
    let mut all = Vec::new();
    leaves(&root, "", &mut all);
    let mut wrong = Vec::new();
    for (path, cmd) in &all {
        let Some((_, store, url)) = USES
            .iter()
            .find(|(p, ..)| path == p || path.starts_with(&format!("{p} ")))
        else {
            wrong.push(format!(
                "wfctl {path}: not in USES; say which globals it reads"
            ));
            continue;
        };
        for (id, uses) in [("store", *store), ("database_url", *url)] {
            let offered = cmd
                .get_arguments()
                .any(|a| a.get_id() == id && !a.is_hide_set());
            if offered != uses {
                wrong.push(format!(
                    "wfctl {path}: offers {id}: {offered}, uses it: {uses}"
                ));
            }
            // what it does not offer it refuses (journey tolerates a wrapper's --store)
            let refused = super::UNOFFERED.iter().any(|(p, ids)| {
                (path == p || path.starts_with(&format!("{p} "))) && ids.contains(&id)
            });
            if !uses && !refused {
                wrong.push(format!("wfctl {path}: ignores {id} without refusing it"));
            }
        }
    }
    assert!(all.len() > 30, "too few commands: {}", all.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Where a refusal of any option's value quotes the value, it quotes it one way, as
/// `quoted_for_message` does (`"soon"`, escaped), never `'soon'` or bare backticks; clap's own
/// prefix (`invalid value 'soon' for '--flag'`) is clap's and left aside.
#[test]
fn a_refused_value_is_quoted_one_way() {
    let mut wrong = Vec::new();
    for (path, arg) in options() {
        if !arg.get_num_args().is_some_and(|n| n.takes_values()) {
            continue;
        }
        for value in ["soon", "12QB"] {
            if let Parsed::Refused(message) = parse(&path, &arg, value, true) {
                let reason = message.split_once("': ").map_or("", |(_, r)| r);
                if reason.contains(&format!("'{value}'")) || reason.contains(&format!("`{value}`"))
                {
                    wrong.push(format!(
                        "wfctl {} --{}: {}",
                        path.join(" "),
                        arg.get_long().unwrap_or_default(),
                        reason.lines().next().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
