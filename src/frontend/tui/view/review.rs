//! The review step: what will be written, the findings, the answers and the diff.
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{dim, error, wrap};
use crate::frontend::tui::Tui;

pub(super) fn draw_review(f: &mut Frame, area: Rect, tui: &Tui) {
    let Some((_, review)) = &tui.review else {
        return;
    };
    // The text column: the inner area (one column of margin) less one, so nothing touches
    // the edge.
    let width = usize::from(area.width).saturating_sub(2);
    let out = tui.session.out.display().to_string();
    let mut lines: Vec<Line> = Vec::new();
    match &review.blocked {
        Some(why) => {
            for (i, part) in wrap(&format!("can't write: {why}"), width)
                .into_iter()
                .enumerate()
            {
                lines.push(Line::styled(
                    format!("{} {part}", if i == 0 { "✗" } else { " " }),
                    error(),
                ));
            }
        }
        None => lines.push(Line::from(vec![
            Span::raw("Enter writes ").bold(),
            Span::raw(format!("{} files to {out}", review.files.len())).bold(),
        ])),
    }
    for p in &review.problems {
        for (i, part) in wrap(p, width.saturating_sub(2)).into_iter().enumerate() {
            lines.push(Line::styled(
                format!("{} {part}", if i == 0 { " ✗" } else { "  " }),
                error(),
            ));
        }
    }
    let heading = |s: String| Line::styled(s, Style::new().fg(Color::Cyan).bold());
    if !review.files.is_empty() {
        lines.push(Line::from(""));
        for part in wrap(&format!("Files in {out}"), width) {
            lines.push(heading(part));
        }
        for (path, change) in &review.files {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<7}", change.word()), dim()),
                Span::raw(path.clone()),
            ]));
        }
    }
    lines.push(Line::from(""));
    lines.push(heading("Findings".into()));
    if review.findings.is_empty() && review.blocked.is_none() {
        lines.push(Line::styled("  none: the overlay checks pass", dim()));
    }
    for finding in &review.findings {
        // Continuation lines are indented two more: wrap to the narrower column.
        for (i, part) in wrap(finding, width.saturating_sub(4))
            .into_iter()
            .enumerate()
        {
            lines.push(Line::raw(format!(
                "{}{part}",
                if i == 0 { "  " } else { "    " }
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(heading("Answers".into()));
    for (step, rows) in &review.summary {
        lines.push(Line::raw(format!("  {}", step.title())).bold());
        for (q, v) in rows {
            // Long values (ARNs, URLs) wrap under the value, never off the edge.
            let label = format!("    {q}: ");
            let label_w = label.chars().count();
            let room = width.saturating_sub(label_w);
            if room < 16 {
                lines.push(Line::styled(label, dim()));
                for part in wrap(v, width.saturating_sub(6)) {
                    lines.push(Line::raw(format!("      {part}")));
                }
                continue;
            }
            for (i, part) in wrap(v, room).into_iter().enumerate() {
                let lead = if i == 0 {
                    Span::styled(label.clone(), dim())
                } else {
                    Span::raw(" ".repeat(label_w))
                };
                lines.push(Line::from(vec![lead, Span::raw(part)]));
            }
        }
    }
    if !review.diff.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading("Changes to the existing files".into()));
        let width = usize::from(area.width.saturating_sub(1));
        lines.extend(super::diff_lines(
            review.diff.iter().map(String::as_str),
            width,
        ));
    }
    let max = lines
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(1)));
    let scroll = tui.ui.review_scroll.min(max) as u16;
    let inner = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(1),
        height: area.height.saturating_sub(1),
    };
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
