//! Drawing the full-screen UI from the wizard and the screen state. Pure: no mutation, no I/O.
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::wizard::{Kind, Question, Step};

use super::{PreviewFile, Tui};

pub mod migrate;
mod preview;
mod review;

use self::preview::draw_preview;
use self::review::draw_review;

/// Below this width the preview is a panel toggled with Tab instead of a column.
pub const WIDE: u16 = 100;

const LABEL_MAX: usize = 22;

fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

fn error() -> Style {
    Style::new().fg(Color::Red)
}

/// Every screen's rows: header, body, status line, key footer.
pub(super) fn frame_rows(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Draws one frame.
pub fn draw(f: &mut Frame, tui: &Tui) {
    let area = f.area();
    let [header, body, status, footer] = frame_rows(area);
    draw_header(f, header, tui);
    if area.width >= WIDE {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(46), Constraint::Fill(1)]).areas(body);
        draw_step(f, left, tui, !tui.ui.preview_open);
        draw_preview(f, right, tui);
    } else if tui.ui.preview_open {
        draw_preview(f, body, tui);
    } else {
        draw_step(f, body, tui, true);
    }
    draw_status(f, status, tui);
    draw_footer(f, footer, tui);
    if let Some(d) = &tui.ui.resume {
        let question = crate::frontend::prompt::resume_question(d, &tui.session.out);
        // Wrapped here, not by the popup, so that its height counts every line.
        let width = usize::from(popup_width(area).saturating_sub(2));
        let mut text: Vec<Line> = wrap(&question, width).into_iter().map(Line::from).collect();
        text.extend([
            Line::from(""),
            keys_line(&[("Enter", "resume"), ("n", "start over"), ("Esc", "quit")]),
        ]);
        draw_popup(f, area, " Resume draft ", text);
    } else if tui.ui.quitting {
        draw_popup(f, area, " Quit? ", quit_lines(tui.session.drafts.is_some()));
    } else if tui.ui.help {
        draw_popup(f, area, " Keys ", help_lines(tui.session.drafts.is_some()));
    }
}

/// The question Esc asks on the first step.
pub(super) fn quit_lines(keeps_draft: bool) -> Vec<Line<'static>> {
    let kept = if keeps_draft {
        "Nothing is written; the answers so far are kept as a draft."
    } else {
        "Nothing is written."
    };
    vec![
        Line::from("Quit the wizard?"),
        Line::from(""),
        Line::from(kept),
        Line::from(""),
        keys_line(&[("y Enter", "quit"), ("n Esc", "stay")]),
    ]
}

fn draw_header(f: &mut Frame, area: Rect, tui: &Tui) {
    let w = &tui.wizard;
    let (n, m) = w.position();
    let title = tui.ui.title.as_deref().unwrap_or("caracal-wizard");
    let left = format!(" {title}  Step {n} of {m}: {}", w.step().title());
    let a = w.answers();
    let right = match (a.cloud.as_str(), a.profile.as_str()) {
        ("", _) => String::new(),
        (c, "") => format!("{c} "),
        (c, p) => format!("{c} · {p} "),
    };
    draw_title_bar(f, area, left, right);
}

/// The reversed top line: `left` in bold, `right` against the right edge. When both don't fit,
/// `left` is shortened (ending in `…`) so that a space always separates them.
fn draw_title_bar(f: &mut Frame, area: Rect, left: String, right: String) {
    let width = usize::from(area.width);
    let right_w = right.chars().count();
    let left = if left.chars().count() + 1 + right_w > width {
        truncate(&left, width.saturating_sub(right_w + 1))
    } else {
        left
    };
    let pad = width.saturating_sub(left.chars().count() + right_w);
    let line = Line::from(vec![
        Span::raw(left).add_modifier(Modifier::BOLD),
        Span::raw(" ".repeat(pad)),
        Span::raw(right),
    ]);
    f.render_widget(
        Paragraph::new(line).style(Style::new().add_modifier(Modifier::REVERSED)),
        area,
    );
}

