//! Drawing the migration's own screens (target profile, summary and diffs, conflicts); its
//! questions are the wizard's screens. Pure: no mutation, no I/O.
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{diff_lines, dim, error, keys_line, wrap};
use crate::frontend::tui::migrate::MigrateTui;
use crate::migrate::{ConflictKind, MigrationPlan, Side, Stage};

/// Draws one frame of the migration.
pub fn draw(f: &mut Frame, mt: &MigrateTui) {
    if let Some(tui) = &mt.questions {
        super::draw(f, tui);
        return;
    }
    let area = f.area();
    let [header, body, status, footer] = super::frame_rows(area);
    draw_header(f, header, mt);
    let inner = Rect {
        x: body.x + 1,
        y: body.y + 1,
        width: body.width.saturating_sub(2),
        height: body.height.saturating_sub(1),
    };
    let width = usize::from(inner.width);
    let stage = mt.flow.stage();
    let mut position = None;
    let (lines, scroll) = match (stage, mt.flow.plan()) {
        (Stage::Profile, _) | (_, None) => (profile_lines(mt, width), 0),
        (Stage::Conflicts, Some(plan)) => {
            let (lines, focus) = conflict_lines(mt, plan, width);
            // Keep the focused conflict's four lines in view.
            let h = usize::from(inner.height);
            (lines, (focus + 4).saturating_sub(h))
        }
        (_, Some(plan)) => {
            let lines = summary_lines(mt, plan, width);
            let h = usize::from(inner.height);
            let max = lines.len().saturating_sub(h);
            let scroll = mt.ui.scroll.min(max);
            if lines.len() > h {
                position = Some(format!(
                    " lines {}–{} of {}",
                    scroll + 1,
                    (scroll + h).min(lines.len()),
                    lines.len()
                ));
            }
            (lines, scroll)
        }
    };
    f.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        inner,
    );
    if let Some(s) = mt.flow.status() {
        f.render_widget(
            Paragraph::new(Line::styled(
                format!(" {s}"),
                Style::new().fg(Color::Yellow),
            )),
            status,
        );
    } else if let Some(p) = position {
        f.render_widget(Paragraph::new(Line::styled(p, dim())), status);
    }
    let keys: &[(&str, &str)] = match stage {
        Stage::Profile => &[("↑↓", "choose"), ("Enter", "next"), ("Esc", "quit")],
        Stage::Conflicts => &[
            ("↑↓", "conflict"),
            ("←", "yours"),
            ("→", "new"),
            ("Enter", "write"),
            ("PgUp Esc", "back"),
        ],
        _ => {
            let next = if mt.flow.plan().is_some_and(|p| !p.conflicts.is_empty()) {
                "conflicts"
            } else {
                "write"
            };
            &[("Enter", next), ("PgUp Esc", "back"), ("↑↓ PgDn", "scroll")]
        }
    };
    f.render_widget(Paragraph::new(keys_line(keys)), footer);
    if mt.ui.quitting {
        super::draw_popup(f, area, " Quit? ", super::quit_lines(false));
    }
}

fn draw_header(f: &mut Frame, area: Rect, mt: &MigrateTui) {
    let left = format!(" caracal-wizard migrate  {}", mt.flow.stage().title());
    let right = format!(
        "{} · {} → {} ",
        mt.flow.cloud(),
        mt.flow.current_profile(),
        mt.flow.target()
    );
    super::draw_title_bar(f, area, left, right);
}

fn heading(s: impl Into<String>) -> Line<'static> {
    Line::styled(s.into(), Style::new().fg(Color::Cyan).bold())
}

/// Wrapped text with a first-line lead and a hanging indent.
fn hanging(lines: &mut Vec<Line<'static>>, lead: &str, text: &str, width: usize, style: Style) {
    let indent = " ".repeat(lead.chars().count());
    for (i, part) in wrap(text, width.saturating_sub(indent.len()))
        .into_iter()
        .enumerate()
    {
        let l = if i == 0 { lead } else { &indent };
        lines.push(Line::styled(format!("{l}{part}"), style));
    }
}

fn profile_lines(mt: &MigrateTui, width: usize) -> Vec<Line<'static>> {
    let current = mt.flow.current_profile();
    let mut lines = vec![
        Line::from(vec![
            Span::raw(format!("Move {} from profile ", mt.dir.display())),
            Span::raw(current.to_string()).bold(),
            Span::raw(" to:"),
        ]),
        Line::from(""),
    ];
    for c in mt.flow.choices() {
        let chosen = c.value == mt.flow.target();
        let (mark, mark_style) = match (&c.disabled, chosen) {
            (Some(_), _) => ("✗", error()),
            (None, true) => ("●", Style::new().fg(Color::Cyan)),
            (None, false) => ("○", Style::new().fg(Color::Cyan)),
        };
        let label = if c.value == current {
            format!("{} (current)", c.label)
        } else {
            c.label.clone()
        };
        let label = if chosen {
            Span::raw(label).bold().fg(Color::Cyan)
        } else {
            Span::raw(label).bold()
        };
        lines.push(Line::from(vec![
            Span::styled(
                if chosen { " › " } else { "   " },
                Style::new().fg(Color::Cyan).bold(),
            ),
            Span::styled(format!("{mark} "), mark_style),
            label,
        ]));
        let (text, style) = match &c.disabled {
            Some(why) => (format!("unavailable: {why}"), dim()),
            None => (c.explain.clone(), Style::new()),
        };
        hanging(&mut lines, "     ", &text, width, style);
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Nothing is written until you confirm the summary and the diff.",
        dim(),
    ));
    lines
}

