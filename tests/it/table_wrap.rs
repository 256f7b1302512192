//! Tables on a terminal wrap at spaces: a word is never broken across lines; a word too long
//! for any fair share of the width is cut with `…`. The terminal is a pseudo-terminal from
//! util-linux's `script`, sized with `stty`.

use std::path::Path;
use std::process::Command;

/// `wfctl config show` on a terminal `cols` wide, with the user configuration in `home`.
fn config_show_on_terminal(home: &Path, cols: u16) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("WFCTL_REQUIRE_PG").is_none(),
            "script (util-linux) is needed"
        );
        return None;
    }
    let line = format!(
        "stty cols {cols}; '{}' config show",
        crate::support::wfctl_path().display()
    );
    let cwd = tempfile::tempdir().unwrap();
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(cwd.path())
        .env("XDG_CONFIG_HOME", home)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .env_remove("WFCTL_STORE")
        .env_remove("WFCTL_CONFIG")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{shown}");
    Some(shown)
}

fn user_config(home: &Path) -> String {
    let dir = home.join("wfctl");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wfctl.toml");
    std::fs::write(&path, "[database]\npool_size = 3\n").unwrap();
    path.display().to_string()
}

#[test]
fn a_terminal_table_wraps_at_spaces_not_inside_a_path() {
    let home = tempfile::tempdir().unwrap();
    let path = user_config(home.path());
    assert!(
        path.len() <= 36,
        "a longer temp dir than this test sizes for: {path}"
    );
    let Some(shown) = config_show_on_terminal(home.path(), 100) else {
        return;
    };
    assert!(
        shown.lines().all(|l| l.chars().count() <= 100),
        "wider than the terminal:\n{shown}"
    );
    // the file's path is the config file's value and the source of pool_size: whole both times
    let whole = shown.lines().filter(|l| l.contains(&path)).count();
    assert_eq!(whole, 2, "{path} broken across lines:\n{shown}");
}

#[test]
fn a_word_too_long_for_a_narrow_terminal_is_cut_with_an_ellipsis() {
    let home = tempfile::tempdir().unwrap();
    let path = user_config(home.path());
    let Some(shown) = config_show_on_terminal(home.path(), 60) else {
        return;
    };
    assert!(
        shown.lines().all(|l| l.chars().count() <= 60),
        "wider than the terminal:\n{shown}"
    );
    let row = shown
        .lines()
        .find(|l| l.contains("config file"))
        .unwrap_or_else(|| panic!("{shown}"));
    let value = row.split('┆').nth(1).unwrap().trim();
    let kept = value
        .strip_suffix('…')
        .unwrap_or_else(|| panic!("not cut: {row}"));
    assert!(path.starts_with(kept), "{kept} is not the start of {path}");
    // the rest of the path is nowhere: a cut, not a wrap
    let tail = &path[path.len() - 8..];
    assert!(
        !shown.contains(tail),
        "{tail} wrapped onto another line:\n{shown}"
    );
}
