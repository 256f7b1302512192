//! The directory walk: lists a file-store directory once, streaming, and hands out each case's
//! files together (process info, journey, SLA, milestones, audit records, audit counter).
//!
//! A case's files are not adjacent in directory order, so grouping needs the whole listing.
//! Memory stays bounded whatever the number of files: the listing is split by a hash of the
//! case id into partitions, kept in memory while small and spilled to temporary files once
//! large, and grouped one partition at a time.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::Error;
use super::names::{self, AuditName, COUNTERS_FILE, FileKind};
use crate::model::COUNTER_PREFIX;

/// One audit record file of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFile {
    /// File name.
    pub name: String,
    /// Sequence number from the name.
    pub seq: u64,
    /// Unit from the name.
    pub unit: String,
    /// Other cases of the directory whose record the name could equally be: the file is
    /// never given to one of them silently.
    pub rivals: Vec<String>,
}

/// The files of one case, by file name (relative to the directory).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFiles {
    /// Case id.
    pub case_id: String,
    /// Process-info files: one normally; two when both spellings exist (rejected).
    pub process_info: Vec<String>,
    /// Journey file.
    pub journey: Option<String>,
    /// SLA file.
    pub sla: Option<String>,
    /// Queued-milestones file.
    pub milestones: Option<String>,
    /// wfctl's cancel record.
    pub cancel: Option<String>,
    /// Audit record files, by sequence number.
    pub audits: Vec<AuditFile>,
    /// The case's entry in `counters.json`.
    pub counter: Option<u64>,
    /// The file store has an unfinished multi-file commit of this case (`.journal/{case}.json`):
    /// its files are not yet what the store reads.
    pub journal_pending: bool,
}

impl CaseFiles {
    /// Every file of the case, process info first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.process_info
            .iter()
            .map(String::as_str)
            .chain(self.journey.as_deref())
            .chain(self.sla.as_deref())
            .chain(self.milestones.as_deref())
            .chain(self.cancel.as_deref())
            .chain(self.audits.iter().map(|a| a.name.as_str()))
    }

    /// Number of files.
    pub fn file_count(&self) -> usize {
        self.names().count()
    }
}

/// Something the scan noticed that is not a case to load. Reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A file whose name the file store never writes (or a directory).
    UnknownFile {
        /// File name.
        name: String,
    },
    /// A file of a case that has neither process info nor a journey.
    Orphan {
        /// File name.
        name: String,
        /// The case it names.
        case_id: String,
    },
    /// A case with process info but no journey file (loaded without its journey).
    NoJourney {
        /// Case id.
        case_id: String,
    },
}

/// What the walk produces, in order: notices and cases as partitions are grouped.
#[derive(Debug)]
pub enum ScanItem {
    /// A case to load.
    Case(CaseFiles),
    /// A notice.
    Notice(Notice),
}

/// `counters.json` as read during the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountersFile {
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Why it could not be read, if it could not (the cases then load without its values).
    pub error: Option<super::reject::Rejection>,
}

/// How the walk behaves.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Listing entries kept in memory before spilling to temporary files.
    pub spill_threshold: usize,
    /// Number of partitions of the listing.
    pub partitions: usize,
    /// Only cases having one of these files (a `--retry` run); `None` = everything.
    pub only: Option<HashSet<String>>,
    /// Read symbolic links that point outside the directory (`--follow-symlinks`).
    pub follow_symlinks: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            spill_threshold: 200_000,
            partitions: 64,
            only: None,
            follow_symlinks: false,
        }
    }
}

/// Totals of the listing, known once it is complete (before the first case is handed out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Directory entries seen (files and directories, hidden ones excluded).
    pub entries: u64,
    /// Files that belong to a case (process info, journey, SLA, milestones, audit).
    pub case_files: u64,
    /// `counters.json`, if present.
    pub counters: Option<CountersFile>,
    /// Whether the listing was spilled to temporary files.
    pub spilled: bool,
}

