//! Reading an import file row by row (CSV or JSON Lines), so that memory
//! stays flat whatever the file's size: one row at a time goes to `each`.
//! A row that cannot be read becomes a refused row with its line; only a
//! problem with the file as a whole (unreadable, an unknown CSV column)
//! stops the reading.

use super::row::{RawRow, Reject, COLUMNS};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};

/// The two formats of docs/import.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Jsonl,
}

impl FileFormat {
    /// From `--format`, or from a file name's extension.
    pub fn from_name(name: &str) -> Option<FileFormat> {
        let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(FileFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(FileFormat::Jsonl),
            _ => None,
        }
    }
}

/// A row read, or why it could not be, with the line it starts on.
pub struct Item {
    pub line: u64,
    pub row: Result<RawRow, Reject>,
}

/// The longest line or record read, in bytes: longer ones are refused.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// Counts the bytes read (for progress) and digests them (for the audit).
struct Tap<'a, R> {
    inner: R,
    bytes: &'a AtomicU64,
    sha: Sha256,
}

impl<R: Read> Read for Tap<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads every row of `input` into `each` (which returns false to stop);
/// `bytes` counts what was read. Gives the file's SHA-256 (hex), or a
/// sentence about a problem with the whole file.
pub fn read_rows(
    format: FileFormat,
    input: impl Read,
    bytes: &AtomicU64,
    each: impl FnMut(Item) -> bool,
) -> Result<String, String> {
    let mut tap = Tap {
        inner: input,
        bytes,
        sha: Sha256::new(),
    };
    match format {
        FileFormat::Csv => csv_rows(&mut tap, each)?,
        FileFormat::Jsonl => jsonl_rows(&mut tap, each)?,
    }
    // Whatever `each` left unread still counts in the file's digest.
    std::io::copy(&mut tap, &mut std::io::sink()).map_err(|e| format!("reading: {e}"))?;
    Ok(hex::encode(tap.sha.finalize()))
}

fn bad(code: &'static str, message: impl Into<String>) -> Result<RawRow, Reject> {
    Err(Reject::new(code, message))
}

fn csv_rows(input: &mut impl Read, mut each: impl FnMut(Item) -> bool) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(BufReader::with_capacity(1 << 16, input));
    let headers = reader
        .byte_headers()
        .map_err(|e| format!("the CSV header cannot be read: {e}"))?
        .clone();
    let mut columns = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = String::from_utf8_lossy(h);
        let name = h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
        if !COLUMNS.contains(&name.as_str()) {
            return Err(format!(
                "column {} of the header, {name:?}, is not one of: {}",
                i + 1,
                COLUMNS.join(", ")
            ));
        }
        if columns.contains(&name) {
            return Err(format!("column {name:?} is named twice in the header"));
        }
        columns.push(name);
    }
    let mut record = csv::ByteRecord::new();
    loop {
        let next = reader.position().line();
        let (line, row) = match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(next, |p| p.line());
                if record.as_slice().len() > MAX_RECORD_BYTES {
                    let too_long = format!("the row is longer than {MAX_RECORD_BYTES} bytes.");
                    (line, bad("field-too-long", too_long))
                } else {
                    (line, csv_row(&columns, &record))
                }
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                return Err(format!("reading: {e}"))
            }
            Err(e) => {
                let line = e.position().map_or(next, |p| p.line());
                let why = format!("the row cannot be read as CSV ({e}).");
                (line, bad("bad-row", why))
            }
        };
        if !each(Item { line, row }) {
            return Ok(());
        }
    }
}

fn csv_row(columns: &[String], record: &csv::ByteRecord) -> Result<RawRow, Reject> {
    let mut row = RawRow::default();
    for (name, value) in columns.iter().zip(record.iter()) {
        let Ok(value) = std::str::from_utf8(value) else {
            return bad("bad-encoding", format!("{name} is not UTF-8 text."));
        };
        row.set(name, value.to_string());
    }
    Ok(row)
}

fn jsonl_rows(input: &mut impl Read, mut each: impl FnMut(Item) -> bool) -> Result<(), String> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        line += 1;
        let n = (&mut reader)
            .take(MAX_RECORD_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("reading: {e}"))?;
        if n == 0 {
            return Ok(());
        }
        let row = if buf.len() > MAX_RECORD_BYTES && !buf.ends_with(b"\n") {
            // The rest of the line is skipped, a block at a time.
            loop {
                let available = reader.fill_buf().map_err(|e| format!("reading: {e}"))?;
                if available.is_empty() {
                    break;
                }
                match available.iter().position(|b| *b == b'\n') {
                    Some(i) => {
                        reader.consume(i + 1);
                        break;
                    }
                    None => {
                        let all = available.len();
                        reader.consume(all);
                    }
                }
            }
            bad(
                "field-too-long",
                format!("the line is longer than {MAX_RECORD_BYTES} bytes."),
            )
        } else {
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            json_row(&buf)
        };
        if !each(Item { line, row }) {
            return Ok(());
        }
    }
}

