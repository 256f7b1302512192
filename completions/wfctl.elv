
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
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand db 'Set up, migrate, back up and restore the PostgreSQL database'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;db'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand setup 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
            cand migrate 'Apply pending schema migrations'
            cand status 'Show which migrations are applied and which are pending'
            cand backup 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
            cand backups 'List the backups in a directory: age, size, verified or not'
            cand verify 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
            cand restore 'Restore a backup into a database, all or nothing'
            cand basebackup 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;db;setup'= {
            cand --admin-url 'A superuser (or CREATEDB + CREATEROLE) URL to the server''s maintenance database'
            cand --database 'Database to create'
            cand --user 'Login role the application (and wfctl) uses'
            cand --readonly-user 'Read-only role for reporting and diagnostics'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --no-readonly 'Do not create a read-only role'
            cand --grant-monitor 'Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session'
            cand --print-sql 'Print the statements instead of running them (passwords as SCRAM verifiers only)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;db;migrate'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'List the pending migrations without applying them'
            cand --adopt 'Take over a database created by hand from the seed guide: check that its tables match, record the guide''s schema as applied, then apply the rest'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;db;status'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;db;backup'= {
            cand --dir 'Backup directory (created with mode 0700 if missing)'
            cand --format 'File format'
            cand --level 'Compression level 0-9 (6: the size of gzip -6, in less time)'
            cand --keep-days 'Delete this database''s backups older than this many days (after a successful backup)'
            cand --keep-min 'Never delete the newest this many good backups, however old'
            cand --wait 'Wait this long for another backup in the directory to finish (default: exit 75 at once)'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server''s major under /usr/lib/postgresql, then PATH)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Run the preflight and show what retention would delete; write nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'wfctl;db;backups'= {
            cand --dir 'Backup directory'
            cand --check-fresh 'Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;db;verify'= {
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server''s major under /usr/lib/postgresql, then PATH)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --restore-test 'Also restore it into a throwaway database, compare row counts with the manifest and check its migrations, then drop it (needs CREATEDB)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;db;restore'= {
            cand --target-db 'Database to restore into, on the server of --database-url'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server''s major under /usr/lib/postgresql, then PATH)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --create 'Create the target database if it does not exist'
            cand --force 'Replace a non-empty target''s contents (its schemas are dropped inside the restore''s transaction: a failed restore drops nothing)'
            cand --no-analyze 'Skip ANALYZE after the restore (a dump carries no planner statistics)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;db;basebackup'= {
            cand --dir 'Directory for base backups (one base_YYYYmmdd_HHMMSS directory each)'
            cand --format 'Output format'
            cand --keep 'Keep this many good base backups (the newest; at least 1)'
            cand --keep-days 'Also keep every base backup younger than this many days'
            cand --max-rate 'Limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)'
            cand --wait 'Wait this long for another backup in the directory to finish (default: exit 75 at once)'
            cand --pg-bindir 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server''s major under /usr/lib/postgresql, then PATH)'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --fast-checkpoint 'Start at once with a fast checkpoint (default: wait for a spread checkpoint, which spares the server but can take minutes)'
            cand --dry-run 'Run the preflight and show what retention would delete; write nothing'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
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
        &'wfctl;db;help;help'= {
        }
        &'wfctl;completions'= {
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;help'= {
            cand db 'Set up, migrate, back up and restore the PostgreSQL database'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
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
        &'wfctl;help;completions'= {
        }
        &'wfctl;help;help'= {
        }
    ]
    $completions[$command]
}