/// Walks `dir`: calls `on_listed` once the listing is complete, then `on_item` for every
/// notice and case. Returns early with the callback's error.
pub fn scan(
    dir: &Path,
    options: &ScanOptions,
    on_listed: &mut dyn FnMut(&Listing) -> Result<(), Error>,
    on_item: &mut dyn FnMut(ScanItem) -> Result<(), Error>,
) -> Result<(), Error> {
    let io_err = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut parts = Partitions::new(options.partitions.max(1), options.spill_threshold);
    let mut listing = Listing::default();
    for entry in fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let Ok(name) = entry.file_name().into_string() else {
            listing.entries += 1;
            let name = entry.file_name().to_string_lossy().into_owned();
            on_item(ScanItem::Notice(Notice::UnknownFile { name }))?;
            continue;
        };
        if name.starts_with('.') {
            // .locks/ and the file store's temporary files
            continue;
        }
        listing.entries += 1;
        // classified by name alone: a directory, FIFO or socket with a record's name is that
        // record, unreadable, and rejects its case (never imported without it)
        match names::classify(&name) {
            FileKind::Unknown => on_item(ScanItem::Notice(Notice::UnknownFile { name }))?,
            FileKind::Counters => {
                let file = open_source_file(dir, COUNTERS_FILE, options.follow_symlinks);
                listing.counters = Some(read_counters(file, &mut parts)?);
            }
            FileKind::Audit(readings) => {
                listing.case_files += 1;
                let candidates: Vec<&AuditName> = readings
                    .iter()
                    .filter(|r| case_exists(dir, &r.case_id))
                    .collect();
                if candidates.len() > 1 {
                    // every candidate case gets the file with the others named, and is refused
                    for reading in &candidates {
                        let rivals = candidates
                            .iter()
                            .filter(|r| r.case_id != reading.case_id)
                            .map(|r| r.case_id.clone())
                            .collect();
                        parts.push(Entry::Audit {
                            name: name.clone(),
                            reading: (*reading).clone(),
                            rivals,
                        })?;
                    }
                    continue;
                }
                let reading = pick_reading(dir, &name, readings);
                parts.push(Entry::Audit {
                    name,
                    reading,
                    rivals: Vec::new(),
                })?;
            }
            kind => {
                listing.case_files += 1;
                let tag = match kind {
                    FileKind::ProcessInfo(_) | FileKind::LegacyProcessInfo(_) => Tag::ProcessInfo,
                    FileKind::Journey(_) => Tag::Journey,
                    FileKind::Sla(_) => Tag::Sla,
                    FileKind::Cancel(_) => Tag::Cancel,
                    _ => Tag::Milestones,
                };
                let case_id = names::case_of(&kind)
                    .expect("every single-case kind names its case")
                    .to_owned();
                parts.push(Entry::File { tag, case_id, name })?;
            }
        }
    }
    listing.spilled = parts.spilled();
    on_listed(&listing)?;
    let journal_dir = dir.join(JOURNAL_DIR);
    let journals = journal_dir.is_dir().then_some(journal_dir.as_path());
    for p in 0..parts.count() {
        let entries = parts.take(p)?;
        for item in group(entries, options.only.as_ref(), journals) {
            on_item(item)?;
        }
    }
    Ok(())
}

/// Whether the directory holds the journey or process info of `case_id`.
fn case_exists(dir: &Path, case_id: &str) -> bool {
    [
        crate::model::journey_key(case_id),
        crate::model::process_info_key(case_id),
        format!("{}{case_id}", crate::model::LEGACY_PROCESS_INFO_PREFIX),
    ]
    .iter()
    .any(|key| dir.join(format!("{key}.json")).exists())
}

/// The case of an audit name; ambiguous names are settled by the file store's rule, which
/// looks for journey files.
fn pick_reading(dir: &Path, name: &str, mut readings: Vec<AuditName>) -> AuditName {
    if readings.len() > 1 {
        return names::owner_of(name, &readings, |case| {
            dir.join(format!("{}.json", crate::model::journey_key(case)))
                .exists()
        });
    }
    readings.swap_remove(0)
}

