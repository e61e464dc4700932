//! The live preview pane: file tabs, highlighted YAML and Markdown, changed lines marked.
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use ratatui::Frame;

use super::dim;
use crate::frontend::tui::{PreviewFile, Tui};

pub(super) fn draw_preview(f: &mut Frame, area: Rect, tui: &Tui) {
    let focused = tui.ui.preview_open;
    let title = if focused {
        " Preview: ←→ file, ↑↓ scroll "
    } else {
        " Preview (Tab) "
    };
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            Style::new().fg(Color::Cyan)
        } else {
            dim()
        })
        .title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let files = &tui.preview.files;
    let [tabs, note, content] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(tui.preview.note.is_some())),
        Constraint::Fill(1),
    ])
    .areas(inner);
    f.render_widget(
        Paragraph::new(tab_line(files, tui.ui.file, usize::from(tabs.width))),
        tabs,
    );
    if let Some(n) = &tui.preview.note {
        f.render_widget(
            Paragraph::new(Line::styled(n.clone(), Style::new().fg(Color::Yellow))),
            note,
        );
    }
    let Some(file) = files.get(tui.ui.file) else {
        return;
    };
    let height = usize::from(content.height);
    let scroll = tui.ui.scroll.min(file.lines.len().saturating_sub(height));
    let digits = file.lines.len().to_string().len().max(3);
    let markdown = file.path.ends_with(".md");
    // Long lines (ARNs, URLs) wrap: continuation rows show `↪` where the number would be.
    let room = usize::from(content.width).saturating_sub(digits + 3).max(8);
    let mut rows: Vec<Line> = Vec::new();
    for (i, (text, changed)) in file
        .lines
        .iter()
        .zip(&file.changed)
        .enumerate()
        .skip(scroll)
    {
        if rows.len() >= height {
            break;
        }
        let spans = if markdown {
            highlight_markdown(text)
        } else {
            highlight_yaml(text)
        };
        for (j, piece) in super::split_spans(spans, room).into_iter().enumerate() {
            let number = if j == 0 {
                format!("{:>digits$} ", i + 1)
            } else {
                format!("{:>digits$} ", "↪")
            };
            let mut row = vec![
                Span::styled(number, dim()),
                if *changed {
                    Span::styled("+ ", Style::new().fg(Color::Green).bold())
                } else {
                    Span::raw("  ")
                },
            ];
            row.extend(piece);
            let line = Line::from(row);
            rows.push(if *changed {
                line.style(Style::new().bg(Color::Rgb(20, 50, 20)))
            } else {
                line
            });
        }
    }
    rows.truncate(height);
    f.render_widget(Paragraph::new(rows), content);
}

/// The file tabs, scrolled so the selected one shows; `*` marks files the last answer changed.
fn tab_line(files: &[PreviewFile], selected: usize, width: usize) -> Line<'static> {
    let labels: Vec<String> = files
        .iter()
        .map(|f| format!(" {}{} ", f.path, if f.has_changes() { "*" } else { "" }))
        .collect();
    let mut start = 0;
    while start < selected
        && labels[start..=selected]
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum::<usize>()
            > width
    {
        start += 1;
    }
    let mut spans = Vec::new();
    if start > 0 {
        spans.push(Span::styled("‹", dim()));
    }
    for (i, l) in labels.iter().enumerate().skip(start) {
        let style = if i == selected {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            dim()
        };
        spans.push(Span::styled(l.clone(), style));
        spans.push(Span::raw("│"));
    }
    Line::from(spans)
}

fn highlight_yaml(line: &str) -> Vec<Span<'static>> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if trimmed.starts_with('#') {
        return vec![
            Span::raw(indent.to_string()),
            Span::styled(trimmed.to_string(), dim()),
        ];
    }
    let (dash, rest) = match trimmed.strip_prefix("- ") {
        Some(r) => ("- ", r),
        None => ("", trimmed),
    };
    let key_end = rest
        .find(": ")
        .or_else(|| rest.strip_suffix(':').map(str::len))
        .filter(|i| !rest[..*i].contains([' ', '"', '\'', '{', '[']));
    let mut spans = vec![Span::raw(format!("{indent}{dash}"))];
    let value = match key_end {
        Some(i) => {
            spans.push(Span::styled(
                rest[..i].to_string(),
                Style::new().fg(Color::Cyan),
            ));
            spans.push(Span::raw(":"));
            &rest[i + 1..]
        }
        None => rest,
    };
    let v = value.trim();
    let style = if matches!(v, "true" | "false" | "null" | "~") || v.parse::<f64>().is_ok() {
        Style::new().fg(Color::Magenta)
    } else if v.starts_with(['"', '\'']) {
        Style::new().fg(Color::Green)
    } else {
        Style::new()
    };
    spans.push(Span::styled(value.to_string(), style));
    spans
}

fn highlight_markdown(line: &str) -> Vec<Span<'static>> {
    if line.starts_with('#') {
        vec![Span::styled(
            line.to_string(),
            Style::new().fg(Color::Cyan).bold(),
        )]
    } else if line.starts_with("```") || line.starts_with("    ") {
        vec![Span::styled(line.to_string(), dim())]
    } else {
        vec![Span::raw(line.to_string())]
    }
}