fn draw_step(f: &mut Frame, area: Rect, tui: &Tui, focused: bool) {
    if tui.wizard.step() == Step::Review {
        draw_review(f, area, tui);
        return;
    }
    let questions = tui.wizard.questions();
    let width = usize::from(area.width);
    let label_w = questions
        .iter()
        .map(|q| q.prompt.chars().count())
        .max()
        .unwrap_or(0)
        .min(LABEL_MAX);
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    let mut cursor: Option<(u16, u16)> = None;
    for (i, q) in questions.iter().enumerate() {
        let is_focus = i == tui.ui.focus;
        if is_focus {
            focus_line = lines.len();
        }
        let (line, cursor_x) = field_line(tui, q, is_focus && focused, label_w, width);
        if let Some(x) = cursor_x {
            cursor = Some((x, lines.len() as u16));
        }
        lines.push(line);
        for msg in tui.wizard.problems_for(q.id) {
            for (j, part) in wrap(msg, width.saturating_sub(6)).into_iter().enumerate() {
                let lead = if j == 0 { "    ✗ " } else { "      " };
                lines.push(Line::styled(format!("{lead}{part}"), error()));
            }
        }
        let marked = [
            (
                tui.wizard.warnings_for(q.id),
                "    ! ",
                Style::new().fg(Color::Yellow),
            ),
            (
                tui.wizard.notes_for(q.id),
                "    → ",
                Style::new().fg(Color::Cyan),
            ),
        ];
        for (messages, mark, style) in marked {
            for msg in messages {
                for (j, part) in wrap(msg, width.saturating_sub(6)).into_iter().enumerate() {
                    let lead = if j == 0 { mark } else { "      " };
                    lines.push(Line::styled(format!("{lead}{part}"), style));
                }
            }
        }
    }
    let detail = tui
        .focused()
        .map(|q| detail_lines(q, width.saturating_sub(2)));
    // The focused question's details get their lines first (up to half the pane); the
    // field list takes the rest and scrolls to keep the focus visible.
    let wanted = detail.as_ref().map_or(0, |d| d.len() as u16 + 2);
    let room_after_fields = area.height.saturating_sub(lines.len() as u16 + 1);
    let detail_h = wanted.min(room_after_fields.max(area.height / 2));
    let fields_h = (lines.len() as u16 + 1).min(area.height.saturating_sub(detail_h));
    let [fields_area, detail_area, _] = Layout::vertical([
        Constraint::Length(fields_h),
        Constraint::Length(detail_h),
        Constraint::Fill(1),
    ])
    .areas(area);
    let rows = usize::from(fields_area.height.saturating_sub(1)).max(1);
    // When the fields don't fit, the last row says how many more lines are below.
    let overflow = lines.len() > rows;
    let visible = if overflow { (rows - 1).max(1) } else { rows };
    let offset = focus_line
        .saturating_sub(visible.saturating_sub(2))
        .min(lines.len().saturating_sub(visible));
    let inner = Rect {
        y: fields_area.y + 1,
        height: visible as u16,
        ..fields_area
    };
    let (total, shown) = (lines.len(), visible);
    f.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), inner);
    draw_more_hints(f, fields_area, offset, total.saturating_sub(offset + shown));
    if let (Some((x, y)), true) = (cursor, focused && tui.ui.resume.is_none() && !tui.ui.help) {
        let y = y.saturating_sub(offset as u16);
        if y < inner.height && x < inner.width {
            f.set_cursor_position(Position::new(inner.x + x, inner.y + y));
        }
    }
    if let (Some(detail), Some(q)) = (detail, tui.focused()) {
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(dim())
            .title(Span::raw(format!(" {} ", q.prompt)).bold());
        f.render_widget(
            Paragraph::new(detail)
                .block(block)
                .wrap(Wrap { trim: false }),
            detail_area,
        );
    }
}

/// Says that field lines are hidden above (in the blank top row) or below (in the last row).
fn draw_more_hints(f: &mut Frame, area: Rect, above: usize, below: usize) {
    if area.height < 2 {
        return;
    }
    let row = |y: u16| Rect {
        y,
        height: 1,
        ..area
    };
    if above > 0 {
        let text = format!("   ↑ {above} more above (↑ goes up)");
        f.render_widget(Paragraph::new(Line::styled(text, dim())), row(area.y));
    }
    if below > 0 {
        let text = format!("   ↓ {below} more below (↓ goes down)");
        let y = area.y + area.height - 1;
        f.render_widget(Paragraph::new(Line::styled(text, dim())), row(y));
    }
}

