//! A bounded in-memory pipe from a producer (pg_dump's output through gzip) to a
//! [`super::Repository::put`] reading on another thread, so that a stream goes into the
//! repository without touching local disk.
//!
//! The rule that keeps half a stream from becoming an object: the reader sees the end of the
//! stream only when the writer is [`PipeWriter::commit`]ted. A writer dropped without it (its
//! producer failed, or found the stream incomplete) makes the reader fail, and a `put` whose
//! body fails stores nothing.

use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Chunks in flight between the two ends: with 1 MiB writes, a few MiB of memory at most.
const DEPTH: usize = 4;

/// The writing end.
pub struct PipeWriter {
    tx: SyncSender<Option<Vec<u8>>>,
}

/// The reading end: a body for `put`.
pub struct PipeReader {
    rx: Receiver<Option<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
    ended: bool,
}

/// A new pipe.
pub fn pipe() -> (PipeWriter, PipeReader) {
    let (tx, rx) = sync_channel(DEPTH);
    (
        PipeWriter { tx },
        PipeReader {
            rx,
            chunk: Vec::new(),
            at: 0,
            ended: false,
        },
    )
}

impl PipeWriter {
    /// Ends the stream as complete: only now does the reader see its end.
    pub fn commit(self) -> io::Result<()> {
        self.tx.send(None).map_err(|_| gone())
    }
}

fn gone() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "the repository stopped reading the stream",
    )
}

impl Write for PipeWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.tx.send(Some(buf.to_vec())).map_err(|_| gone())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.at < self.chunk.len() {
                let n = buf.len().min(self.chunk.len() - self.at);
                buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            if self.ended || buf.is_empty() {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Some(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(None) => self.ended = true,
                Err(_) => {
                    return Err(io::Error::other(
                        "the stream was abandoned before its end (nothing stored)",
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_is_seen_only_after_commit() {
        let (mut w, mut r) = pipe();
        let reader = std::thread::spawn(move || {
            let mut all = Vec::new();
            r.read_to_end(&mut all).map(|_| all)
        });
        w.write_all(b"abc").unwrap();
        w.commit().unwrap();
        assert_eq!(reader.join().unwrap().unwrap(), b"abc");

        let (mut w, mut r) = pipe();
        let reader = std::thread::spawn(move || {
            let mut all = Vec::new();
            r.read_to_end(&mut all).map(|_| all)
        });
        w.write_all(b"abc").unwrap();
        drop(w);
        assert!(reader.join().unwrap().is_err());
    }
}
