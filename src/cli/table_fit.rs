//! Fitting a terminal table to its width without breaking words: a column is never narrower
//! than its longest word, so cells wrap only at spaces. When the longest words cannot all fit,
//! the widest columns share what is left and a word longer than its column's share is cut
//! with `…` (a table is for reading; `--json` carries every value whole).

use comfy_table::{Cell, ColumnConstraint, Row, Table, Width};

/// Cut marker for a word longer than its column.
const ELLIPSIS: char = '…';

/// Fits `table` to its width (a terminal's); `None` when it has none or already fits.
pub(crate) fn fit(table: &Table) -> Option<Table> {
    let width = usize::from(table.width()?);
    let header: Vec<String> = table.header()?.cell_iter().map(Cell::content).collect();
    let rows: Vec<Vec<String>> = table
        .row_iter()
        .map(|r| r.cell_iter().map(Cell::content).collect())
        .collect();
    let columns = header.len();
    let widest = |i: usize, measure: fn(&str) -> usize| {
        std::iter::once(&header)
            .chain(&rows)
            .filter_map(|r| r.get(i))
            .map(|cell| measure(cell))
            .max()
            .unwrap_or(0)
    };
    let natural: Vec<usize> = (0..columns)
        .map(|i| widest(i, |c| c.lines().map(visible_width).max().unwrap_or(0)))
        .collect();
    let longest: Vec<usize> = (0..columns)
        .map(|i| {
            widest(i, |c| {
                c.split_whitespace().map(visible_width).max().unwrap_or(0)
            })
        })
        .collect();
    // `│ a ┆ b │`: one border each side, a separator between, a space either side of each cell
    let room = width.saturating_sub(3 * columns + 1);
    if natural.iter().sum::<usize>() <= room {
        return None;
    }
    let caps = shares(&longest, room);
    let widths = grown(&caps, &natural, room);
    let mut fitted = if caps == longest {
        table.clone()
    } else {
        rebuilt(table, &header, &rows, &caps)
    };
    // fixed widths: the table's own arrangement would still split a word it finds too long
    fitted.set_constraints(widths.iter().map(|&w| {
        ColumnConstraint::Absolute(Width::Fixed(u16::try_from(w + 2).unwrap_or(u16::MAX)))
    }));
    Some(fitted)
}

/// Each column's narrowest width: its longest word when all fit in `room`, else narrow columns
/// keep theirs and the others share the rest equally.
fn shares(longest: &[usize], room: usize) -> Vec<usize> {
    if longest.iter().sum::<usize>() <= room {
        return longest.to_vec();
    }
    let mut share = room / longest.len().max(1);
    loop {
        let (kept, wide) = longest.iter().fold((0, 0), |(kept, wide), &w| {
            if w <= share {
                (kept + w, wide)
            } else {
                (kept, wide + 1)
            }
        });
        let next = room.saturating_sub(kept) / wide.max(1);
        if next == share {
            // at least a few characters each, even on a very narrow terminal
            let share = share.max(4);
            return longest.iter().map(|&w| w.min(share)).collect();
        }
        share = next;
    }
}

/// `narrowest` widened towards each column's `natural` width while `room` lasts, evenly.
fn grown(narrowest: &[usize], natural: &[usize], room: usize) -> Vec<usize> {
    let mut widths = narrowest.to_vec();
    let mut extra = room.saturating_sub(widths.iter().sum());
    loop {
        let short = widths.iter().zip(natural).filter(|(w, n)| w < n).count();
        if short == 0 || extra == 0 {
            return widths;
        }
        let each = (extra / short).max(1);
        for (w, n) in widths.iter_mut().zip(natural) {
            let add = each.min(n.saturating_sub(*w)).min(extra);
            *w += add;
            extra -= add;
        }
    }
}

/// The table again with every word longer than its column cut to fit.
fn rebuilt(table: &Table, header: &[String], rows: &[Vec<String>], caps: &[usize]) -> Table {
    let cut_row = |cells: &[String]| -> Row {
        cells
            .iter()
            .zip(caps)
            .map(|(cell, cap)| Cell::new(cut_words(cell, *cap)))
            .collect::<Vec<_>>()
            .into()
    };
    let mut fitted = Table::new();
    fitted
        .load_style(table.style())
        .set_content_arrangement(table.content_arrangement());
    fitted.set_header(cut_row(header));
    for row in rows {
        fitted.add_row(cut_row(row));
    }
    fitted
}

/// `text` with each word wider than `cap` cut to `cap` columns ending in `…`; spacing and
/// line breaks kept. Coloured words (ANSI) are left whole: they are short status words.
fn cut_words(text: &str, cap: usize) -> String {
    text.split('\n')
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    if visible_width(word) <= cap || word.contains('\x1b') {
                        word.to_owned()
                    } else {
                        let mut cut: String = word.chars().take(cap.saturating_sub(1)).collect();
                        cut.push(ELLIPSIS);
                        cut
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Columns a text takes on a terminal: characters outside ANSI escape sequences.
fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += 1;
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_keep_their_longest_word_when_all_fit() {
        assert_eq!(shares(&[5, 30, 10], 50), vec![5, 30, 10]);
    }

    #[test]
    fn wide_columns_share_what_narrow_ones_leave() {
        assert_eq!(shares(&[5, 60, 40], 45), vec![5, 20, 20]);
    }

    #[test]
    fn spare_room_widens_columns_towards_their_natural_width() {
        assert_eq!(grown(&[5, 10, 10], &[5, 40, 12], 35), vec![5, 18, 12]);
    }

    #[test]
    fn a_long_word_is_cut_with_an_ellipsis_and_short_ones_kept() {
        assert_eq!(cut_words("in /very/long/path ok", 8), "in /very/l… ok");
        assert_eq!(visible_width("\x1b[31mfailed\x1b[0m"), 6);
    }
}