fn json_row(bytes: &[u8]) -> Result<RawRow, Reject> {
    use serde_json::Value;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bad("bad-encoding", "the line is not UTF-8 text.");
    };
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return bad("bad-row", "the line is not one JSON object.");
    };
    let mut row = RawRow::default();
    for (key, value) in map {
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        if !COLUMNS.contains(&key.as_str()) {
            let key: String = key.chars().take(40).collect();
            return bad(
                "unknown-field",
                format!("{key:?} is not one of the fields docs/import.md lists."),
            );
        }
        match (key.as_str(), &value) {
            (_, Value::Null) => {}
            ("tins", Value::Array(list)) => {
                let mut tins = Vec::new();
                for t in list {
                    match scalar(t) {
                        Some(t) => tins.push(t),
                        None => return bad("bad-tin", "tins: each TIN is text."),
                    }
                }
                row.set("tins", tins.join(";"));
            }
            (_, v) => match scalar(v) {
                Some(s) => {
                    row.set(&key, s);
                }
                None => return bad("bad-row", format!("{key} is not text.")),
            },
        }
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(u64, Result<RawRow, Reject>)>;

    fn read(format: FileFormat, text: &[u8]) -> Result<Rows, String> {
        let bytes = AtomicU64::new(0);
        let mut out = Vec::new();
        read_rows(format, text, &bytes, |i| {
            out.push((i.line, i.row));
            true
        })?;
        assert_eq!(bytes.load(Ordering::Relaxed), text.len() as u64);
        Ok(out)
    }

    #[test]
    fn csv_rows_with_their_lines() {
        let text = b"\xef\xbb\xbfsource,legacy_id,username,tins\n\
            a,1,kpatel,\"836576879;061234567\"\n\
            a,2,\"two\nlines\",123456789\n\
            a,3,\xff\xfe,123456789\n\
            a,4\n";
        let rows = read(FileFormat::Csv, text).unwrap();
        assert_eq!(rows.len(), 4);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!((rows[0].0, first.get("username")), (2, Some("kpatel")));
        assert_eq!(first.tins, ["836576879", "061234567"]);
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[2].0, 5);
        assert_eq!(rows[2].1.as_ref().err().unwrap().code, "bad-encoding");
        assert_eq!(
            (rows[3].0, rows[3].1.as_ref().err().unwrap().code),
            (6, "bad-row")
        );
        let e = read(FileFormat::Csv, b"source,pasword\n").unwrap_err();
        assert!(e.contains("\"pasword\""), "{e}");
    }

    #[test]
    fn jsonl_rows_numbers_arrays_and_bad_lines() {
        let long = format!("{{\"practice\":\"{}\"}}\n", "x".repeat(MAX_RECORD_BYTES));
        let text = format!(
            "{{\"source\":\"a\",\"legacy_id\":17,\"tins\":[\"836576879\",61234567],\"pin\":4826}}\n\n\
             not json\n{long}{{\"colour\":\"red\"}}\n{{\"source\":\"b\"}}"
        );
        let rows = read(FileFormat::Jsonl, text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 5);
        let first = rows[0].1.as_ref().unwrap();
        assert_eq!(first.get("legacy_id"), Some("17"));
        assert_eq!(first.get("pin"), Some("4826"));
        assert_eq!(first.tins, ["836576879", "61234567"]);
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1.as_ref().err().unwrap().code, "bad-row");
        assert_eq!(rows[2].1.as_ref().err().unwrap().code, "field-too-long");
        assert_eq!(rows[3].1.as_ref().err().unwrap().code, "unknown-field");
        assert_eq!(
            (rows[4].0, rows[4].1.as_ref().unwrap().get("source")),
            (6, Some("b"))
        );
    }

    /// docs/import.md's examples are read and every row passes its checks.
    #[test]
    fn the_documented_examples_go_in() {
        let doc = include_str!("../../docs/import.md");
        for (fence, format) in [
            ("```csv\n", FileFormat::Csv),
            ("```json\n", FileFormat::Jsonl),
        ] {
            let start = doc.find(fence).expect("an example") + fence.len();
            let block = &doc[start..start + doc[start..].find("```").unwrap()];
            let rows = read(format, block.as_bytes()).unwrap();
            assert_eq!(
                rows.len(),
                3 - usize::from(format == FileFormat::Jsonl),
                "{format:?}"
            );
            for (line, row) in rows {
                let row = row.unwrap_or_else(|e| panic!("{format:?} line {line}: {e:?}"));
                super::super::row::check(&row)
                    .unwrap_or_else(|e| panic!("{format:?} line {line}: {e:?}"));
            }
        }
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(FileFormat::from_name("a.CSV"), Some(FileFormat::Csv));
        assert_eq!(FileFormat::from_name("x/y.jsonl"), Some(FileFormat::Jsonl));
        assert_eq!(FileFormat::from_name("y.txt"), None);
    }
}