/// Opens the file `name` of the source directory `dir` for reading. The import reads only what
/// the directory holds: a symbolic link whose target lies outside it is refused (class
/// `outside_link`) unless `follow_symlinks`; a link inside it is read. The final open never
/// follows a link, so a file swapped for a link after the check is refused too.
pub(crate) fn open_source_file(
    dir: &Path,
    name: &str,
    follow_symlinks: bool,
) -> Result<File, super::reject::Rejection> {
    use super::reject::{ErrorClass, Rejection};
    let unreadable =
        |e: io::Error| Rejection::new(ErrorClass::Unreadable, format!("cannot read: {e}"), None);
    let path = dir.join(name);
    if follow_symlinks {
        return open_regular(&path, true);
    }
    let meta = fs::symlink_metadata(&path).map_err(unreadable)?;
    let target = if meta.file_type().is_symlink() {
        let target = fs::canonicalize(&path).map_err(unreadable)?;
        let root = fs::canonicalize(dir).map_err(unreadable)?;
        if !target.starts_with(&root) {
            return Err(Rejection::new(
                ErrorClass::OutsideLink,
                format!(
                    "symbolic link to {}, outside {}; not read (--follow-symlinks reads it)",
                    target.display(),
                    dir.display()
                ),
                None,
            ));
        }
        target
    } else {
        path
    };
    open_regular(&target, false)
}

/// Opens a source file the way the file store opens its own (never blocking on a FIFO or a
/// device, only a regular file: [`crate::store::file::read::open_regular`]).
fn open_regular(path: &Path, follow: bool) -> Result<File, super::reject::Rejection> {
    use super::reject::{ErrorClass, Rejection};
    use crate::store::file::read::{self, Refused};
    read::open_regular(path, follow)
        .map(|(file, _)| file)
        .map_err(|refused| match refused {
            Refused::Io(e) => {
                Rejection::new(ErrorClass::Unreadable, format!("cannot read: {e}"), None)
            }
            refused => Rejection::new(ErrorClass::Unreadable, refused.to_string(), None),
        })
}

/// The file store's directory of unfinished multi-file commits.
const JOURNAL_DIR: &str = ".journal";

fn group(
    entries: Vec<Entry>,
    only: Option<&HashSet<String>>,
    journals: Option<&Path>,
) -> Vec<ScanItem> {
    let mut cases: BTreeMap<String, CaseFiles> = BTreeMap::new();
    fn case<'m>(cases: &'m mut BTreeMap<String, CaseFiles>, id: &str) -> &'m mut CaseFiles {
        cases.entry(id.to_owned()).or_insert_with(|| CaseFiles {
            case_id: id.to_owned(),
            ..CaseFiles::default()
        })
    }
    for entry in entries {
        match entry {
            Entry::File { tag, case_id, name } => {
                let files = case(&mut cases, &case_id);
                match tag {
                    Tag::ProcessInfo => files.process_info.push(name),
                    Tag::Journey => files.journey = Some(name),
                    Tag::Sla => files.sla = Some(name),
                    Tag::Milestones => files.milestones = Some(name),
                    Tag::Cancel => files.cancel = Some(name),
                }
            }
            Entry::Audit {
                name,
                reading,
                rivals,
            } => case(&mut cases, &reading.case_id).audits.push(AuditFile {
                name,
                seq: reading.seq,
                unit: reading.unit,
                rivals,
            }),
            Entry::Counter { case_id, value } => case(&mut cases, &case_id).counter = Some(value),
        }
    }
    let mut items = Vec::new();
    for (_, mut files) in cases {
        if let Some(only) = only
            && !files.names().any(|n| only.contains(n))
        {
            continue;
        }
        files.process_info.sort();
        files
            .audits
            .sort_by(|a, b| (a.seq, &a.name).cmp(&(b.seq, &b.name)));
        if files.process_info.is_empty() && files.journey.is_none() {
            for name in files.names() {
                items.push(ScanItem::Notice(Notice::Orphan {
                    name: name.to_owned(),
                    case_id: files.case_id.clone(),
                }));
            }
            continue;
        }
        files.journal_pending =
            journals.is_some_and(|j| j.join(format!("{}.json", files.case_id)).exists());
        if files.journey.is_none() {
            items.push(ScanItem::Notice(Notice::NoJourney {
                case_id: files.case_id.clone(),
            }));
        }
        items.push(ScanItem::Case(files));
    }
    items
}

