//! The Progress page's chart, drawn on the server as SVG: one bar a day.
//! The figures are also in a table on the page, which screen readers read;
//! the picture is hidden from them.

use super::DayCount;

const WIDTH: usize = 600;
const HEIGHT: usize = 180;
const AXIS: usize = 20;

/// A bar chart of `days` (oldest first), with the highest count marked.
pub fn bars(days: &[DayCount]) -> String {
    let top = days.iter().map(|d| d.count).max().unwrap_or(0);
    let max = top.max(1);
    let n = days.len().max(1);
    let slot = WIDTH / n;
    let bar = slot.saturating_sub(4).max(1);
    let plot = HEIGHT - AXIS;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" class=\"chart\" aria-hidden=\"true\" focusable=\"false\">"
    );
    svg.push_str(&format!(
        "<line x1=\"0\" y1=\"{plot}\" x2=\"{WIDTH}\" y2=\"{plot}\" stroke=\"currentColor\" stroke-width=\"1\"/>"
    ));
    for (i, d) in days.iter().enumerate() {
        let h = (d.count as f64 / max as f64 * (plot - 4) as f64).round() as usize;
        let x = i * slot + 2;
        let y = plot - h;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"currentColor\"/>"
        ));
    }
    // The first and the last day under the axis, and the highest count
    // (none when every day is 0: a lone "1" would be no count at all).
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let base = HEIGHT - 4;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{base}\" font-size=\"12\" fill=\"currentColor\">{}</text>\
             <text x=\"{WIDTH}\" y=\"{base}\" font-size=\"12\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            first.day, last.day
        ));
        if top > 0 {
            svg.push_str(&format!(
                "<text x=\"0\" y=\"12\" font-size=\"12\" fill=\"currentColor\">{top}</text>"
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_day_is_a_bar_as_high_as_its_count() {
        let days: Vec<DayCount> = (0..30)
            .map(|i| DayCount {
                day: format!("day{i}"),
                count: if i == 29 { 8 } else { i % 3 },
            })
            .collect();
        let svg = bars(&days);
        assert_eq!(svg.matches("<rect").count(), 30);
        assert!(
            svg.contains("height=\"156\""),
            "the highest bar fills the plot: {svg}"
        );
        assert!(svg.contains(">day0<") && svg.contains(">day29<") && svg.contains(">8<"));
        assert!(
            !svg.contains("style="),
            "no inline style (the CSP forbids it)"
        );
        let empty = bars(&[]);
        assert!(empty.starts_with("<svg") && empty.ends_with("</svg>"));
        // Days without a consolidation: no height to mark.
        let quiet: Vec<DayCount> = (0..30)
            .map(|i| DayCount {
                day: format!("day{i}"),
                count: 0,
            })
            .collect();
        let svg = bars(&quiet);
        assert!(
            !svg.contains(">1<") && !svg.contains(">0<"),
            "no count on the axis: {svg}"
        );
    }
}