fn summary_lines(mt: &MigrateTui, plan: &MigrationPlan, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::raw(format!("Moving {} from ", mt.dir.display())),
        Span::raw(plan.from_profile.clone()).bold(),
        Span::raw(" to "),
        Span::raw(plan.to_profile.clone()).bold(),
    ])];
    let open = plan.unresolved().count();
    if !plan.conflicts.is_empty() {
        let text = if open > 0 {
            format!(
                "{open} conflict(s) between your hand edits and the migration: Enter lists them to choose"
            )
        } else {
            format!("{} conflict(s), all settled", plan.conflicts.len())
        };
        hanging(
            &mut lines,
            "! ",
            &text,
            width,
            Style::new().fg(Color::Yellow),
        );
    }
    lines.push(Line::from(""));
    lines.push(heading("What changes in the deployment"));
    if plan.changes.is_empty() {
        lines.push(Line::styled("  (nothing)", dim()));
    }
    for c in &plan.changes {
        hanging(&mut lines, "  - ", &c.to_string(), width, Style::new());
    }
    if !plan.merged.is_empty() {
        lines.push(Line::from(""));
        hanging(
            &mut lines,
            "",
            &format!("Hand edits merged into: {}", plan.merged.join(", ")),
            width,
            Style::new(),
        );
    }
    for n in &plan.notes {
        hanging(&mut lines, "note: ", n, width, Style::new());
    }
    for w in &plan.warnings {
        hanging(
            &mut lines,
            "warning: ",
            &w.to_string(),
            width,
            Style::new().fg(Color::Yellow),
        );
    }
    let diffs = plan.diffs();
    if !diffs.is_empty() {
        lines.push(Line::from(""));
        let n = diffs.len();
        lines.push(heading(if n == 1 {
            "1 file changes".to_string()
        } else {
            format!("{n} files change")
        }));
    }
    for d in diffs {
        lines.extend(diff_lines(d.diff.lines(), width));
    }
    lines
}

/// The conflict lines and the line where the focused conflict starts.
fn conflict_lines(
    mt: &MigrateTui,
    plan: &MigrationPlan,
    width: usize,
) -> (Vec<Line<'static>>, usize) {
    let mut lines = Vec::new();
    hanging(
        &mut lines,
        "",
        "Your hand edits and the migration disagree on these keys. Choose per key: ← keeps yours, → takes the new value.",
        width,
        Style::new(),
    );
    let mut focus = 0;
    for (i, c) in plan.conflicts.iter().enumerate() {
        lines.push(Line::from(""));
        let is_focus = i == mt.ui.conflict;
        if is_focus {
            focus = lines.len();
        }
        let choice = match (c.resolution, is_focus) {
            (Some(Side::Ours), true) => Span::raw("‹ keep yours ›").fg(Color::Cyan).bold(),
            (Some(Side::Theirs), true) => Span::raw("‹ take new ›").fg(Color::Cyan).bold(),
            (Some(Side::Ours), false) => Span::raw("keep yours"),
            (Some(Side::Theirs), false) => Span::raw("take new"),
            (None, true) => Span::raw("‹ choose ←/→ ›").fg(Color::Yellow).bold(),
            (None, false) => Span::styled("not chosen", Style::new().fg(Color::Yellow)),
        };
        let key = format!("{} {}", c.file, c.path.as_deref().unwrap_or("(whole file)"));
        lines.push(Line::from(vec![
            Span::styled(
                if is_focus { " › " } else { "   " },
                Style::new().fg(Color::Cyan).bold(),
            ),
            if is_focus {
                Span::raw(key).bold()
            } else {
                Span::raw(key)
            },
            Span::raw("  "),
            choice,
        ]));
        let why = match c.kind {
            ConflictKind::BothChanged => "you and the migration both changed it",
            ConflictKind::Pinned => "the target profile decides this key",
            ConflictKind::UnknownBase => "edited, and the wizard's original can't be rebuilt",
        };
        lines.push(Line::styled(format!("     {why}"), dim()));
        let value = |v: &str| {
            let room = width.saturating_sub(12).max(8);
            if v.chars().count() > room {
                let mut t: String = v.chars().take(room - 1).collect();
                t.push('…');
                t
            } else {
                v.to_string()
            }
        };
        let mark = |side: Side| {
            if c.resolution == Some(side) {
                Style::new().bold()
            } else {
                Style::new()
            }
        };
        lines.push(Line::from(vec![
            Span::styled("     yours: ", dim()),
            Span::styled(value(&c.ours), mark(Side::Ours)),
        ]));
        lines.push(Line::from(vec![
            Span::styled("     new:   ", dim()),
            Span::styled(value(&c.theirs), mark(Side::Theirs)),
        ]));
    }
    (lines, focus)
}
