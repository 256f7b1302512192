
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
            cand migrate-files 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
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
        &'wfctl;migrate-files'= {
            cand --jobs 'Threads reading and parsing files [default: number of cores]'
            cand --batch-size 'Cases per transaction'
            cand --connections 'Database connections loading batches in parallel'
            cand --rejects 'Write rejected files to FILE as JSON lines (path, class, message, field)'
            cand --retry 'Reload only the cases of the files listed in FILE (a --rejects report)'
            cand --max-errors 'Stop after N rejected files'
            cand --database-url 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass'
            cand --store 'Use the file store in DIR (default ./workflow-data when no database URL is set)'
            cand --config 'Configuration file (default: wfctl.toml in the current directory, if present)'
            cand --color 'When to use colours (NO_COLOR is honoured by `auto`)'
            cand --dry-run 'Parse and validate everything, write nothing (needs no database)'
            cand --verify 'After loading, read every imported case back and compare it with its source'
            cand --no-update 'Refuse (reject as `changed`) cases whose files changed since they were imported, instead of re-importing them'
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
            cand migrate-files 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
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
        &'wfctl;help;completions'= {
        }
        &'wfctl;help;migrate-files'= {
        }
        &'wfctl;help;help'= {
        }
    ]
    $completions[$command]
}
