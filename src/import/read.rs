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
) -> Result<String, FileProblem> {
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
    std::io::copy(&mut tap, &mut std::io::sink())?;
    Ok(hex::encode(tap.sha.finalize()))
}

fn bad(code: &'static str, message: impl Into<String>) -> Result<RawRow, Reject> {
    Err(Reject::new(code, message))
}

/// A problem with the file as a whole: `Unusable` before any row was read
/// (nothing done; the header names an unknown column, say), `Failed` when
/// reading stopped midway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Unusable(String),
    Failed(String),
}

/// Reading stopped midway.
impl From<std::io::Error> for FileProblem {
    fn from(e: std::io::Error) -> Self {
        FileProblem::Failed(format!("reading: {e}"))
    }
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileProblem::Unusable(s) | FileProblem::Failed(s) => f.write_str(s),
        }
    }
}

/// A CSV record as read: its fields, or why it is refused whole.
enum CsvRecord {
    /// The number of fields, in `CsvRecords::fields` and `ends`.
    Fields(usize),
    TooLong,
    TooManyFields,
}

/// The most fields a CSV record may have (the header has at most 15).
const MAX_FIELDS: usize = 64;

/// CSV records one at a time, through csv-core (the csv crate's own
/// parser, so quoting is read exactly as the csv crate reads it) into
/// buffers of a fixed size: a record longer than [`MAX_RECORD_BYTES`] is
/// read on to its end and dropped, so that memory stays flat whatever the
/// file holds (a stray quote makes the rest of a file one record, and the
/// csv crate's reader would hold all of it).
struct CsvRecords<R> {
    input: R,
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
}

impl<R: BufRead> CsvRecords<R> {
    fn new(input: R) -> Self {
        Self {
            input,
            core: csv_core::Reader::new(),
            fields: vec![0; MAX_RECORD_BYTES],
            ends: vec![0; MAX_FIELDS],
        }
    }

    /// The next record and the line it starts on; `None` at the end.
    fn next(&mut self) -> std::io::Result<Option<(u64, CsvRecord)>> {
        use csv_core::ReadRecordResult as R;
        let line = self.core.line();
        let (mut out, mut end) = (0, 0);
        let mut refused = None;
        loop {
            let input = self.input.fill_buf()?;
            let (res, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.fields[out..], &mut self.ends[end..]);
            self.input.consume(nin);
            out += nout;
            end += nend;
            match res {
                R::InputEmpty => {}
                // Read on to the record's end, over the same buffers.
                R::OutputFull => {
                    refused.get_or_insert(CsvRecord::TooLong);
                    (out, end) = (0, 0);
                }
                R::OutputEndsFull => {
                    refused.get_or_insert(CsvRecord::TooManyFields);
                    end = 0;
                }
                R::Record => return Ok(Some((line, refused.unwrap_or(CsvRecord::Fields(end))))),
                R::End => return Ok(None),
            }
        }
    }

    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.fields[start..self.ends[i]]
    }
}

fn csv_rows(input: &mut impl Read, mut each: impl FnMut(Item) -> bool) -> Result<(), FileProblem> {
    let mut records = CsvRecords::new(BufReader::with_capacity(1 << 16, input));
    let header = match records.next()? {
        None => return Ok(()),
        Some((_, CsvRecord::Fields(n))) => n,
        Some(_) => {
            return Err(FileProblem::Unusable(format!(
                "the CSV header is longer than {MAX_RECORD_BYTES} bytes or has more than {MAX_FIELDS} columns"
            )))
        }
    };
    let mut columns = Vec::new();
    for i in 0..header {
        let h = String::from_utf8_lossy(records.field(i));
        let name = h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
        let shown: String = name.chars().take(40).collect();
        if !COLUMNS.contains(&name.as_str()) {
            return Err(FileProblem::Unusable(format!(
                "column {} of the header, {shown:?}, is not one of: {}",
                i + 1,
                COLUMNS.join(", ")
            )));
        }
        if columns.contains(&name) {
            return Err(FileProblem::Unusable(format!(
                "column {} of the header, {shown:?}, is named twice in the header",
                i + 1
            )));
        }
        columns.push(name);
    }
    while let Some((line, record)) = records.next()? {
        let row = match record {
            CsvRecord::TooLong => bad(
                "field-too-long",
                format!("the row is longer than {MAX_RECORD_BYTES} bytes."),
            ),
            CsvRecord::TooManyFields => bad(
                "bad-row",
                format!("the row has more than {MAX_FIELDS} fields; the header has {header}."),
            ),
            CsvRecord::Fields(n) if n != header => bad(
                "bad-row",
                format!("the row has {n} fields; the header has {header}."),
            ),
            CsvRecord::Fields(_) => csv_row(&columns, &records),
        };
        if !each(Item { line, row }) {
            return Ok(());
        }
    }
    Ok(())
}

