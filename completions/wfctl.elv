
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
            cand diag 'Diagnose the database and the cases'
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
        &'wfctl;db;help'= {
            cand setup 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
            cand migrate 'Apply pending schema migrations'
            cand status 'Show which migrations are applied and which are pending'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;db;help;setup'= {
        }
        &'wfctl;db;help;migrate'= {
        }
        &'wfctl;db;help;status'= {
        }
        &'wfctl;db;help;help'= {
        }
        &'wfctl;diag'= {
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
            cand settings 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
            cand wal 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;diag;settings'= {
            cand --ram 'RAM PostgreSQL may use (e.g. 16GB); default: read from the server'
            cand --cores 'CPU cores of the server; default: read from the server'
            cand --spindles 'The guide''s effective_spindle_count for the pool formula (1 for an SSD)'
            cand --storage 'The disks the data lives on'
            cand --far-off 'How many times away from the recommendation counts as far off'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --check 'Exit 3 when something is far off (see below)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;diag;wal'= {
            cand --max-archive-age 'How long a completed WAL segment may wait for the archive'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --check 'Exit 3 when archiving is off, failing or behind (see below)'
            cand --json 'Print one JSON document on stdout instead of tables'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more (repeat for more detail)'
            cand --verbose 'Print more (repeat for more detail)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'wfctl;diag;help'= {
            cand settings 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
            cand wal 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;diag;help;settings'= {
        }
        &'wfctl;diag;help;wal'= {
        }
        &'wfctl;diag;help;help'= {
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
            cand diag 'Diagnose the database and the cases'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'wfctl;help;db'= {
            cand setup 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
            cand migrate 'Apply pending schema migrations'
            cand status 'Show which migrations are applied and which are pending'
        }
        &'wfctl;help;db;setup'= {
        }
        &'wfctl;help;db;migrate'= {
        }
        &'wfctl;help;db;status'= {
        }
        &'wfctl;help;diag'= {
            cand settings 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
            cand wal 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
        }
        &'wfctl;help;diag;settings'= {
        }
        &'wfctl;help;diag;wal'= {
        }
        &'wfctl;help;completions'= {
        }
        &'wfctl;help;help'= {
        }
    ]
    $completions[$command]
}
