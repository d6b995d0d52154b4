//! The text a plugin says it extracted from an attachment (`attachment-text`), bounded before
//! the mirror indexes it: at most [`MAX_ATTACHMENT_TEXT_BYTES`], control characters dropped
//! (line breaks and tabs kept, `\r\n` and a lone `\r` made `\n`), blank text kept as none.
//!
//! Cut rather than refused: the text feeds search and ranking, and the first 200 KiB of a
//! résumé say what it is about; refusing would lose the whole of it for one long file.

/// The most bytes of an attachment's text the host keeps. A long résumé is 20-50 KiB of text.
pub const MAX_ATTACHMENT_TEXT_BYTES: usize = 200 << 10;

/// `text` bounded: what the host stores, or `None` when nothing readable is left.
pub(crate) fn attachment_text(text: Option<String>) -> Option<String> {
    let text = text?;
    let mut kept = String::with_capacity(text.len().min(MAX_ATTACHMENT_TEXT_BYTES));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' => {
                // `\r\n` is one line break.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                '\n'
            }
            '\n' | '\t' => c,
            // Escape sequences, NULs, bells and the C1 controls: nothing a reader needs, and
            // some would drive a terminal that prints the text.
            c if c.is_control() => continue,
            c => c,
        };
        if kept.len() + c.len_utf8() > MAX_ATTACHMENT_TEXT_BYTES {
            tracing::debug!(
                bytes = text.len(),
                kept = kept.len(),
                "attachment text cut to the host's bound"
            );
            break;
        }
        kept.push(c);
    }
    let trimmed = kept.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == kept.len() {
        Some(kept)
    } else {
        Some(trimmed.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_line_breaks_kept() {
        let text = "Ada\u{0}\u{7} Lovelace\r\n\u{1b}[31mEngines\u{1b}[0m\tnotes\rend\u{85}";
        assert_eq!(
            attachment_text(Some(text.into())).as_deref(),
            Some("Ada Lovelace\n[31mEngines[0m\tnotes\nend")
        );
    }

    #[test]
    fn an_oversize_text_is_cut_at_the_bound_on_a_character_boundary() {
        // 3-byte characters, so the bound falls inside one unless the cut respects boundaries.
        let text = "é€".repeat(MAX_ATTACHMENT_TEXT_BYTES);
        let kept = attachment_text(Some(text)).unwrap();
        assert!(kept.len() <= MAX_ATTACHMENT_TEXT_BYTES);
        assert!(kept.len() > MAX_ATTACHMENT_TEXT_BYTES - 4);
        assert!(kept.starts_with("é€é€"));
        let huge = format!("{}\u{0}", "word ".repeat(10 * MAX_ATTACHMENT_TEXT_BYTES));
        assert_eq!(
            attachment_text(Some(huge)).unwrap().len(),
            MAX_ATTACHMENT_TEXT_BYTES - 1,
            "cut at the bound, the trailing space trimmed"
        );
    }

    #[test]
    fn blank_or_control_only_text_is_none() {
        assert_eq!(attachment_text(None), None);
        assert_eq!(attachment_text(Some(String::new())), None);
        assert_eq!(attachment_text(Some(" \r\n\t\u{0}\u{1b}".into())), None);
        assert_eq!(
            attachment_text(Some("  cv  \n".into())).as_deref(),
            Some("cv")
        );
    }
}
