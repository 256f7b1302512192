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
complete -c wfctl -n "__fish_wfctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "backup" -d 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "backups" -d 'List the backups in a directory: age, size, verified or not'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "verify" -d 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "restore" -d 'Restore a backup into a database, all or nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "basebackup" -d 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and not __fish_seen_subcommand_from setup migrate status backup backups verify restore basebackup help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l dir -d 'Backup directory (created with mode 0700 if missing)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l format -d 'File format' -r -f -a "sql-gz\t'Plain SQL through gzip (.sql.gz): restorable with gunzip | psql too'
custom\t'pg_dump\'s custom format (.dump)'"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l level -d 'Compression level 0-9 (6: the size of gzip -6, in less time)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l keep-days -d 'Delete this database\'s backups older than this many days (after a successful backup)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l keep-min -d 'Never delete the newest this many good backups, however old' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l wait -d 'Wait this long for another backup in the directory to finish (default: exit 75 at once)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l dry-run -d 'Run the preflight and show what retention would delete; write nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l dir -d 'Backup directory' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l check-fresh -d 'Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from backups" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l restore-test -d 'Also restore it into a throwaway database, compare row counts with the manifest and check its migrations, then drop it (needs CREATEDB)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l target-db -d 'Database to restore into, on the server of --database-url' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l create -d 'Create the target database if it does not exist'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l force -d 'Replace a non-empty target\'s contents (its schemas are dropped inside the restore\'s transaction: a failed restore drops nothing)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l no-analyze -d 'Skip ANALYZE after the restore (a dump carries no planner statistics)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l dir -d 'Directory for base backups (one base_YYYYmmdd_HHMMSS directory each)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l format -d 'Output format' -r -f -a "tar\t'pg_basebackup -Ft -z: base.tar.gz and pg_wal.tar.gz'
plain\t'pg_basebackup -Fp: a copy of the data directory'"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l keep -d 'Keep this many good base backups (the newest; at least 1)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l keep-days -d 'Also keep every base backup younger than this many days' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l max-rate -d 'Limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l wait -d 'Wait this long for another backup in the directory to finish (default: exit 75 at once)' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l pg-bindir -d 'Directory of pg_dump, pg_restore, psql, pg_basebackup (default: the server\'s major under /usr/lib/postgresql, then PATH)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l database-url -d 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass' -r
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l store -d 'Use the file store in DIR (default ./workflow-data when no database URL is set)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l config -d 'Configuration file (default: wfctl.toml in the current directory, if present)' -r -F
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l color -d 'When to use colours (NO_COLOR is honoured by `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l fast-checkpoint -d 'Start at once with a fast checkpoint (default: wait for a spread checkpoint, which spares the server but can take minutes)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l dry-run -d 'Run the preflight and show what retention would delete; write nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -l json -d 'Print one JSON document on stdout instead of tables'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -s q -l quiet -d 'Print only errors'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -s v -l verbose -d 'Print more (repeat for more detail)'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from basebackup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "backups" -d 'List the backups in a directory: age, size, verified or not'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore a backup into a database, all or nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "basebackup" -d 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
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
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions help" -f -a "db" -d 'Set up, migrate, back up and restore the PostgreSQL database'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and not __fish_seen_subcommand_from db completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "setup" -d 'Create the database, its login role and a read-only role (the seed guide\'s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'Apply pending schema migrations'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show which migrations are applied and which are pending'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "backup" -d 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "backups" -d 'List the backups in a directory: age, size, verified or not'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "verify" -d 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "restore" -d 'Restore a backup into a database, all or nothing'
complete -c wfctl -n "__fish_wfctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "basebackup" -d 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup'
