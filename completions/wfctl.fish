# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wfctl_global_optspecs
    string join \n json q/quiet v/verbose database-url= store= config= color= h/help V/version
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
complete -c wfctl -n "__fish_wfctl_needs_command" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_needs_command" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_needs_command" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_needs_command" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_needs_command" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_needs_command" -s V -l version -d 'Print version'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "sla" -d 'SLA milestones that are due'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "config" -d 'Show the effective configuration: every setting, its value and where it came from'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "db" -d 'Set up, migrate, back up and restore the PostgreSQL database'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "wal" -d 'Archive WAL into the repository and fetch it back (archive_command, restore_command)'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "migrate-files" -d 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "keys" -d 'Keys of sensitive variables: generate one'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "diag" -d 'Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck cases, plans; `diag all --check` for monitoring'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "metrics" -d 'Prometheus metrics of the cases (text format on stdout, or served with --listen)'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "journey" -d 'Check journey files and show their units'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "repo" -d 'The backup repository\'s objects: list, fetch, store and remove (S3, encrypted as configured)'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "case" -d 'Start, resume, reopen, move, inspect and list cases'
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -f -a "due" -d 'Milestones due at or before a time (default now), oldest first'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -f -a "run" -d 'Act on due milestones: once, or every --every until SIGTERM'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and not __fish_seen_subcommand_from due run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l at -d 'The time to compare with: RFC 3339 (2030-01-31T12:00:00Z), or an offset from now (+2h, -30m); default now' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l workbasket -d 'Only milestones of this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l fired-within -d 'Also list the milestones `sla run` fired this long before the time (default 1d)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from due" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l every -d 'Run a pass every DURATION (e.g. 1m) until SIGTERM; without it, one pass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l limit -d 'Act on at most N milestones per pass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l dry-run -d 'List the due milestones and what would run, and report actions nothing can carry out'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from help" -f -a "due" -d 'Milestones due at or before a time (default now), oldest first'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from help" -f -a "run" -d 'Act on due milestones: once, or every --every until SIGTERM'
complete -c wfctl -n "__fish_wfctl_using_subcommand sla; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print every effective setting with its value and where it came from'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print every effective setting with its value and where it came from'
complete -c wfctl -n "__fish_wfctl_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "backup" -d 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "backups" -d 'List the backups in a directory: age, size, verified or not'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "verify" -d 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "restore" -d 'Restore a backup into a database, all or nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "basebackup" -d 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "restore-pitr" -d 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup restore-pitr help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l admin-url -d 'A superuser (or CREATEDB + CREATEROLE) URL to the server\'s maintenance database' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l database -d 'Database to create' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l user -d 'Login role the application (and wfctl) uses' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l readonly-user -d 'Read-only role for reporting and diagnostics' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l no-readonly -d 'Do not create a read-only role'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l grant-monitor -d 'Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l print-sql -d 'Print the statements instead of running them (passwords as SCRAM verifiers only)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l dry-run -d 'List the pending migrations without applying them'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l adopt -d 'Take over a database created by hand from the seed guide: check that its tables match, record the guide\'s schema as applied, then apply the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l dir -d 'Backup directory, created with mode 0700 if missing (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l format -d 'File format (default: `[backup] format`, else sql-gz)' -r -f -a "sql-gz\t'Plain SQL through gzip (.sql.gz): restorable with gunzip | psql too'
custom\t'pg_dump\'s custom format (.dump)'"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l level -d 'Compression level 0-9 (default: `[backup] level`, else 6: the size of gzip -6, in less time)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l keep -l keep-days -d 'Delete this database\'s backups older than this, after a successful backup: 7d, 2weeks; a bare number is days; whole days only (default: `[backup] keep_days`, else 7d)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l keep-min -d 'Never delete the newest this many good backups, however old (default: `[backup] keep_min`, else 3)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l wait -d 'Wait this long for another backup in the directory to finish (default: exit 75 at once)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l dry-run -d 'Run the preflight and show what retention would delete; write nothing (not even the directory or its lock file)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l repo -d 'Store the backup in the repository ([repository] url, or WFCTL_REPOSITORY) as backups/NAME, encrypted when [repository] encrypt is set, instead of in a directory (--dir is not used); retention then applies to the repository\'s backups'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l dir -d 'Backup directory (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l check-fresh -d 'Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l repo -d 'List the backups in the repository ([repository] url, or WFCTL_REPOSITORY) instead of a directory'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l restore-test -d 'Also restore it into a throwaway database, compare row counts with the manifest and check its migrations, then drop it (needs CREATEDB)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l repo -d 'FILE is the name of a backup in the repository ([repository] url, or WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l target-db -d 'Database to restore into, on the server of --database-url' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l create -d 'Create the target database (refused when it exists: leave --create out to restore into it)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l force -d 'Replace a non-empty target\'s contents (its schemas are dropped inside the restore\'s transaction: a failed restore drops nothing)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l no-analyze -d 'Skip ANALYZE after the restore (a dump carries no planner statistics)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l repo -d 'FILE is the name of a backup in the repository ([repository] url, or WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l dir -d 'Directory for base backups (one base_YYYYmmdd_HHMMSS directory each)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l format -d 'Output format' -r -f -a "tar\t'pg_basebackup -Ft -z: base.tar.gz and pg_wal.tar.gz'
plain\t'pg_basebackup -Fp: a copy of the data directory'"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l max-rate -d 'Limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l keep-min -d 'Never delete the newest this many good base backups (at least 1)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l keep -l keep-days -d 'Also keep every base backup younger than this: 7d, 2weeks; a bare number is days; whole days only (the same flag as `db backup --keep`)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l wait -d 'Wait this long for another backup in the directory to finish (default: exit 75 at once)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l fast-checkpoint -d 'Start at once with a fast checkpoint (default: wait for a spread checkpoint, which spares the server but can take minutes)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l dry-run -d 'Run the preflight and show what retention would delete; write nothing (not even the directory or its lock file)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l target-time -d 'Restore to this moment: 2024-05-01T14:30:00Z, or as PostgreSQL prints it (2024-05-01 14:30:00.123+00); without a zone it is UTC' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l data-dir -d 'The new data directory (must not exist, or be empty)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l dir -d 'Directory of base backups (as given to `db basebackup --dir`)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l timeout -d 'With --start: how long to wait for recovery' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l start -d 'Also start the server and wait until recovery reached the target and promoted'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore-pitr" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "backups" -d 'List the backups in a directory: age, size, verified or not'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore a backup into a database, all or nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "basebackup" -d 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "restore-pitr" -d 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -f -a "push" -d 'Archive one WAL file into the repository (archive_command = \'wfctl wal push %p\'): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -f -a "fetch" -d 'Fetch one WAL file from the repository (restore_command = \'wfctl wal fetch %f %p\'): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and not __fish_seen_subcommand_from push fetch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from help" -f -a "push" -d 'Archive one WAL file into the repository (archive_command = \'wfctl wal push %p\'): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from help" -f -a "fetch" -d 'Fetch one WAL file from the repository (restore_command = \'wfctl wal fetch %f %p\'): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)'
complete -c wfctl -n "__fish_wfctl_using_subcommand wal; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l rejects -d 'Write rejected files to FILE as JSON lines (path, class, message, field)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l retry -d 'Reload only the cases of the files listed in FILE (a --rejects report)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l jobs -d 'Threads reading and parsing files [default: number of cores]' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l batch-size -d 'Cases per transaction' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l connections -d 'Database connections loading batches in parallel' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l max-errors -d 'Stop after N rejected files' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l dry-run -d 'Parse and validate everything, write nothing (needs no database)'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l verify -d 'After loading, read every imported case back and compare it with its source'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l no-update -d 'Refuse (reject as `changed`) cases whose files changed since they were imported, instead of re-importing them'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l force -d 'Replace cases that exist in the database without having been imported, or that changed there since they were (rejected as `conflict` otherwise); never a case being run'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l follow-symlinks -d 'Read symbolic links that point outside DIR (by default each is rejected as `outside_link`)'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand migrate-files" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -f -a "rotate" -d 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -f -a "generate" -d 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and not __fish_seen_subcommand_from rotate generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l new-key -d 'The new key file (from wfctl keys generate)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id'
complete -c wfctl -n "__fish_wfctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "health" -d 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "indexes" -d 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "slow-queries" -d 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "locks" -d 'Who blocks whom, for how long, running what, and the case involved'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "long-running" -d 'Active statements and idle-in-transaction sessions older than a threshold'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "sizes" -d 'Database and table sizes'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "bloat" -d 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "vacuum" -d 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "cases" -d 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "explain" -d 'EXPLAIN (ANALYZE, BUFFERS) of wfctl\'s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "doctor" -d 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "settings" -d 'Server settings beside the seed guide\'s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "wal" -d 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "all" -d 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and not __fish_seen_subcommand_from health indexes slow-queries locks long-running sizes bloat vacuum cases explain doctor settings wal all help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l warn -d 'Warning level, e.g. `connections=80%` (see `diag all --help` for the keys)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l crit -d 'Critical level' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l min-stats-age -d 'Statistics younger than this cannot prove an index unused (a restored or reset database has no scans anywhere); `diag all` warns about unused indexes only past it' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l all -d 'Every index with its scans, tuples read and fetched, and size (not only the problems)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from indexes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l order -d 'Sort by total time (where the time goes), mean time per call, or calls' -r -f -a "total\t''
mean\t''
calls\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l limit -d 'How many statements' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l reset -d 'Reset pg_stat_statements for this database (needs EXECUTE on pg_stat_statements_reset: a superuser by default) instead of listing'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from slow-queries" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -l terminate -d 'Terminate this session (pg_terminate_backend) after showing it and asking; needs pg_signal_backend for other roles\' sessions' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -s y -l yes -d 'Do not ask before terminating (for scripts)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from locks" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -l min -d 'Show statements running, and transactions idle, longer than this' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from long-running" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from sizes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from bloat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l run -d 'VACUUM the tables whose dead rows cross the dead_tuples warning level (20% of live, tables of 10,000+ rows), one statement each'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l analyze -d 'With --run: VACUUM (ANALYZE), refreshing the planner\'s statistics too'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l full -d 'With --run: VACUUM (FULL, ANALYZE), which returns space to the system but locks each table (no reads, no writes) for the whole rewrite'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from vacuum" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l error-basket -d 'The error work basket (default: [engine] error_workbasket, else workflow_error)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l stuck-for -d 'A running case not written for this long and not holding its case lock is stuck' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l limit -d 'How many cases to list per section' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from cases" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l stuck-for -d 'The stuck-case scan\'s parameter (cases idle longer than this)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l timeout -d 'statement_timeout for each statement' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l plans -d 'Print each plan in full'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l write-migration -d 'Write the missing recommended indexes as diesel migrations into DIR (e.g. ./migrations): CREATE INDEX CONCURRENTLY, one per migration run outside a transaction, under a lock_timeout' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l lock-timeout -d 'lock_timeout for the generated migrations' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l ram -d 'RAM PostgreSQL may use (e.g. 16GB); default: read from the server' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l storage -d 'The disks the data lives on' -r -f -a "ssd\t''
hdd\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l far-off -d 'How many times away from the recommendation counts as far off' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l cores -d 'CPU cores of the server; default: read from the server' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l spindles -d 'The guide\'s effective_spindle_count for the pool formula (1 for an SSD)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l check -d 'Exit 3 when something is far off (see below)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from settings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l max-archive-age -d 'How long a completed WAL segment may wait for the archive' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l check -d 'Exit 3 when archiving is off, failing or behind (see below)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from wal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l warn -d 'Warning level, e.g. `long_running=2m` (repeatable; keys below)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l crit -d 'Critical level, e.g. `connections=98%` (repeatable)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l skip -d 'Leave a check out (repeatable): health, long-running, locks, vacuum, indexes, slow-queries, bloat, sizes, cases, explain' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l include -d 'Also run an opt-in check (repeatable): settings (server tuning against the guide), wal (WAL archiving for point-in-time recovery). Opt-in because an untuned or non-archiving server is a choice, not an incident' -r -f -a "settings\t''
wal\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l error-basket -d 'The error work basket (default: [engine] error_workbasket, else workflow_error)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l stuck-for -d 'A running case idle this long without its case lock is stuck' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l min-stats-age -d 'Index statistics younger than this do not make an unused index a warning' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l check -d 'Exit 3 when any check that runs finds a warning or a critical problem (0 otherwise); the opt-in checks settings and wal run only with --include'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l nagios -d 'Nagios plugin output: one status line with performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also when the database is unreachable)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l analyze -d 'The explain check runs wfctl\'s statements (EXPLAIN ANALYZE, rolled back) instead of only planning them: real times and buffers, at the cost of running the heaviest statements'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from all" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "health" -d 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "indexes" -d 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "slow-queries" -d 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "locks" -d 'Who blocks whom, for how long, running what, and the case involved'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "long-running" -d 'Active statements and idle-in-transaction sessions older than a threshold'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "sizes" -d 'Database and table sizes'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "bloat" -d 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "vacuum" -d 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "cases" -d 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "explain" -d 'EXPLAIN (ANALYZE, BUFFERS) of wfctl\'s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "doctor" -d 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "settings" -d 'Server settings beside the seed guide\'s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "wal" -d 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "all" -d 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)'
complete -c wfctl -n "__fish_wfctl_using_subcommand diag; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l listen -d 'Serve the metrics on http://ADDR/metrics instead of printing them once (e.g. 127.0.0.1:9187; every scrape reads the database)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l error-basket -d 'The error work basket (default: [engine] error_workbasket, else workflow_error)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l max-requests -d 'Stop after serving this many requests (for tests and one-off scrapes)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l request-timeout -d 'With --listen: the time a request has to arrive in full (default 10s)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -f -a "validate" -d 'Check journey (and SLA) files; report every problem; exit 3 when any is found'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -f -a "show" -d 'Show a journey\'s units, types, components and next steps'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and not __fish_seen_subcommand_from validate show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -l sla -d 'SLA files to check as well; repeatable' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t'A table of units'
dot\t'A Graphviz digraph (`| dot -Tsvg > journey.svg`)'"
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check journey (and SLA) files; report every problem; exit 3 when any is found'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a journey\'s units, types, components and next steps'
complete -c wfctl -n "__fish_wfctl_using_subcommand journey; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -l repo -d 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -f -a "ls" -d 'List the complete objects under a prefix (an interrupted upload is never listed)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -f -a "get" -d 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -f -a "put" -d 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -f -a "rm" -d 'Remove an object (removing an absent one succeeds)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -f -a "keygen" -d 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and not __fish_seen_subcommand_from ls get put rm keygen help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -l repo -d 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l repo -d 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l force -d 'Replace FILE when it exists'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l repo -d 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l replace -d 'Replace an existing object (refused otherwise)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -l repo -d 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -l repo -d 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the complete objects under a prefix (an interrupted upload is never listed)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from help" -f -a "get" -d 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from help" -f -a "put" -d 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove an object (removing an absent one succeeds)'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from help" -f -a "keygen" -d 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients'
complete -c wfctl -n "__fish_wfctl_using_subcommand repo; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "start" -d 'Start a new case of a journey and run it until it pends or completes'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "resume" -d 'Resume a pended case, or with --all every case pended in a work basket'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "reopen" -d 'Reopen a completed case at the step of one of its journey\'s tickets'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "set-var" -d 'Add or replace variables of a case without running it'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "show" -d 'Show a case: status, where it waits, variables, exec paths, milestones'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "list" -d 'List cases, filtered, one page at a time (ordered by case id)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "history" -d 'The audit log of a case: one row per recorded unit'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "cancel" -d 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "wait" -d 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "purge" -d 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "watch" -d 'The same as case history ID --follow'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "change-workbasket" -d 'Move a pended case, or with --all every case of a work basket, to another work basket'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and not __fish_seen_subcommand_from start resume reopen set-var show list history cancel wait purge watch change-workbasket help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l journey -d 'The journey file (JSON)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l sla -d 'The SLA file of the journey (JSON)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l case-id -d 'The new case\'s id (default: a generated one, printed)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l var -d 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l vars-file -d 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l wait -d 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l var -d 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l vars-file -d 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l status -d 'Only cases with this status' -r -f -a "running\t''
pended\t''
completed\t''
cancelled\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l workbasket -d 'Only cases pended in this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l journey -d 'Only cases of this journey (by name)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l step -d 'Only cases at this step (the pended step, or the last one run)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l ids-file -d 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l wait -d 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l stuck-for -d 'Only incomplete cases not written for this long (e.g. 2h, 3days)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l limit -d 'With --all or --ids-file: at most this many cases (this worker)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l all -d 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l sla-overdue -d 'Only cases with an SLA milestone past its due time'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l dry-run -d 'With --all or --ids-file: list the cases that would be taken, change nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l ticket -d 'The ticket whose step the case continues at' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l pend-workbasket -d 'Pend the reopened case in this work basket instead of running it at once; a later resume acts on the ticket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l var -d 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l vars-file -d 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l status -d 'Only cases with this status' -r -f -a "running\t''
pended\t''
completed\t''
cancelled\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l workbasket -d 'Only cases pended in this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l journey -d 'Only cases of this journey (by name)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l step -d 'Only cases at this step (the pended step, or the last one run)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l ids-file -d 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l wait -d 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l stuck-for -d 'Only incomplete cases not written for this long (e.g. 2h, 3days)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l limit -d 'With --all or --ids-file: at most this many cases (this worker)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l all -d 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l sla-overdue -d 'Only cases with an SLA milestone past its due time'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l dry-run -d 'With --all or --ids-file: list the cases that would be taken, change nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from reopen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l var -d 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l vars-file -d 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l status -d 'Only cases with this status' -r -f -a "running\t''
pended\t''
completed\t''
cancelled\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l workbasket -d 'Only cases pended in this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l journey -d 'Only cases of this journey (by name)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l step -d 'Only cases at this step (the pended step, or the last one run)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l ids-file -d 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l wait -d 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l stuck-for -d 'Only incomplete cases not written for this long (e.g. 2h, 3days)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l limit -d 'With --all or --ids-file: at most this many cases (this worker)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l all -d 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l sla-overdue -d 'Only cases with an SLA milestone past its due time'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l dry-run -d 'With --all or --ids-file: list the cases that would be taken, change nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from set-var" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -l reveal -d 'Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or [variables] key_file)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l status -d 'Only cases with this status' -r -f -a "running\t''
pended\t''
completed\t''
cancelled\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l workbasket -d 'Only cases pended in this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l journey -d 'Only cases of this journey (by name)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l step -d 'Only cases at this step (the pended step, or the last one run)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l after -d 'Start after this case id (the `next_after` of the previous page)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l stuck-for -d 'Only incomplete cases not written for this long (e.g. 2h, 3days)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l limit -d 'At most this many cases (0: no limit)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l sla-overdue -d 'Only cases with an SLA milestone past its due time'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l follow -d 'Print the records as they are written, until the case completes or Ctrl-C (also: case watch ID); with --json one JSON line per record'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l reveal -d 'Show sensitive variables in clear instead of *** (needs the key)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l reason -d 'Why it is cancelled (kept with the case and in its audit log)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l status -d 'Only cases with this status' -r -f -a "running\t''
pended\t''
completed\t''
cancelled\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l workbasket -d 'Only cases pended in this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l journey -d 'Only cases of this journey (by name)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l step -d 'Only cases at this step (the pended step, or the last one run)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l ids-file -d 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l wait -d 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l stuck-for -d 'Only incomplete cases not written for this long (e.g. 2h, 3days)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l limit -d 'With --all or --ids-file: at most this many cases (this worker)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l all -d 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l sla-overdue -d 'Only cases with an SLA milestone past its due time'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l dry-run -d 'With --all or --ids-file: list the cases that would be taken, change nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l until -d 'The state to wait for: completed, pended, pended:WORKBASKET, or changed (anything saved after the wait began)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up after this long (exit 3): seconds, or 30s, 10m, 2h' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l archive -d 'Write each case into this directory (a file store: migrate-files DIR brings cases back) and make it durable before the case is deleted' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l completed-before -d 'Purge the cases that completed (or were cancelled) longer ago than this: 90d, 12w, or a number of days; 0 takes every finished case' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l limit -d 'At most this many cases (1 or more)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l batch -d 'Cases per batch (1 to 100000): one archive sync and one transaction each' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l no-archive -d 'Delete the cases without keeping a copy (nothing brings them back)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l dry-run -d 'Count the cases and bytes that would be purged; write and delete nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -l reveal -d 'Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or [variables] key_file)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l status -d 'Only cases with this status' -r -f -a "running\t''
pended\t''
completed\t''
cancelled\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l workbasket -d 'Only cases pended in this work basket' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l journey -d 'Only cases of this journey (by name)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l ids-file -d 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l wait -d 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l limit -d 'With --all or --ids-file: at most this many cases (this worker)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l stuck-for -d 'Only incomplete cases not written for this long (e.g. 2h, 3days)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l step -d 'Only cases at this step (the pended step, or the last one run)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l config -d 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l all -d 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l sla-overdue -d 'Only cases with an SLA milestone past its due time'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l dry-run -d 'With --all or --ids-file: list the cases that would be taken, change nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -s q -l quiet -d 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from change-workbasket" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a new case of a journey and run it until it pends or completes'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Resume a pended case, or with --all every case pended in a work basket'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "reopen" -d 'Reopen a completed case at the step of one of its journey\'s tickets'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "set-var" -d 'Add or replace variables of a case without running it'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a case: status, where it waits, variables, exec paths, milestones'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "list" -d 'List cases, filtered, one page at a time (ordered by case id)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "history" -d 'The audit log of a case: one row per recorded unit'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "cancel" -d 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "watch" -d 'The same as case history ID --follow'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "change-workbasket" -d 'Move a pended case, or with --all every case of a work basket, to another work basket'
complete -c wfctl -n "__fish_wfctl_using_subcommand case; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "sla" -d 'SLA milestones that are due'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "config" -d 'Show the effective configuration: every setting, its value and where it came from'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "db" -d 'Set up, migrate, back up and restore the PostgreSQL database'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "wal" -d 'Archive WAL into the repository and fetch it back (archive_command, restore_command)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "migrate-files" -d 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "keys" -d 'Keys of sensitive variables: generate one'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "diag" -d 'Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck cases, plans; `diag all --check` for monitoring'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "metrics" -d 'Prometheus metrics of the cases (text format on stdout, or served with --listen)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "completions" -d 'Print a shell completion script'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "journey" -d 'Check journey files and show their units'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "repo" -d 'The backup repository\'s objects: list, fetch, store and remove (S3, encrypted as configured)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "case" -d 'Start, resume, reopen, move, inspect and list cases'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from sla config db wal migrate-files keys diag metrics completions journey repo case help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from sla" -f -a "due" -d 'Milestones due at or before a time (default now), oldest first'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from sla" -f -a "run" -d 'Act on due milestones: once, or every --every until SIGTERM'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print every effective setting with its value and where it came from'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "backup" -d 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "backups" -d 'List the backups in a directory: age, size, verified or not'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "verify" -d 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "restore" -d 'Restore a backup into a database, all or nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "basebackup" -d 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "restore-pitr" -d 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from wal" -f -a "push" -d 'Archive one WAL file into the repository (archive_command = \'wfctl wal push %p\'): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from wal" -f -a "fetch" -d 'Fetch one WAL file from the repository (restore_command = \'wfctl wal fetch %f %p\'): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "generate" -d 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "health" -d 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "indexes" -d 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "slow-queries" -d 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "locks" -d 'Who blocks whom, for how long, running what, and the case involved'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "long-running" -d 'Active statements and idle-in-transaction sessions older than a threshold'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "sizes" -d 'Database and table sizes'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "bloat" -d 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "vacuum" -d 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "cases" -d 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "explain" -d 'EXPLAIN (ANALYZE, BUFFERS) of wfctl\'s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "doctor" -d 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "settings" -d 'Server settings beside the seed guide\'s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "wal" -d 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from diag" -f -a "all" -d 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from journey" -f -a "validate" -d 'Check journey (and SLA) files; report every problem; exit 3 when any is found'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from journey" -f -a "show" -d 'Show a journey\'s units, types, components and next steps'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from repo" -f -a "ls" -d 'List the complete objects under a prefix (an interrupted upload is never listed)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from repo" -f -a "get" -d 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from repo" -f -a "put" -d 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from repo" -f -a "rm" -d 'Remove an object (removing an absent one succeeds)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from repo" -f -a "keygen" -d 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "start" -d 'Start a new case of a journey and run it until it pends or completes'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "resume" -d 'Resume a pended case, or with --all every case pended in a work basket'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "reopen" -d 'Reopen a completed case at the step of one of its journey\'s tickets'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "set-var" -d 'Add or replace variables of a case without running it'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "show" -d 'Show a case: status, where it waits, variables, exec paths, milestones'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "list" -d 'List cases, filtered, one page at a time (ordered by case id)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "history" -d 'The audit log of a case: one row per recorded unit'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "cancel" -d 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "wait" -d 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "purge" -d 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "watch" -d 'The same as case history ID --follow'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from case" -f -a "change-workbasket" -d 'Move a pended case, or with --all every case of a work basket, to another work basket'