fn csv_row<R: BufRead>(columns: &[String], record: &CsvRecords<R>) -> Result<RawRow, Reject> {
    let mut row = RawRow::default();
    for (i, name) in columns.iter().enumerate() {
        let value = record.field(i);
        let Ok(value) = std::str::from_utf8(value) else {
            return bad("bad-encoding", format!("{name} is not UTF-8 text."));
        };
        row.set(name, value.to_string());
    }
    Ok(row)
}

fn jsonl_rows(
    input: &mut impl Read,
    mut each: impl FnMut(Item) -> bool,
) -> Result<(), FileProblem> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        line += 1;
        let n = (&mut reader)
            .take(MAX_RECORD_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)?;
        if n == 0 {
            return Ok(());
        }
        let row = if buf.len() > MAX_RECORD_BYTES && !buf.ends_with(b"\n") {
            // The rest of the line is skipped, a block at a time.
            loop {
                let available = reader.fill_buf()?;
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

    fn read(format: FileFormat, text: &[u8]) -> Result<Rows, FileProblem> {
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
        assert!(
            matches!(&e, FileProblem::Unusable(s) if s.contains("column 2") && s.contains("\"pasword\"")),
            "{e:?}"
        );
        let e = read(FileFormat::Csv, b"source,username,Source\n").unwrap_err();
        assert!(
            matches!(&e, FileProblem::Unusable(s) if s.contains("column 3") && s.contains("twice")),
            "{e:?}"
        );
    }

    /// A stray quote makes the rest of the file one record: it is refused
    /// with its line, read to its end a block at a time (never held whole:
    /// the input here is 20 MB that exist nowhere), and the rows before it
    /// go in.
    #[test]
    fn an_unterminated_quote_is_one_refused_record_read_in_constant_memory() {
        struct Endless(u64);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = (buf.len() as u64).min(self.0) as usize;
                buf[..n].fill(b'x');
                self.0 -= n as u64;
                Ok(n)
            }
        }
        let head: &[u8] = b"source,legacy_id\na,1\na,\"2\na,3\n";
        let input = head.chain(Endless(20 << 20));
        let bytes = AtomicU64::new(0);
        let mut out = Vec::new();
        read_rows(FileFormat::Csv, input, &bytes, |i| {
            out.push((i.line, i.row.map_err(|r| r.code)));
            true
        })
        .unwrap();
        assert_eq!(out.len(), 2, "one good row, one refused");
        assert_eq!(out[0].0, 2);
        assert_eq!(
            (out[1].0, out[1].1.as_ref().err()),
            (3, Some(&"field-too-long"))
        );
        assert_eq!(
            bytes.load(Ordering::Relaxed),
            head.len() as u64 + (20 << 20)
        );
        // A record with too many fields, and one with too few.
        let many = format!("source,legacy_id\n{}\na\n", "a,".repeat(100));
        let rows = read(FileFormat::Csv, many.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows
            .iter()
            .all(|(_, r)| r.as_ref().err().unwrap().code == "bad-row"));
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
