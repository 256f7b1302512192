# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wfctl_global_optspecs
    string join \n database-url= store= config= json color= q/quiet v/verbose h/help V/version
end

function __fish_wfctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_wfctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_wfctl_using_subcommand
    set -l cmd (__fish_wfctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c wfctl -n "__fish_wfctl_needs_command" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_needs_command" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_needs_command" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_needs_command" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_needs_command" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_needs_command" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_needs_command" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_needs_command" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_needs_command" -s V -l version -d 'Print version'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "db" -d 'Set up, migrate, back up and restore the PostgreSQL database'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "migrate-files" -d 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l admin-url -d 'A superuser (or CREATEDB + CREATEROLE) URL to the server\'s maintenance database' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l database -d 'Database to create' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l user -d 'Login role the application (and wfctl) uses' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l readonly-user -d 'Read-only role for reporting and diagnostics' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l no-readonly -d 'Do not create a read-only role'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l grant-monitor -d 'Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l print-sql -d 'Print the statements instead of running them (passwords as SCRAM verifiers only)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l dry-run -d 'List the pending migrations without applying them'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l adopt -d 'Take over a database created by hand from the seed guide: check that its tables match, record the guide\'s schema as applied, then apply the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l jobs -d 'Threads reading and parsing files [default: number of cores]' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l batch-size -d 'Cases per transaction' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l connections -d 'Database connections loading batches in parallel' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l rejects -d 'Write rejected files to FILE as JSON lines (path, class, message, field)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l retry -d 'Reload only the cases of the files listed in FILE (a --rejects report)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l max-errors -d 'Stop after N rejected files' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l dry-run -d 'Parse and validate everything, write nothing (needs no database)'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l verify -d 'After loading, read every imported case back and compare it with its source'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l no-update -d 'Refuse (reject as `changed`) cases whose files changed since they were imported, instead of re-importing them'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions migrate-files help" -f -a "db" -d 'Set up, migrate, back up and restore the PostgreSQL database'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions migrate-files help" -f -a "completions" -d 'Print a shell completion script'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions migrate-files help" -f -a "migrate-files" -d 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions migrate-files help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show which migrations are applied and which are pending'