/// One question as a line: marker, label, value. Returns the cursor column for text fields.
fn field_line<'a>(
    tui: &Tui,
    q: &Question,
    focus: bool,
    label_w: usize,
    width: usize,
) -> (Line<'a>, Option<u16>) {
    let marker = if focus { " › " } else { "   " };
    let label: String = q.prompt.chars().take(label_w).collect();
    let label = format!("{label:<label_w$}  ");
    let mut spans = vec![
        Span::styled(marker, Style::new().fg(Color::Cyan).bold()),
        if focus {
            Span::raw(label.clone()).bold()
        } else {
            Span::raw(label.clone())
        },
    ];
    let room = width.saturating_sub(3 + label.chars().count() + 1);
    let rejected = tui.wizard.rejected(q.id);
    let mut cursor = None;
    match (&q.kind, &tui.ui.edit) {
        (Kind::Choice(choices), _) => {
            let label = choices
                .iter()
                .find(|c| Some(&c.value) == q.value.as_ref())
                .map(|c| c.label.clone())
                .or_else(|| q.value.clone());
            match (label, focus) {
                (Some(l), true) => spans.push(Span::raw(format!("‹ {l} ›")).fg(Color::Cyan).bold()),
                (Some(l), false) => spans.push(Span::raw(l)),
                (None, true) => spans.push(Span::raw("‹ choose with ←/→ ›").fg(Color::Cyan)),
                (None, false) => spans.push(Span::styled("—", dim())),
            }
        }
        (_, Some(edit)) if focus && edit.id == q.id => {
            let (shown, start) = window(&edit.text, edit.cursor, room);
            let style = if rejected.is_some() {
                error()
            } else {
                Style::new().fg(Color::Cyan)
            };
            match &q.value {
                // Nothing typed over a default: show the default, dimmed, as a placeholder.
                Some(v) if edit.text.is_empty() && q.is_default && rejected.is_none() => {
                    spans.push(Span::styled(truncate(v, room), dim()));
                }
                _ => spans.push(Span::styled(shown, style.underlined())),
            }
            cursor = Some((3 + label.chars().count() + edit.cursor - start) as u16);
        }
        _ => match (rejected, &q.value) {
            (Some(r), _) => spans.push(Span::styled(truncate(&r.text, room), error())),
            (None, Some(v)) if !v.is_empty() => spans.push(Span::raw(truncate(v, room))),
            _ => spans.push(Span::styled("—", dim())),
        },
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    if q.is_default && q.value.is_some() && rejected.is_none() && used + 11 <= width {
        spans.push(Span::styled("  (default)", dim()));
    }
    (Line::from(spans), cursor)
}

/// The part of `text` around `cursor` that fits `room` columns, and where it starts.
fn window(text: &str, cursor: usize, room: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let room = room.max(2);
    let start = cursor.saturating_sub(room - 1);
    (chars.iter().skip(start).take(room).collect(), start)
}

fn truncate(s: &str, room: usize) -> String {
    if s.chars().count() <= room {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(room.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Unified-diff lines, coloured by kind, each longer than `width` wrapped rather than cut:
/// its continuations keep the line's sign and start with `↪`.
fn diff_lines<'a>(diff: impl IntoIterator<Item = &'a str>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for l in diff {
        let style = if l.starts_with("+++") || l.starts_with("---") {
            Style::new().bold()
        } else if l.starts_with('+') {
            Style::new().fg(Color::Green)
        } else if l.starts_with('-') {
            Style::new().fg(Color::Red)
        } else if l.starts_with("@@") {
            Style::new().fg(Color::Cyan)
        } else {
            dim()
        };
        let chars: Vec<char> = l.chars().collect();
        if width < 8 || chars.len() <= width {
            out.push(Line::styled(l.to_string(), style));
            continue;
        }
        out.push(Line::styled(
            chars[..width].iter().collect::<String>(),
            style,
        ));
        let sign = match chars[0] {
            c @ ('+' | '-') => c,
            _ => ' ',
        };
        for chunk in chars[width..].chunks(width - 2) {
            out.push(Line::styled(
                format!("{sign}↪{}", chunk.iter().collect::<String>()),
                style,
            ));
        }
    }
    out
}

/// Cuts a line of styled spans into rows of at most `width` characters, keeping each
/// character's style.
fn split_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Vec<Span<'static>>> {
    let width = width.max(1);
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0;
    for span in spans {
        let chars: Vec<char> = span.content.chars().collect();
        let mut at = 0;
        while at < chars.len() {
            if used == width {
                rows.push(Vec::new());
                used = 0;
            }
            let take = (width - used).min(chars.len() - at);
            let piece: String = chars[at..at + take].iter().collect();
            if let Some(row) = rows.last_mut() {
                row.push(Span::styled(piece, span.style));
            }
            used += take;
            at += take;
        }
    }
    rows
}

/// Word-wraps `s` to `width` columns; a word longer than a line (an ARN, a URL) is cut into
/// pieces that fit rather than clipped.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        let mut pieces = chars.chunks(width).map(|c| c.iter().collect::<String>());
        let Some(first) = pieces.next() else { continue };
        if !cur.is_empty() && cur.chars().count() + 1 + first.chars().count() > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&first);
        for piece in pieces {
            out.push(std::mem::replace(&mut cur, piece));
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// The focused question in full: explanation, choices with theirs, format and key.
fn detail_lines(q: &Question, width: usize) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = wrap(&q.explain, width)
        .into_iter()
        .map(Line::from)
        .collect();
    match &q.kind {
        Kind::Choice(choices) => {
            for c in choices {
                // An unset answer is the choice whose value is empty ("none"), if there is one.
                let chosen = c.value == q.value.as_deref().unwrap_or("");
                let (mark, mark_style, text, style) = match &c.disabled {
                    Some(why) => (
                        " ✗ ",
                        error(),
                        format!("{}: unavailable, {why}", c.label),
                        dim(),
                    ),
                    None => (
                        if chosen { " ● " } else { " ○ " },
                        Style::new().fg(Color::Cyan),
                        format!("{}: {}", c.label, c.explain),
                        Style::new(),
                    ),
                };
                for (i, part) in wrap(&text, width.saturating_sub(3)).into_iter().enumerate() {
                    let lead = if i == 0 {
                        Span::styled(mark, mark_style)
                    } else {
                        Span::raw("   ")
                    };
                    let body = if i == 0 && chosen {
                        Span::styled(part, style.add_modifier(Modifier::BOLD))
                    } else if i == 0 {
                        Span::styled(part, style)
                    } else {
                        Span::styled(part, dim())
                    };
                    lines.push(Line::from(vec![lead, body]));
                }
            }
        }
        Kind::Text { hint } | Kind::List { hint } | Kind::Labels { hint } => {
            lines.push(Line::from(vec![
                Span::styled("Format: ", dim()),
                Span::raw(hint.clone()),
            ]));
            if q.is_default && q.value.is_some() {
                lines.push(Line::styled("Empty keeps the default.", dim()));
            }
        }
    }
    lines.push(Line::from(vec![
        Span::styled("Answers key: ", dim()),
        Span::raw(q.path.clone()),
    ]));
    lines
}

fn draw_status(f: &mut Frame, area: Rect, tui: &Tui) {
    let files = &tui.preview.files;
    let text = match &tui.ui.status {
        Some(s) => Line::styled(format!(" {s}"), Style::new().fg(Color::Yellow)),
        // Narrow: the preview is hidden, so say what it holds and what the last answer did.
        None if area.width < WIDE && !tui.ui.preview_open && !files.is_empty() => {
            let changed: Vec<&PreviewFile> = files.iter().filter(|f| f.has_changes()).collect();
            let what = match changed.as_slice() {
                [] => String::new(),
                [f] => format!("; the last answer changed {}", f.path),
                [f, more @ ..] => format!(
                    "; the last answer changed {} and {} more",
                    f.path,
                    more.len()
                ),
            };
            Line::styled(
                format!(" Tab: preview of the {} files{what}", files.len()),
                dim(),
            )
        }
        None => Line::from(""),
    };
    f.render_widget(Paragraph::new(text), area);
}

fn keys_line(keys: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (k, what) in keys {
        spans.push(Span::raw(format!(" {k}")).bold());
        spans.push(Span::styled(format!(" {what} "), dim()));
    }
    Line::from(spans)
}

fn draw_footer(f: &mut Frame, area: Rect, tui: &Tui) {
    let ctx = tui.key_context();
    let esc = if ctx.first { "quit" } else { "back" };
    let keys: &[(&str, &str)] = if ctx.preview {
        &[
            ("←→", "file"),
            ("↑↓ PgUp PgDn", "scroll"),
            ("Tab Esc", "questions"),
            ("Enter", "next"),
        ]
    } else if ctx.review {
        &[
            ("Enter", "write"),
            ("PgUp", "back"),
            ("↑↓", "scroll"),
            ("Tab", "preview"),
            ("?", "help"),
            ("Esc", esc),
        ]
    } else if ctx.text {
        &[
            ("Enter", "next"),
            ("PgUp", "back"),
            ("↑↓", "field"),
            ("Tab", "preview"),
            ("F1", "help"),
            ("Esc", esc),
        ]
    } else {
        &[
            ("Enter", "next"),
            ("PgUp", "back"),
            ("↑↓", "field"),
            ("←→", "choose"),
            ("Tab", "preview"),
            ("?", "help"),
            ("Esc", esc),
        ]
    };
    f.render_widget(Paragraph::new(keys_line(keys)), area);
}

fn help_lines(keeps_draft: bool) -> Vec<Line<'static>> {
    let ctrl_c = if keeps_draft {
        "quit at once: nothing is written, the draft is kept"
    } else {
        "quit at once: nothing is written"
    };
    let rows: [(&str, &str); 16] = [
        ("Enter", "accept this step and go on (on review: write)"),
        ("PgUp", "previous step (always, even with problems)"),
        ("Esc", "close help or preview, else previous step;"),
        ("", "on the first step: quit (asks first)"),
        ("↑ ↓", "previous / next question"),
        ("← →  Space", "change a choice; move the cursor in text"),
        ("typing", "edit text: replaces a default; empty keeps it"),
        ("Ctrl-U", "clear the text field"),
        ("Tab", "preview: browse files (←→) and scroll (↑↓)"),
        ("? or F1", "this help"),
        ("Ctrl-C", ctrl_c),
        ("", ""),
        ("+", "in the preview: a line the last answer changed"),
        ("✗", "a problem to fix before going on"),
        ("!", "a warning: allowed, but read it"),
        ("→", "why a migration asks this question"),
    ];
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::raw(format!(" {k:<12}")).bold(),
                Span::raw(what.to_string()),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(" Any key closes this help.", dim()));
    lines
}

/// The width of a popup on `area`.
fn popup_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(66)
}

pub(super) fn draw_popup(f: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>) {
    let w = popup_width(area);
    let h = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(Color::Cyan))
        .title(Span::raw(title.to_string()).bold());
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

#[cfg(test)]
mod diff_tests {
    use super::diff_lines;

    fn texts(diff: &[&str], width: usize) -> Vec<String> {
        diff_lines(diff.iter().copied(), width)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn long_diff_lines_wrap_keeping_their_sign_and_lose_nothing() {
        let long = format!("-{}", "abcdefghij".repeat(3));
        let out = texts(&["@@ -1 +1 @@", &long, " short"], 12);
        assert_eq!(
            out,
            [
                "@@ -1 +1 @@",
                "-abcdefghija",
                "-↪bcdefghija",
                "-↪bcdefghij",
                " short",
            ]
        );
        let rejoined: String = out[1..4]
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { l.as_str() } else { &l[4..] })
            .collect();
        assert_eq!(rejoined, long);
    }
}