/// Streams `counters.json` (`{"workflow_audit_log_counter-{case}": n, ...}`) into the
/// partitions, hashing it on the way; never holds the whole map.
fn read_counters(
    file: Result<File, super::reject::Rejection>,
    parts: &mut Partitions,
) -> Result<CountersFile, Error> {
    let file = match file {
        Ok(file) => file,
        Err(rejection) => {
            return Ok(CountersFile {
                size: 0,
                sha256: String::new(),
                error: Some(rejection),
            });
        }
    };
    let mut reader = HashingReader {
        inner: BufReader::with_capacity(64 * 1024, file),
        hasher: Sha256::new(),
        size: 0,
    };
    let mut spill_error = None;
    let parsed = {
        let mut de = serde_json::Deserializer::from_reader(&mut reader);
        let visitor = CountersVisitor {
            parts,
            spill_error: &mut spill_error,
        };
        serde::Deserializer::deserialize_map(&mut de, visitor).and_then(|count| {
            de.end()?;
            Ok(count)
        })
    };
    if let Some(e) = spill_error {
        return Err(e);
    }
    // hash whatever the parser did not consume, so the checksum covers the whole file
    let _ = io::copy(&mut reader, &mut io::sink());
    let error = match parsed {
        Ok(_) => None,
        Err(e) => Some(super::reject::classify_json_error(&e, reader.size)),
    };
    Ok(CountersFile {
        size: reader.size,
        sha256: hex(&reader.hasher.finalize()),
        error,
    })
}

struct CountersVisitor<'a> {
    parts: &'a mut Partitions,
    spill_error: &'a mut Option<Error>,
}

impl<'de> serde::de::Visitor<'de> for CountersVisitor<'_> {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object of audit counters")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        let mut count = 0;
        while let Some((key, value)) = map.next_entry::<String, u64>()? {
            let case_id = key.strip_prefix(COUNTER_PREFIX).unwrap_or(&key).to_owned();
            if let Err(e) = self.parts.push(Entry::Counter { case_id, value }) {
                *self.spill_error = Some(e);
                return Err(serde::de::Error::custom("cannot spill the listing"));
            }
            count += 1;
        }
        Ok(count)
    }
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    ProcessInfo,
    Journey,
    Sla,
    Milestones,
    Cancel,
}

#[derive(Debug)]
enum Entry {
    File {
        tag: Tag,
        case_id: String,
        name: String,
    },
    Audit {
        name: String,
        reading: AuditName,
        rivals: Vec<String>,
    },
    Counter {
        case_id: String,
        value: u64,
    },
}

impl Entry {
    fn case_id(&self) -> &str {
        match self {
            Self::File { case_id, .. } | Self::Counter { case_id, .. } => case_id,
            Self::Audit { reading, .. } => &reading.case_id,
        }
    }

    fn write(&self, out: &mut impl Write) -> io::Result<()> {
        fn s(out: &mut impl Write, text: &str) -> io::Result<()> {
            out.write_all(&u32::try_from(text.len()).unwrap_or(u32::MAX).to_le_bytes())?;
            out.write_all(text.as_bytes())
        }
        match self {
            Self::File { tag, case_id, name } => {
                out.write_all(&[*tag as u8])?;
                s(out, case_id)?;
                s(out, name)
            }
            Self::Audit {
                name,
                reading,
                rivals,
            } => {
                out.write_all(&[10])?;
                s(out, name)?;
                s(out, &reading.case_id)?;
                out.write_all(&reading.seq.to_le_bytes())?;
                s(out, &reading.unit)?;
                out.write_all(&(rivals.len() as u64).to_le_bytes())?;
                rivals.iter().try_for_each(|r| s(out, r))
            }
            Self::Counter { case_id, value } => {
                out.write_all(&[11])?;
                s(out, case_id)?;
                out.write_all(&value.to_le_bytes())
            }
        }
    }

