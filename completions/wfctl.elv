
use builtin;
use str;

set edit:completion:arg-completer[wfctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'wfctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'wfctl'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sla 'SLA milestones that are due'
            cand config 'Show the effective configuration: every setting, its value and where it came from'
            cand db 'Set up, migrate, back up and restore the PostgreSQL database'
            cand wal 'Archive WAL into the repository and fetch it back (archive_command, restore_command)'
            cand migrate-files 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
            cand keys 'Keys of sensitive variables: generate one'
            cand diag 'Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck cases, plans; `diag all --check` for monitoring'
            cand metrics 'Prometheus metrics of the cases (text format on stdout, or served with --listen)'
            cand completions 'Print a shell completion script'
            cand journey 'Check journey files and show their units'
            cand repo 'The backup repository''s objects: list, fetch, store and remove (S3, encrypted as configured)'
            cand case 'Start, resume, reopen, move, inspect and list cases'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;sla'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand due 'Milestones due at or before a time (default now), oldest first'
            cand run 'Act on due milestones: once, or every --every until SIGTERM'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;sla;due'= {
            cand --at 'The time to compare with: RFC 3339 (2030-01-31T12:00:00Z), or an offset from now (+2h, -30m); default now'
            cand --workbasket 'Only milestones of this work basket'
            cand --fired-within 'Also list the milestones `sla run` fired this long before the time (default 1d)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;sla;run'= {
            cand --every 'Run a pass every DURATION (e.g. 1m) until SIGTERM; without it, one pass'
            cand --limit 'Act on at most N milestones per pass'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'List the due milestones and what would run, and report actions nothing can carry out'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;sla;help'= {
            cand due 'Milestones due at or before a time (default now), oldest first'
            cand run 'Act on due milestones: once, or every --every until SIGTERM'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;sla;help;due'= {
        }
        &'wfctl;sla;help;run'= {
        }
        &'wfctl;sla;help;help'= {
        }
        &'wfctl;config'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand show 'Print every effective setting with its value and where it came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;config;show'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;config;help'= {
            cand show 'Print every effective setting with its value and where it came from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;config;help;show'= {
        }
        &'wfctl;config;help;help'= {
        }
        &'wfctl;db'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand setup 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
            cand migrate 'Apply pending schema migrations'
            cand status 'Show which migrations are applied and which are pending'
            cand backup 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
            cand backups 'List the backups in a directory: age, size, verified or not'
            cand verify 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
            cand restore 'Restore a backup into a database, all or nothing'
            cand basebackup 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
            cand restore-pitr 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;db;setup'= {
            cand --admin-url 'A superuser (or CREATEDB + CREATEROLE) URL to the server''s maintenance database'
            cand --database 'Database to create'
            cand --user 'Login role the application (and wfctl) uses'
            cand --readonly-user 'Read-only role for reporting and diagnostics'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --no-readonly 'Do not create a read-only role'
            cand --grant-monitor 'Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session'
            cand --print-sql 'Print the statements instead of running them (passwords as SCRAM verifiers only)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;migrate'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'List the pending migrations without applying them'
            cand --adopt 'Take over a database created by hand from the seed guide: check that its tables match, record the guide''s schema as applied, then apply the rest'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;status'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;backup'= {
            cand --dir 'Backup directory, created with mode 0700 if missing (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)'
            cand --format 'File format (default: `[backup] format`, else sql-gz)'
            cand --level 'Compression level 0-9 (default: `[backup] level`, else 6: the size of gzip -6, in less time)'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)'
            cand --keep 'Delete this database''s backups older than this, after a successful backup: 7d, 2weeks; a bare number is days; whole days only (default: `[backup] keep_days`, else 7d)'
            cand --keep-days 'Delete this database''s backups older than this, after a successful backup: 7d, 2weeks; a bare number is days; whole days only (default: `[backup] keep_days`, else 7d)'
            cand --keep-min 'Never delete the newest this many good backups, however old (default: `[backup] keep_min`, else 3)'
            cand --wait 'Wait this long for another backup in the directory to finish (default: exit 75 at once)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Run the preflight and show what retention would delete; write nothing (not even the directory or its lock file)'
            cand --repo 'Store the backup in the repository ([repository] url, or WFCTL_REPOSITORY) as backups/NAME, encrypted when [repository] encrypt is set, instead of in a directory (--dir is not used); retention then applies to the repository''s backups'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;backups'= {
            cand --dir 'Backup directory (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)'
            cand --check-fresh 'Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --repo 'List the backups in the repository ([repository] url, or WFCTL_REPOSITORY) instead of a directory'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;verify'= {
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --restore-test 'Also restore it into a throwaway database, compare row counts with the manifest and check its migrations, then drop it (needs CREATEDB)'
            cand --repo 'FILE is the name of a backup in the repository ([repository] url, or WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;restore'= {
            cand --target-db 'Database to restore into, on the server of --database-url'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --create 'Create the target database (refused when it exists: leave --create out to restore into it)'
            cand --force 'Replace a non-empty target''s contents (its schemas are dropped inside the restore''s transaction: a failed restore drops nothing)'
            cand --no-analyze 'Skip ANALYZE after the restore (a dump carries no planner statistics)'
            cand --repo 'FILE is the name of a backup in the repository ([repository] url, or WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;basebackup'= {
            cand --dir 'Directory for base backups (one base_YYYYmmdd_HHMMSS directory each)'
            cand --format 'Output format'
            cand --max-rate 'Limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)'
            cand --keep-min 'Never delete the newest this many good base backups (at least 1)'
            cand --keep 'Also keep every base backup younger than this: 7d, 2weeks; a bare number is days; whole days only (the same flag as `db backup --keep`)'
            cand --keep-days 'Also keep every base backup younger than this: 7d, 2weeks; a bare number is days; whole days only (the same flag as `db backup --keep`)'
            cand --wait 'Wait this long for another backup in the directory to finish (default: exit 75 at once)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --fast-checkpoint 'Start at once with a fast checkpoint (default: wait for a spread checkpoint, which spares the server but can take minutes)'
            cand --dry-run 'Run the preflight and show what retention would delete; write nothing (not even the directory or its lock file)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;restore-pitr'= {
            cand --target-time 'Restore to this moment: 2024-05-01T14:30:00Z, or as PostgreSQL prints it (2024-05-01 14:30:00.123+00); without a zone it is UTC'
            cand --data-dir 'The new data directory (must not exist, or be empty)'
            cand --dir 'Directory of base backups (as given to `db basebackup --dir`)'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)'
            cand --timeout 'With --start: how long to wait for recovery'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --start 'Also start the server and wait until recovery reached the target and promoted'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;help'= {
            cand setup 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
            cand migrate 'Apply pending schema migrations'
            cand status 'Show which migrations are applied and which are pending'
            cand backup 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
            cand backups 'List the backups in a directory: age, size, verified or not'
            cand verify 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
            cand restore 'Restore a backup into a database, all or nothing'
            cand basebackup 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
            cand restore-pitr 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;db;help;setup'= {
        }
        &'wfctl;db;help;migrate'= {
        }
        &'wfctl;db;help;status'= {
        }
        &'wfctl;db;help;backup'= {
        }
        &'wfctl;db;help;backups'= {
        }
        &'wfctl;db;help;verify'= {
        }
        &'wfctl;db;help;restore'= {
        }
        &'wfctl;db;help;basebackup'= {
        }
        &'wfctl;db;help;restore-pitr'= {
        }
        &'wfctl;db;help;help'= {
        }
        &'wfctl;wal'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand push 'Archive one WAL file into the repository (archive_command = ''wfctl wal push %p''): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten'
            cand fetch 'Fetch one WAL file from the repository (restore_command = ''wfctl wal fetch %f %p''): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;wal;push'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;wal;fetch'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;wal;help'= {
            cand push 'Archive one WAL file into the repository (archive_command = ''wfctl wal push %p''): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten'
            cand fetch 'Fetch one WAL file from the repository (restore_command = ''wfctl wal fetch %f %p''): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;wal;help;push'= {
        }
        &'wfctl;wal;help;fetch'= {
        }
        &'wfctl;wal;help;help'= {
        }
        &'wfctl;migrate-files'= {
            cand --rejects 'Write rejected files to FILE as JSON lines (path, class, message, field)'
            cand --retry 'Reload only the cases of the files listed in FILE (a --rejects report)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --jobs 'Threads reading and parsing files [default: number of cores]'
            cand --batch-size 'Cases per transaction'
            cand --connections 'Database connections loading batches in parallel'
            cand --max-errors 'Stop after N rejected files'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Parse and validate everything, write nothing (needs no database)'
            cand --verify 'After loading, read every imported case back and compare it with its source'
            cand --no-update 'Refuse (reject as `changed`) cases whose files changed since they were imported, instead of re-importing them'
            cand --force 'Replace cases that exist in the database without having been imported, or that changed there since they were (rejected as `conflict` otherwise); never a case being run'
            cand --follow-symlinks 'Read symbolic links that point outside DIR (by default each is rejected as `outside_link`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;keys'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand rotate 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE'
            cand generate 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;keys;rotate'= {
            cand --new-key 'The new key file (from wfctl keys generate)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;keys;generate'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;keys;help'= {
            cand rotate 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE'
            cand generate 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;keys;help;rotate'= {
        }
        &'wfctl;keys;help;generate'= {
        }
        &'wfctl;keys;help;help'= {
        }
        &'wfctl;diag'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand health 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable'
            cand indexes 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one'
            cand slow-queries 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation'
            cand locks 'Who blocks whom, for how long, running what, and the case involved'
            cand long-running 'Active statements and idle-in-transaction sessions older than a threshold'
            cand sizes 'Database and table sizes'
            cand bloat 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)'
            cand vacuum 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags'
            cand cases 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows'
            cand explain 'EXPLAIN (ANALYZE, BUFFERS) of wfctl''s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables'
            cand doctor 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration'
            cand settings 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
            cand wal 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
            cand all 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;diag;health'= {
            cand --warn 'Warning level, e.g. `connections=80%` (see `diag all --help` for the keys)'
            cand --crit 'Critical level'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;indexes'= {
            cand --min-stats-age 'Statistics younger than this cannot prove an index unused (a restored or reset database has no scans anywhere); `diag all` warns about unused indexes only past it'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Every index with its scans, tuples read and fetched, and size (not only the problems)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;slow-queries'= {
            cand --order 'Sort by total time (where the time goes), mean time per call, or calls'
            cand --limit 'How many statements'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --reset 'Reset pg_stat_statements for this database (needs EXECUTE on pg_stat_statements_reset: a superuser by default) instead of listing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;locks'= {
            cand --terminate 'Terminate this session (pg_terminate_backend) after showing it and asking; needs pg_signal_backend for other roles'' sessions'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand -y 'Do not ask before terminating (for scripts)'
            cand --yes 'Do not ask before terminating (for scripts)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;long-running'= {
            cand --min 'Show statements running, and transactions idle, longer than this'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;sizes'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;bloat'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;vacuum'= {
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --run 'VACUUM the tables whose dead rows cross the dead_tuples warning level (20% of live, tables of 10,000+ rows), one statement each'
            cand --analyze 'With --run: VACUUM (ANALYZE), refreshing the planner''s statistics too'
            cand --full 'With --run: VACUUM (FULL, ANALYZE), which returns space to the system but locks each table (no reads, no writes) for the whole rewrite'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;cases'= {
            cand --error-basket 'The error work basket (default: [engine] error_workbasket, else workflow_error)'
            cand --stuck-for 'A running case not written for this long and not holding its case lock is stuck'
            cand --limit 'How many cases to list per section'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;explain'= {
            cand --stuck-for 'The stuck-case scan''s parameter (cases idle longer than this)'
            cand --timeout 'statement_timeout for each statement'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --plans 'Print each plan in full'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;doctor'= {
            cand --write-migration 'Write the missing recommended indexes as diesel migrations into DIR (e.g. ./migrations): CREATE INDEX CONCURRENTLY, one per migration run outside a transaction, under a lock_timeout'
            cand --lock-timeout 'lock_timeout for the generated migrations'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;settings'= {
            cand --ram 'RAM PostgreSQL may use (e.g. 16GB); default: read from the server'
            cand --storage 'The disks the data lives on'
            cand --far-off 'How many times away from the recommendation counts as far off'
            cand --cores 'CPU cores of the server; default: read from the server'
            cand --spindles 'The guide''s effective_spindle_count for the pool formula (1 for an SSD)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --check 'Exit 3 when something is far off (see below)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;wal'= {
            cand --max-archive-age 'How long a completed WAL segment may wait for the archive'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --check 'Exit 3 when archiving is off, failing or behind (see below)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;all'= {
            cand --warn 'Warning level, e.g. `long_running=2m` (repeatable; keys below)'
            cand --crit 'Critical level, e.g. `connections=98%` (repeatable)'
            cand --skip 'Leave a check out (repeatable): health, long-running, locks, vacuum, indexes, slow-queries, bloat, sizes, cases, explain'
            cand --include 'Also run an opt-in check (repeatable): settings (server tuning against the guide), wal (WAL archiving for point-in-time recovery). Opt-in because an untuned or non-archiving server is a choice, not an incident'
            cand --error-basket 'The error work basket (default: [engine] error_workbasket, else workflow_error)'
            cand --stuck-for 'A running case idle this long without its case lock is stuck'
            cand --min-stats-age 'Index statistics younger than this do not make an unused index a warning'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --check 'Exit 3 when any check that runs finds a warning or a critical problem (0 otherwise); the opt-in checks settings and wal run only with --include'
            cand --nagios 'Nagios plugin output: one status line with performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also when the database is unreachable)'
            cand --analyze 'The explain check runs wfctl''s statements (EXPLAIN ANALYZE, rolled back) instead of only planning them: real times and buffers, at the cost of running the heaviest statements'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;diag;help'= {
            cand health 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable'
            cand indexes 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one'
            cand slow-queries 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation'
            cand locks 'Who blocks whom, for how long, running what, and the case involved'
            cand long-running 'Active statements and idle-in-transaction sessions older than a threshold'
            cand sizes 'Database and table sizes'
            cand bloat 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)'
            cand vacuum 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags'
            cand cases 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows'
            cand explain 'EXPLAIN (ANALYZE, BUFFERS) of wfctl''s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables'
            cand doctor 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration'
            cand settings 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
            cand wal 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
            cand all 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;diag;help;health'= {
        }
        &'wfctl;diag;help;indexes'= {
        }
        &'wfctl;diag;help;slow-queries'= {
        }
        &'wfctl;diag;help;locks'= {
        }
        &'wfctl;diag;help;long-running'= {
        }
        &'wfctl;diag;help;sizes'= {
        }
        &'wfctl;diag;help;bloat'= {
        }
        &'wfctl;diag;help;vacuum'= {
        }
        &'wfctl;diag;help;cases'= {
        }
        &'wfctl;diag;help;explain'= {
        }
        &'wfctl;diag;help;doctor'= {
        }
        &'wfctl;diag;help;settings'= {
        }
        &'wfctl;diag;help;wal'= {
        }
        &'wfctl;diag;help;all'= {
        }
        &'wfctl;diag;help;help'= {
        }
        &'wfctl;metrics'= {
            cand --listen 'Serve the metrics on http://ADDR/metrics instead of printing them once (e.g. 127.0.0.1:9187; every scrape reads the database)'
            cand --error-basket 'The error work basket (default: [engine] error_workbasket, else workflow_error)'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --max-requests 'Stop after serving this many requests (for tests and one-off scrapes)'
            cand --request-timeout 'With --listen: the time a request has to arrive in full (default 10s)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;completions'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;journey'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand validate 'Check journey (and SLA) files; report every problem; exit 3 when any is found'
            cand show 'Show a journey''s units, types, components and next steps'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;journey;validate'= {
            cand --sla 'SLA files to check as well; repeatable'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;journey;show'= {
            cand --format 'Output format'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;journey;help'= {
            cand validate 'Check journey (and SLA) files; report every problem; exit 3 when any is found'
            cand show 'Show a journey''s units, types, components and next steps'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;journey;help;validate'= {
        }
        &'wfctl;journey;help;show'= {
        }
        &'wfctl;journey;help;help'= {
        }
        &'wfctl;repo'= {
            cand --repo 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List the complete objects under a prefix (an interrupted upload is never listed)'
            cand get 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted'
            cand put 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set'
            cand rm 'Remove an object (removing an absent one succeeds)'
            cand keygen 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;repo;ls'= {
            cand --repo 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;repo;get'= {
            cand --repo 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --force 'Replace FILE when it exists'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;repo;put'= {
            cand --repo 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --replace 'Replace an existing object (refused otherwise)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;repo;rm'= {
            cand --repo 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;repo;keygen'= {
            cand --repo 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;repo;help'= {
            cand ls 'List the complete objects under a prefix (an interrupted upload is never listed)'
            cand get 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted'
            cand put 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set'
            cand rm 'Remove an object (removing an absent one succeeds)'
            cand keygen 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;repo;help;ls'= {
        }
        &'wfctl;repo;help;get'= {
        }
        &'wfctl;repo;help;put'= {
        }
        &'wfctl;repo;help;rm'= {
        }
        &'wfctl;repo;help;keygen'= {
        }
        &'wfctl;repo;help;help'= {
        }
        &'wfctl;case'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand start 'Start a new case of a journey and run it until it pends or completes'
            cand resume 'Resume a pended case, or with --all every case pended in a work basket'
            cand reopen 'Reopen a completed case at the step of one of its journey''s tickets'
            cand set-var 'Add or replace variables of a case without running it'
            cand show 'Show a case: status, where it waits, variables, exec paths, milestones'
            cand list 'List cases, filtered, one page at a time (ordered by case id)'
            cand history 'The audit log of a case: one row per recorded unit'
            cand cancel 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why'
            cand wait 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out'
            cand purge 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)'
            cand watch 'The same as case history ID --follow'
            cand change-workbasket 'Move a pended case, or with --all every case of a work basket, to another work basket'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;case;start'= {
            cand --journey 'The journey file (JSON)'
            cand --sla 'The SLA file of the journey (JSON)'
            cand --case-id 'The new case''s id (default: a generated one, printed)'
            cand --var 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable'
            cand --vars-file 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}'
            cand --wait 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;resume'= {
            cand --var 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable'
            cand --vars-file 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}'
            cand --status 'Only cases with this status'
            cand --workbasket 'Only cases pended in this work basket'
            cand --journey 'Only cases of this journey (by name)'
            cand --step 'Only cases at this step (the pended step, or the last one run)'
            cand --ids-file 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q'
            cand --wait 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75'
            cand --stuck-for 'Only incomplete cases not written for this long (e.g. 2h, 3days)'
            cand --limit 'With --all or --ids-file: at most this many cases (this worker)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
            cand --sla-overdue 'Only cases with an SLA milestone past its due time'
            cand --dry-run 'With --all or --ids-file: list the cases that would be taken, change nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;reopen'= {
            cand --ticket 'The ticket whose step the case continues at'
            cand --pend-workbasket 'Pend the reopened case in this work basket instead of running it at once; a later resume acts on the ticket'
            cand --var 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable'
            cand --vars-file 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}'
            cand --status 'Only cases with this status'
            cand --workbasket 'Only cases pended in this work basket'
            cand --journey 'Only cases of this journey (by name)'
            cand --step 'Only cases at this step (the pended step, or the last one run)'
            cand --ids-file 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q'
            cand --wait 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75'
            cand --stuck-for 'Only incomplete cases not written for this long (e.g. 2h, 3days)'
            cand --limit 'With --all or --ids-file: at most this many cases (this worker)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
            cand --sla-overdue 'Only cases with an SLA milestone past its due time'
            cand --dry-run 'With --all or --ids-file: list the cases that would be taken, change nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;set-var'= {
            cand --var 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable'
            cand --vars-file 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}'
            cand --status 'Only cases with this status'
            cand --workbasket 'Only cases pended in this work basket'
            cand --journey 'Only cases of this journey (by name)'
            cand --step 'Only cases at this step (the pended step, or the last one run)'
            cand --ids-file 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q'
            cand --wait 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75'
            cand --stuck-for 'Only incomplete cases not written for this long (e.g. 2h, 3days)'
            cand --limit 'With --all or --ids-file: at most this many cases (this worker)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
            cand --sla-overdue 'Only cases with an SLA milestone past its due time'
            cand --dry-run 'With --all or --ids-file: list the cases that would be taken, change nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;show'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --reveal 'Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or [variables] key_file)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;list'= {
            cand --status 'Only cases with this status'
            cand --workbasket 'Only cases pended in this work basket'
            cand --journey 'Only cases of this journey (by name)'
            cand --step 'Only cases at this step (the pended step, or the last one run)'
            cand --after 'Start after this case id (the `next_after` of the previous page)'
            cand --stuck-for 'Only incomplete cases not written for this long (e.g. 2h, 3days)'
            cand --limit 'At most this many cases (0: no limit)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --sla-overdue 'Only cases with an SLA milestone past its due time'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;history'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --follow 'Print the records as they are written, until the case completes or Ctrl-C (also: case watch ID); with --json one JSON line per record'
            cand --reveal 'Show sensitive variables in clear instead of *** (needs the key)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;cancel'= {
            cand --reason 'Why it is cancelled (kept with the case and in its audit log)'
            cand --status 'Only cases with this status'
            cand --workbasket 'Only cases pended in this work basket'
            cand --journey 'Only cases of this journey (by name)'
            cand --step 'Only cases at this step (the pended step, or the last one run)'
            cand --ids-file 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q'
            cand --wait 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75'
            cand --stuck-for 'Only incomplete cases not written for this long (e.g. 2h, 3days)'
            cand --limit 'With --all or --ids-file: at most this many cases (this worker)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
            cand --sla-overdue 'Only cases with an SLA milestone past its due time'
            cand --dry-run 'With --all or --ids-file: list the cases that would be taken, change nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;wait'= {
            cand --until 'The state to wait for: completed, pended, pended:WORKBASKET, or changed (anything saved after the wait began)'
            cand --timeout 'Give up after this long (exit 3): seconds, or 30s, 10m, 2h'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;purge'= {
            cand --archive 'Write each case into this directory (a file store: migrate-files DIR brings cases back) and make it durable before the case is deleted'
            cand --completed-before 'Purge the cases that completed (or were cancelled) longer ago than this: 90d, 12w, or a number of days; 0 takes every finished case'
            cand --limit 'At most this many cases (1 or more)'
            cand --batch 'Cases per batch (1 to 100000): one archive sync and one transaction each'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --no-archive 'Delete the cases without keeping a copy (nothing brings them back)'
            cand --dry-run 'Count the cases and bytes that would be purged; write and delete nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;watch'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --reveal 'Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or [variables] key_file)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;case;change-workbasket'= {
            cand --status 'Only cases with this status'
            cand --workbasket 'Only cases pended in this work basket'
            cand --journey 'Only cases of this journey (by name)'
            cand --ids-file 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q'
            cand --wait 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75'
            cand --limit 'With --all or --ids-file: at most this many cases (this worker)'
            cand --stuck-for 'Only incomplete cases not written for this long (e.g. 2h, 3days)'
            cand --step 'Only cases at this step (the pended step, or the last one run)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --all 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
            cand --sla-overdue 'Only cases with an SLA milestone past its due time'
            cand --dry-run 'With --all or --ids-file: list the cases that would be taken, change nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand --quiet 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;case;help'= {
            cand start 'Start a new case of a journey and run it until it pends or completes'
            cand resume 'Resume a pended case, or with --all every case pended in a work basket'
            cand reopen 'Reopen a completed case at the step of one of its journey''s tickets'
            cand set-var 'Add or replace variables of a case without running it'
            cand show 'Show a case: status, where it waits, variables, exec paths, milestones'
            cand list 'List cases, filtered, one page at a time (ordered by case id)'
            cand history 'The audit log of a case: one row per recorded unit'
            cand cancel 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why'
            cand wait 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out'
            cand purge 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)'
            cand watch 'The same as case history ID --follow'
            cand change-workbasket 'Move a pended case, or with --all every case of a work basket, to another work basket'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;case;help;start'= {
        }
        &'wfctl;case;help;resume'= {
        }
        &'wfctl;case;help;reopen'= {
        }
        &'wfctl;case;help;set-var'= {
        }
        &'wfctl;case;help;show'= {
        }
        &'wfctl;case;help;list'= {
        }
        &'wfctl;case;help;history'= {
        }
        &'wfctl;case;help;cancel'= {
        }
        &'wfctl;case;help;wait'= {
        }
        &'wfctl;case;help;purge'= {
        }
        &'wfctl;case;help;watch'= {
        }
        &'wfctl;case;help;change-workbasket'= {
        }
        &'wfctl;case;help;help'= {
        }
        &'wfctl;help'= {
            cand sla 'SLA milestones that are due'
            cand config 'Show the effective configuration: every setting, its value and where it came from'
            cand db 'Set up, migrate, back up and restore the PostgreSQL database'
            cand wal 'Archive WAL into the repository and fetch it back (archive_command, restore_command)'
            cand migrate-files 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
            cand keys 'Keys of sensitive variables: generate one'
            cand diag 'Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck cases, plans; `diag all --check` for monitoring'
            cand metrics 'Prometheus metrics of the cases (text format on stdout, or served with --listen)'
            cand completions 'Print a shell completion script'
            cand journey 'Check journey files and show their units'
            cand repo 'The backup repository''s objects: list, fetch, store and remove (S3, encrypted as configured)'
            cand case 'Start, resume, reopen, move, inspect and list cases'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;help;sla'= {
            cand due 'Milestones due at or before a time (default now), oldest first'
            cand run 'Act on due milestones: once, or every --every until SIGTERM'
        }
        &'wfctl;help;sla;due'= {
        }
        &'wfctl;help;sla;run'= {
        }
        &'wfctl;help;config'= {
            cand show 'Print every effective setting with its value and where it came from'
        }
        &'wfctl;help;config;show'= {
        }
        &'wfctl;help;db'= {
            cand setup 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
            cand migrate 'Apply pending schema migrations'
            cand status 'Show which migrations are applied and which are pending'
            cand backup 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
            cand backups 'List the backups in a directory: age, size, verified or not'
            cand verify 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
            cand restore 'Restore a backup into a database, all or nothing'
            cand basebackup 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
            cand restore-pitr 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target'
        }
        &'wfctl;help;db;setup'= {
        }
        &'wfctl;help;db;migrate'= {
        }
        &'wfctl;help;db;status'= {
        }
        &'wfctl;help;db;backup'= {
        }
        &'wfctl;help;db;backups'= {
        }
        &'wfctl;help;db;verify'= {
        }
        &'wfctl;help;db;restore'= {
        }
        &'wfctl;help;db;basebackup'= {
        }
        &'wfctl;help;db;restore-pitr'= {
        }
        &'wfctl;help;wal'= {
            cand push 'Archive one WAL file into the repository (archive_command = ''wfctl wal push %p''): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten'
            cand fetch 'Fetch one WAL file from the repository (restore_command = ''wfctl wal fetch %f %p''): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)'
        }
        &'wfctl;help;wal;push'= {
        }
        &'wfctl;help;wal;fetch'= {
        }
        &'wfctl;help;migrate-files'= {
        }
        &'wfctl;help;keys'= {
            cand rotate 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE'
            cand generate 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id'
        }
        &'wfctl;help;keys;rotate'= {
        }
        &'wfctl;help;keys;generate'= {
        }
        &'wfctl;help;diag'= {
            cand health 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable'
            cand indexes 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one'
            cand slow-queries 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation'
            cand locks 'Who blocks whom, for how long, running what, and the case involved'
            cand long-running 'Active statements and idle-in-transaction sessions older than a threshold'
            cand sizes 'Database and table sizes'
            cand bloat 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)'
            cand vacuum 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags'
            cand cases 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows'
            cand explain 'EXPLAIN (ANALYZE, BUFFERS) of wfctl''s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables'
            cand doctor 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration'
            cand settings 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
            cand wal 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
            cand all 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)'
        }
        &'wfctl;help;diag;health'= {
        }
        &'wfctl;help;diag;indexes'= {
        }
        &'wfctl;help;diag;slow-queries'= {
        }
        &'wfctl;help;diag;locks'= {
        }
        &'wfctl;help;diag;long-running'= {
        }
        &'wfctl;help;diag;sizes'= {
        }
        &'wfctl;help;diag;bloat'= {
        }
        &'wfctl;help;diag;vacuum'= {
        }
        &'wfctl;help;diag;cases'= {
        }
        &'wfctl;help;diag;explain'= {
        }
        &'wfctl;help;diag;doctor'= {
        }
        &'wfctl;help;diag;settings'= {
        }
        &'wfctl;help;diag;wal'= {
        }
        &'wfctl;help;diag;all'= {
        }
        &'wfctl;help;metrics'= {
        }
        &'wfctl;help;completions'= {
        }
        &'wfctl;help;journey'= {
            cand validate 'Check journey (and SLA) files; report every problem; exit 3 when any is found'
            cand show 'Show a journey''s units, types, components and next steps'
        }
        &'wfctl;help;journey;validate'= {
        }
        &'wfctl;help;journey;show'= {
        }
        &'wfctl;help;repo'= {
            cand ls 'List the complete objects under a prefix (an interrupted upload is never listed)'
            cand get 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted'
            cand put 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set'
            cand rm 'Remove an object (removing an absent one succeeds)'
            cand keygen 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients'
        }
        &'wfctl;help;repo;ls'= {
        }
        &'wfctl;help;repo;get'= {
        }
        &'wfctl;help;repo;put'= {
        }
        &'wfctl;help;repo;rm'= {
        }
        &'wfctl;help;repo;keygen'= {
        }
        &'wfctl;help;case'= {
            cand start 'Start a new case of a journey and run it until it pends or completes'
            cand resume 'Resume a pended case, or with --all every case pended in a work basket'
            cand reopen 'Reopen a completed case at the step of one of its journey''s tickets'
            cand set-var 'Add or replace variables of a case without running it'
            cand show 'Show a case: status, where it waits, variables, exec paths, milestones'
            cand list 'List cases, filtered, one page at a time (ordered by case id)'
            cand history 'The audit log of a case: one row per recorded unit'
            cand cancel 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why'
            cand wait 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out'
            cand purge 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)'
            cand watch 'The same as case history ID --follow'
            cand change-workbasket 'Move a pended case, or with --all every case of a work basket, to another work basket'
        }
        &'wfctl;help;case;start'= {
        }
        &'wfctl;help;case;resume'= {
        }
        &'wfctl;help;case;reopen'= {
        }
        &'wfctl;help;case;set-var'= {
        }
        &'wfctl;help;case;show'= {
        }
        &'wfctl;help;case;list'= {
        }
        &'wfctl;help;case;history'= {
        }
        &'wfctl;help;case;cancel'= {
        }
        &'wfctl;help;case;wait'= {
        }
        &'wfctl;help;case;purge'= {
        }
        &'wfctl;help;case;watch'= {
        }
        &'wfctl;help;case;change-workbasket'= {
        }
        &'wfctl;help;help'= {
        }
    ]
    $completions[$command]
}
