/// How a security answer is checked: the words at either end of it do not
/// count, nor does case ("Smith", " smith " and "SMITH" are one answer).
/// An old portal that kept its answers as typed is imported with
/// `answer_normalised` no (docs/import.md): its answers are checked with
/// [`answer_as_typed`] instead.
pub fn normalise_answer(answer: &str) -> String {
    answer.trim().to_lowercase()
}

/// An answer as its old portal hashed it: only the spaces at either end
/// dropped (a form or a paste adds them), case kept.
pub fn answer_as_typed(answer: &str) -> String {
    answer.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_outer_spaces_do_not_count_unless_kept() {
        assert_eq!(normalise_answer("  Smith \t"), "smith");
        assert_eq!(normalise_answer("ÉCOLE"), "école");
        assert_eq!(answer_as_typed("  Smith "), "Smith");
    }
}