    fn read(input: &mut impl BufRead) -> io::Result<Option<Self>> {
        fn s(input: &mut impl BufRead) -> io::Result<String> {
            let mut len = [0; 4];
            input.read_exact(&mut len)?;
            let mut buf = vec![0; u32::from_le_bytes(len) as usize];
            input.read_exact(&mut buf)?;
            String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        }
        fn n(input: &mut impl BufRead) -> io::Result<u64> {
            let mut b = [0; 8];
            input.read_exact(&mut b)?;
            Ok(u64::from_le_bytes(b))
        }
        if input.fill_buf()?.is_empty() {
            return Ok(None);
        }
        let mut tag = [0];
        input.read_exact(&mut tag)?;
        let tags = [
            Tag::ProcessInfo,
            Tag::Journey,
            Tag::Sla,
            Tag::Milestones,
            Tag::Cancel,
        ];
        Ok(Some(match tag[0] {
            10 => {
                let name = s(input)?;
                let case_id = s(input)?;
                let seq = n(input)?;
                let unit = s(input)?;
                let rivals = (0..n(input)?)
                    .map(|_| s(input))
                    .collect::<io::Result<_>>()?;
                Self::Audit {
                    name,
                    reading: AuditName { case_id, seq, unit },
                    rivals,
                }
            }
            11 => {
                let case_id = s(input)?;
                Self::Counter {
                    case_id,
                    value: n(input)?,
                }
            }
            t => Self::File {
                tag: *tags
                    .get(usize::from(t))
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad tag"))?,
                case_id: s(input)?,
                name: s(input)?,
            },
        }))
    }
}

/// The listing split by case hash: in memory until `threshold` entries, then in temporary
/// files (removed when dropped).
struct Partitions {
    memory: Vec<Vec<Entry>>,
    held: usize,
    threshold: usize,
    spill: Option<Spill>,
}

struct Spill {
    dir: tempfile::TempDir,
    writers: Vec<BufWriter<File>>,
}

impl Partitions {
    fn new(count: usize, threshold: usize) -> Self {
        Self {
            memory: (0..count).map(|_| Vec::new()).collect(),
            held: 0,
            threshold,
            spill: None,
        }
    }

    fn count(&self) -> usize {
        self.memory.len()
    }

    fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    fn index(&self, case_id: &str) -> usize {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        case_id.hash(&mut h);
        usize::try_from(h.finish() % self.memory.len() as u64).unwrap_or(0)
    }

    fn push(&mut self, entry: Entry) -> Result<(), Error> {
        let p = self.index(entry.case_id());
        if let Some(spill) = &mut self.spill {
            return entry
                .write(&mut spill.writers[p])
                .map_err(|e| spill.error(e));
        }
        self.memory[p].push(entry);
        self.held += 1;
        if self.held > self.threshold {
            self.start_spilling()?;
        }
        Ok(())
    }

    fn start_spilling(&mut self) -> Result<(), Error> {
        let dir = tempfile::Builder::new()
            .prefix("wfctl-import-")
            .tempdir()
            .map_err(|source| Error::Io {
                path: std::env::temp_dir(),
                source,
            })?;
        let mut spill = Spill {
            writers: Vec::new(),
            dir,
        };
        for p in 0..self.memory.len() {
            let file = File::create(spill.path(p)).map_err(|e| spill.error(e))?;
            let mut writer = BufWriter::with_capacity(16 * 1024, file);
            for entry in std::mem::take(&mut self.memory[p]) {
                entry.write(&mut writer).map_err(|e| spill.error(e))?;
            }
            spill.writers.push(writer);
        }
        self.held = 0;
        self.spill = Some(spill);
        Ok(())
    }

    fn take(&mut self, p: usize) -> Result<Vec<Entry>, Error> {
        let mut entries = std::mem::take(&mut self.memory[p]);
        if let Some(spill) = &mut self.spill {
            spill.writers[p].flush().map_err(|e| spill.error(e))?;
            let file = File::open(spill.path(p)).map_err(|e| spill.error(e))?;
            let mut reader = BufReader::new(file);
            while let Some(entry) = Entry::read(&mut reader).map_err(|e| spill.error(e))? {
                entries.push(entry);
            }
            let _ = fs::remove_file(spill.path(p));
        }
        Ok(entries)
    }
}

impl Spill {
    fn path(&self, p: usize) -> PathBuf {
        self.dir.path().join(format!("part-{p:03}"))
    }

    fn error(&self, source: io::Error) -> Error {
        Error::Io {
            path: self.dir.path().to_path_buf(),
            source,
        }
    }
}
