//! Where `wfctl.toml` is looked for when neither `--config` nor `WFCTL_CONFIG` names one: the
//! current directory, then the user's configuration directory, then the system's. The first
//! file found is the configuration; files are never merged, so one file says everything.

use std::path::{Path, PathBuf};

/// The file name looked for in each directory.
pub const FILE_NAME: &str = "wfctl.toml";

/// The system-wide directory (cron jobs run in `/`, where no `./wfctl.toml` is).
pub const SYSTEM_DIR: &str = "/etc/wfctl";

/// One place a configuration file may be, and what to call that place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The file.
    pub path: PathBuf,
    /// Where it is: `current directory`, `user config`, `system config`.
    pub place: &'static str,
}

/// The user's configuration directory: `$XDG_CONFIG_HOME/wfctl`, else `~/.config/wfctl`.
fn user_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| Path::new(&h).join(".config"))
    })
    .map(|dir| dir.join("wfctl"))
}

/// Every place looked in, in order.
pub fn candidates() -> Vec<Candidate> {
    let mut all = vec![Candidate {
        path: PathBuf::from(FILE_NAME),
        place: "current directory",
    }];
    if let Some(dir) = user_dir() {
        all.push(Candidate {
            path: dir.join(FILE_NAME),
            place: "user config",
        });
    }
    all.push(Candidate {
        path: Path::new(SYSTEM_DIR).join(FILE_NAME),
        place: "system config",
    });
    all
}

/// The first configuration file that exists, if any.
pub fn find() -> Option<Candidate> {
    candidates().into_iter().find(|c| c.path.exists())
}
