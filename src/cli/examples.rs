//! The "Examples" section of every command's long help (`--help`, man pages), kept in one table
//! so that a command without examples is easy to see (the contract test walks them all).

/// (command path, examples). A path is the subcommand names after `wfctl`, space-separated.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "",
        "wfctl --store ./cases case list\nwfctl --database-url postgres://wf@db/wf diag all --check",
    ),
    ("journey", "wfctl journey validate journeys/*.json"),
    (
        "repo",
        "wfctl repo --repo s3://acme-backups/workflow ls wal/\nwfctl repo keygen /safe/place/identity.txt",
    ),
    (
        "repo ls",
        "wfctl repo ls backups/\nwfctl --json repo --repo s3://acme-backups/workflow ls",
    ),
    (
        "repo get",
        "wfctl repo get wal/000000010000000000000001.gz - | gunzip | wc -c\nWFCTL_AGE_IDENTITY=/safe/place/identity.txt wfctl repo get backups/x.sql.gz x.sql.gz",
    ),
    (
        "repo put",
        "wfctl repo put notes/restore-test.txt ./restore-test.txt\npg_dumpall --globals-only | wfctl repo put globals.sql - --replace",
    ),
    ("repo rm", "wfctl repo rm notes/restore-test.txt"),
    (
        "repo keygen",
        "wfctl repo keygen /safe/place/identity.txt   # prints the age1... public key for recipients",
    ),
    ("config", "wfctl config show"),
    ("keys", "wfctl keys generate /etc/wfctl/variables.key"),
    (
        "keys generate",
        "wfctl keys generate /etc/wfctl/variables.key\nWFCTL_KEY_FILE=/etc/wfctl/variables.key wfctl case show order-1 --reveal",
    ),
    (
        "keys rotate",
        "wfctl keys generate /etc/wfctl/variables-2.key\nwfctl keys rotate --new-key /etc/wfctl/variables-2.key   # run again to finish an interrupted one",
    ),
    (
        "config show",
        "wfctl config show\nWFCTL_CONFIG=/etc/wfctl/prod.toml wfctl --json config show",
    ),
    (
        "journey validate",
        "wfctl journey validate order.json --sla order_sla.json\nwfctl --json journey validate order.json",
    ),
    (
        "journey show",
        "wfctl journey show order.json\nwfctl journey show order.json --format dot | dot -Tsvg > order.svg",
    ),
    (
        "case",
        "wfctl case start --journey order.json\nwfctl case list --status pended",
    ),
    (
        "case start",
        "wfctl case start --journey order.json --case-id order-1 --var amount=long:250\nid=$(wfctl -q case start --journey order.json)",
    ),
    (
        "case resume",
        "wfctl case resume order-1 --var approved=boolean:true\nwfctl case resume --all --workbasket retry --wait 30s\nwfctl case resume --all --stuck-for 5m   # cases a killed run left running",
    ),
    ("case reopen", "wfctl case reopen order-1 --ticket cancel"),
    (
        "case change-workbasket",
        "wfctl case change-workbasket order-1 review\nwfctl case change-workbasket --all --workbasket old_basket new_basket",
    ),
    (
        "case set-var",
        "wfctl case set-var order-1 --var amount=long:300 --var note=string:checked",
    ),
    (
        "case show",
        "wfctl case show order-1\nwfctl --json case show order-1 | jq .status",
    ),
    (
        "case list",
        "wfctl case list --status pended --workbasket review\nwfctl case list --stuck-for 2h\nwfctl -q case list --journey order   # ids only",
    ),
    (
        "case history",
        "wfctl case history order-1\nwfctl --json case history order-1 | jq '.entries | length'",
    ),
    (
        "case wait",
        "wfctl --json case wait order-1 --until completed --timeout 5m\nwfctl case wait order-1 --until pended:review && wfctl case resume order-1",
    ),
    (
        "case cancel",
        "wfctl case cancel order-1 --reason \"customer withdrew the order\"\nwfctl case cancel order-1 --reason \"duplicate\" --wait 30s",
    ),
    (
        "case purge",
        "wfctl case purge --completed-before 90d --archive /archive/cases --dry-run\nwfctl case purge --completed-before 90d --archive /archive/cases\nwfctl migrate-files /archive/cases   # brings archived cases back",
    ),
    ("sla", "wfctl sla due\nwfctl sla run --every 1m"),
    (
        "sla due",
        "wfctl sla due --at +2h\nwfctl sla due --at -30m --workbasket review",
    ),
    (
        "sla run",
        "wfctl sla run --dry-run\nwfctl sla run              # once, from cron\nwfctl sla run --every 1m   # a service; stops on SIGTERM",
    ),
    (
        "db",
        "wfctl db migrate\nwfctl db backup --dir /var/backups/wfctl",
    ),
    (
        "db setup",
        "wfctl db setup --admin-url postgres://postgres@db/postgres --print-sql\nWFCTL_USER_PASSWORD=... wfctl db setup --admin-url postgres://postgres@db/postgres",
    ),
    (
        "db migrate",
        "wfctl db migrate\nwfctl db migrate --adopt   # a database built by hand from the guide",
    ),
    (
        "db status",
        "wfctl db status\nwfctl --json db status | jq '.migrations[] | select(.applied | not)'",
    ),
    (
        "db backup",
        "wfctl db backup --dir /var/backups/wfctl --keep 14d\nwfctl db backup --dry-run",
    ),
    (
        "db backups",
        "wfctl db backups --dir /var/backups/wfctl\nwfctl -q db backups --check-fresh 26h   # for monitoring",
    ),
    (
        "db verify",
        "wfctl db verify /var/backups/wfctl/wf_20261207_031500.sql.gz\nwfctl db verify FILE --restore-test",
    ),
    (
        "db restore",
        "wfctl db restore /var/backups/wfctl/wf_20261207_031500.sql.gz --target-db wf_copy",
    ),
    (
        "db basebackup",
        "wfctl db basebackup --dir /var/backups/base --keep-min 2 --fast-checkpoint",
    ),
    (
        "db restore-pitr",
        "wfctl --config /etc/wfctl/wfctl.toml db restore-pitr --target-time '2024-05-01 14:30:00+00' --dir /var/backups/base --data-dir /var/lib/postgresql/16/restored\nwfctl db restore-pitr --target-time 2024-05-01T14:30:00Z --dir /var/backups/base --data-dir ./restored --start",
    ),
    (
        "wal",
        "wfctl --config /etc/wfctl/wfctl.toml wal push %p        # archive_command\nwfctl --config /etc/wfctl/wfctl.toml wal fetch %f %p     # restore_command",
    ),
    (
        "wal push",
        "wfctl -v wal push /var/lib/postgresql/16/main/pg_wal/000000010000000000000001\narchive_command = 'wfctl --config /etc/wfctl/wfctl.toml wal push %p'",
    ),
    (
        "wal fetch",
        "wfctl wal fetch 000000010000000000000001 /tmp/segment\nrestore_command = 'wfctl --config /etc/wfctl/wfctl.toml wal fetch %f %p'",
    ),
    ("diag", "wfctl diag all\nwfctl diag all --nagios"),
    (
        "diag health",
        "wfctl diag health\nwfctl -q diag health || echo unhealthy",
    ),
    ("diag indexes", "wfctl diag indexes --min-stats-age 7d"),
    (
        "diag slow-queries",
        "wfctl diag slow-queries\nwfctl --json diag slow-queries | jq '.statements[0]'",
    ),
    ("diag locks", "wfctl diag locks"),
    ("diag long-running", "wfctl diag long-running --min 30s"),
    ("diag sizes", "wfctl diag sizes"),
    ("diag bloat", "wfctl diag bloat"),
    ("diag vacuum", "wfctl diag vacuum"),
    ("diag cases", "wfctl diag cases"),
    ("diag explain", "wfctl diag explain"),
    ("diag doctor", "wfctl diag doctor"),
    (
        "diag settings",
        "wfctl diag settings\nwfctl diag settings --ram 16GB --cores 8",
    ),
    ("diag wal", "wfctl diag wal --check --max-archive-age 15m"),
    (
        "diag all",
        "wfctl diag all --check     # cron: exit 3 on a warning\nwfctl diag all --nagios    # one status line, exit 0/1/2/3",
    ),
    (
        "metrics",
        "wfctl metrics > /var/lib/node_exporter/wfctl.prom\nwfctl metrics --listen 127.0.0.1:9187",
    ),
    (
        "completions",
        "wfctl completions bash > /etc/bash_completion.d/wfctl\nwfctl completions zsh > ~/.zfunc/_wfctl",
    ),
    (
        "migrate-files",
        "wfctl --database-url postgres://wf@db/wf migrate-files ./workflow-data\nwfctl migrate-files ./workflow-data --dry-run",
    ),
];

/// `command` with an "Examples" section in the long help of itself and every subcommand that
/// has an entry in the table.
pub(crate) fn attach(command: clap::Command) -> clap::Command {
    attach_at(command, "")
}

fn attach_at(mut command: clap::Command, path: &str) -> clap::Command {
    if let Some((_, text)) = EXAMPLES.iter().find(|(p, _)| *p == path) {
        let indented: Vec<String> = text.lines().map(|l| format!("  {l}")).collect();
        let section = format!("Examples:\n{}", indented.join("\n"));
        let long = match command.get_after_long_help().or(command.get_after_help()) {
            Some(existing) => format!("{existing}\n\n{section}"),
            None => section,
        };
        command = command.after_long_help(long);
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        command = command.mut_subcommand(&name, |sub| attach_at(sub, &sub_path));
    }
    command
}
