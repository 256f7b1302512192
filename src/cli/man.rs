//! Man pages, generated with clap_mangen from the same command definitions as parsing, help and
//! completions, and checked in under `man/` (one page per command: `wfctl.1`,
//! `wfctl-case-start.1`, ...). A test fails when they drift from the definitions;
//! `WFCTL_BLESS=1 cargo test --bin wfctl man` rewrites them.

use std::collections::BTreeMap;

/// Every page, by file name. The pages carry the package version only (not the commit that
/// `--version` adds), so they change when the commands do, not with every commit.
fn pages() -> BTreeMap<String, Vec<u8>> {
    fn add(cmd: clap::Command, pages: &mut BTreeMap<String, Vec<u8>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            add(sub.clone(), pages);
        }
        let man = clap_mangen::Man::new(cmd).source(format!("wfctl {}", env!("CARGO_PKG_VERSION")));
        let mut page = Vec::new();
        man.render(&mut page).expect("rendering into memory");
        pages.insert(man.get_filename(), titled_sections(&page));
    }
    let mut root = super::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    root.build();
    let mut pages = BTreeMap::new();
    add(root, &mut pages);
    pages
}

/// The headings of the long help's closing text become man sections: "Examples:" is EXAMPLES
/// and "Exit codes:" EXIT STATUS, where man(7) readers look for them, not under clap_mangen's
/// catch-all EXTRA; text under no heading goes under NOTES.
fn titled_sections(page: &[u8]) -> Vec<u8> {
    const HEADINGS: &[(&str, &str)] = &[
        ("Examples:", ".SH EXAMPLES"),
        ("Exit codes:", ".SH \"EXIT STATUS\""),
    ];
    let text = String::from_utf8_lossy(page);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut in_extra = false;
    for (i, line) in lines.iter().enumerate() {
        if *line == ".SH EXTRA" {
            in_extra = true;
            // the catch-all heading goes when a named one follows at once
            if lines
                .get(i + 1)
                .is_some_and(|next| HEADINGS.iter().any(|(h, _)| h == next))
            {
                continue;
            }
            // text under no heading of its own (what the thresholds mean, ...) is notes
            out.push(".SH NOTES".to_owned());
            continue;
        } else if line.starts_with(".SH ") {
            in_extra = false;
        }
        let heading = HEADINGS.iter().find(|(h, _)| h == line);
        match heading {
            Some((_, section)) if in_extra => out.push((*section).to_owned()),
            // a blank line before a heading only separated sections in the help
            _ if in_extra
                && line.is_empty()
                && lines
                    .get(i + 1)
                    .is_some_and(|next| HEADINGS.iter().any(|(h, _)| h == next)) => {}
            _ => out.push((*line).to_owned()),
        }
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    joined.into_bytes()
}

#[test]
fn checked_in_man_pages_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = pages();
    assert!(
        pages.contains_key("wfctl-case-start.1"),
        "{:?}",
        pages.keys()
    );
    if std::env::var_os("WFCTL_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, page) in &pages {
            std::fs::write(dir.join(name), page).unwrap();
        }
    }
    let mut stale: Vec<String> = pages
        .iter()
        .filter(|(name, page)| std::fs::read(dir.join(name)).ok().as_ref() != Some(*page))
        .map(|(name, _)| name.clone())
        .collect();
    // a page of a command that is gone
    stale.extend(
        std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| !pages.contains_key(name)),
    );
    assert!(
        stale.is_empty(),
        "stale man pages {stale:?}: run `WFCTL_BLESS=1 cargo test --bin wfctl man` and commit"
    );
}

#[test]
fn a_page_has_the_options_and_the_examples() {
    let pages = pages();
    let page = String::from_utf8_lossy(&pages["wfctl-case-list.1"]).into_owned();
    for part in [
        "wfctl\\-case\\-list",
        "\\-\\-status",
        ".SH EXAMPLES",
        "wfctl 0.1",
    ] {
        assert!(page.contains(part), "no {part:?} in\n{page}");
    }
    assert!(!page.contains("commit"), "{page}");
}

/// Every page (walked from the command tree) puts its examples under EXAMPLES, and no page
/// keeps a catch-all EXTRA section.
#[test]
fn every_page_has_an_examples_section() {
    let mut wrong = Vec::new();
    for (name, page) in pages() {
        let page = String::from_utf8_lossy(&page).into_owned();
        if !page.contains("\n.SH EXAMPLES\n") || page.contains(".SH EXTRA") {
            wrong.push(name);
        }
    }
    let root = String::from_utf8_lossy(&pages()["wfctl.1"]).into_owned();
    assert!(root.contains(".SH \"EXIT STATUS\""), "{root}");
    assert!(
        wrong.is_empty(),
        "pages without EXAMPLES or with EXTRA: {wrong:?}"
    );
}
