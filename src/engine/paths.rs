//! Exec path names: `.` is the root; branch `b` of parallel route `r` started from
//! path `P` is `P + r + "." + b + "."`. Depth is the number of dots.

/// The root path.
pub const ROOT: &str = ".";

/// The longest exec path name a store keeps: PostgreSQL keeps it in `VARCHAR(500)` columns
/// (`execution_paths.name`, `workflow_info.pend_exec_path`), so every store refuses longer
/// ones the same way (the route error-pends) rather than the database alone at save.
pub const MAX_PATH_CHARS: usize = 500;

/// Number of `.` in a path name.
pub fn depth(name: &str) -> usize {
    name.bytes().filter(|&b| b == b'.').count()
}

/// The path a branch was started from (`.` for the root itself).
pub fn parent(name: &str) -> &str {
    let depth = depth(name);
    if depth <= 2 {
        return ROOT;
    }
    // the prefix ending at the (depth - 2)-th dot
    let (end, _) = name
        .match_indices('.')
        .nth(depth - 3)
        .expect("depth counts these dots");
    &name[..=end]
}

/// The name of branch `branch` of `route` started from `parent`.
pub fn child(parent: &str, route: &str, branch: &str) -> String {
    format!("{parent}{route}.{branch}.")
}

/// The prefix shared by all branches of the parallel block a branch path belongs to
/// (`.r.1.` → `.r.`); `None` for the root.
pub fn block_prefix(name: &str) -> Option<&str> {
    if name == ROOT {
        return None;
    }
    let trimmed = name.strip_suffix('.')?;
    let cut = trimmed.rfind('.')?;
    Some(&name[..=cut])
}

/// Whether `name` lies in the subtree of `ancestor` (itself included).
pub fn in_subtree(name: &str, ancestor: &str) -> bool {
    name.starts_with(ancestor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_follows_the_spec() {
        assert_eq!(child(".", "route_1", "1"), ".route_1.1.");
        assert_eq!(
            child(".route_1.1.", "route_b1_1", "2"),
            ".route_1.1.route_b1_1.2."
        );
        assert_eq!(depth("."), 1);
        assert_eq!(depth(".r.b."), 3);
        assert_eq!(depth(".r.b.r2.b2."), 5);
    }

    #[test]
    fn parents() {
        assert_eq!(parent("."), ".");
        assert_eq!(parent(".route_1.1."), ".");
        assert_eq!(parent(".route_1.1.route_b1_1.2."), ".route_1.1.");
        assert_eq!(parent(".a.1.b.2.c.3."), ".a.1.b.2.");
    }

    #[test]
    fn block_prefixes() {
        assert_eq!(block_prefix("."), None);
        assert_eq!(block_prefix(".route_1.2."), Some(".route_1."));
        assert_eq!(block_prefix(".r1.1.r2.3."), Some(".r1.1.r2."));
    }
}
