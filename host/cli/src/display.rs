//! Formatting shared by the CLI's human output.

pub use ats_app::when::{duration, maybe_timestamp, timestamp};

/// Renders rows as a plain table with aligned columns (two spaces apart, padded to the widest
/// cell in characters, trailing spaces trimmed).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    render(headers, rows, false)
}

/// As [`table`], with a dashed rule under the header (the features' answers).
pub fn ruled_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    render(headers, rows, true)
}

fn render(headers: &[&str], rows: &[Vec<String>], rule: bool) -> String {
    let columns = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().take(columns).enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut out = String::new();
        for (i, cell) in cells.enumerate().take(columns) {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(cell);
            let pad = widths[i].saturating_sub(cell.chars().count());
            out.extend(std::iter::repeat_n(' ', pad));
        }
        out.trim_end().to_string()
    };
    let mut out = line(&mut headers.iter().copied());
    out.push('\n');
    if rule {
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&line(&mut rule.iter().map(String::as_str)));
        out.push('\n');
    }
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align() {
        let t = ruled_table(
            &["id", "name"],
            &[
                vec!["1".into(), "Ada".into()],
                vec!["1234".into(), "Émile".into()],
            ],
        );
        assert_eq!(t, "id    name\n----  -----\n1     Ada\n1234  Émile\n");
    }

    #[test]
    fn aligns_columns() {
        let t = table(&["a", "bb"], &[vec!["xxx".into(), "y".into()]]);
        assert_eq!(t, "a    bb\nxxx  y\n");
    }
}
