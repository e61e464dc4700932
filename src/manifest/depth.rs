//! How deep a YAML text nests, measured by a linear scan before it is parsed (#11).
//!
//! libyaml (under serde_yaml) spends time proportional to the flow nesting (`[`, `{`) for
//! every token it reads, so 1 MiB of `[` takes hours and a cloned overlay could hang
//! `check` or `migrate`. Every parse of text the tool did not write itself goes through
//! [`ensure_shallow`] first (see `manifest::parse_yaml`).
//!
//! The scan follows YAML's lexical rules closely enough to skip brackets inside quoted
//! scalars, comments, plain scalars and block scalars. Where it may disagree with the
//! parser it errs towards refusing: a `[` or `{` inside such text still counts towards the
//! limit until that text ends, and only a `]` or `}` outside it closes a level.

/// The deepest flow nesting accepted.
///
/// The files the tool writes nest at most 8 flow levels (a test holds it to that), and
/// serde_yaml gives up at 128 levels anyway. Block
/// nesting (indentation, `- - -`) is not bounded here: the parser reads it in linear time
/// (measured: 16 000 levels in 3 ms) and serde_yaml refuses it past 128 levels.
pub const MAX_NESTING: usize = 64;

/// Text nested deeper than [`MAX_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: nested more than {MAX_NESTING} levels deep (with `[` or `{{`); no caracal-wizard file nests that deep, so it is not read: fix or remove it")]
pub struct TooDeep {
    /// The 1-based line where the limit was passed.
    pub line: usize,
}

/// Refuses `text` when its YAML nesting passes [`MAX_NESTING`], naming the line. Linear in
/// the length of `text`; never fails on shallow text, whatever else is wrong with it.
pub fn ensure_shallow(text: &str) -> Result<(), TooDeep> {
    within(text, MAX_NESTING)
}

/// [`ensure_shallow`] with another limit (tests use small ones).
fn within(text: &str, max: usize) -> Result<(), TooDeep> {
    let mut scan = Scan {
        max,
        ..Scan::default()
    };
    for (i, line) in text.split('\n').enumerate() {
        if !scan.line(line) {
            return Err(TooDeep { line: i + 1 });
        }
    }
    Ok(())
}

/// A quoted scalar that may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Single,
    Double,
}

/// The scanner's state between lines.
#[derive(Debug, Default)]
struct Scan {
    /// The limit.
    max: usize,
    /// Open `[` and `{` outside scalars and comments.
    flow: usize,
    /// `[` and `{` inside the scalar being read (they might be structure after all).
    inner: usize,
    /// Inside a quoted scalar.
    quote: Option<Quote>,
    /// Inside a plain scalar (in flow context it may go on over the next line).
    plain: bool,
    /// A block scalar (`|`, `>`) or block plain scalar: lines indented more than this are
    /// its content (`-1`: every line).
    content_above: Option<isize>,
    /// The block scalar's indentation is not set yet (its first text line sets it).
    literal_unset: bool,
}

impl Scan {
    /// Scans one line (without its `\n`); `false` once the nesting is too deep.
    fn line(&mut self, line: &str) -> bool {
        let chars: Vec<char> = line.chars().collect();
        let indent = chars.iter().take_while(|c| **c == ' ').count();
        let blank = chars.iter().all(|c| c.is_whitespace());
        if is_document_marker(&chars) {
            // The parser stops a quoted scalar here (an error) and closes every block.
            self.quote = None;
            self.plain = false;
            self.inner = 0;
            self.content_above = None;
            return true;
        }
        if self.quote.is_none() {
            if let Some(above) = self.content_above {
                if blank || column(indent) > above {
                    // Text of a block scalar or the next line of a plain one.
                    if self.literal_unset && !blank {
                        self.content_above = Some(column(indent) - 1);
                        self.literal_unset = false;
                    }
                    return self.content(&chars);
                }
                self.content_above = None;
                self.plain = false;
            }
            if self.flow == 0 && !blank {
                self.plain = false;
                self.inner = 0;
            }
        }
        self.tokens(&chars, indent)
    }

    /// A line that is only scalar content: its `[`/`{` count until the line ends.
    fn content(&mut self, chars: &[char]) -> bool {
        let opened = chars.iter().filter(|c| matches!(c, '[' | '{')).count();
        self.flow + self.inner + opened <= self.max
    }

    /// One more `[`/`{` inside a scalar; `false` once too deep.
    fn inner_open(&mut self) -> bool {
        self.inner += 1;
        self.flow + self.inner <= self.max
    }

    /// Walks the tokens of one line.
    fn tokens(&mut self, chars: &[char], indent: usize) -> bool {
        let mut i = 0;
        let mut blank_before = true;
        // Where the innermost block node of this line starts (a key or a `-` entry).
        let mut node = column(indent) - 1;
        let mut token = indent;
        while i < chars.len() {
            if let Some(q) = self.quote {
                match self.quoted(chars, i, q) {
                    Some(next) => i = next,
                    None => return false,
                }
                blank_before = false;
                continue;
            }
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            let blank_next = next.is_none_or(char::is_whitespace);
            if c == ' ' || c == '\t' || c == '\r' {
                blank_before = true;
                i += 1;
                continue;
            }
            if c == '#' && blank_before {
                // A comment: its brackets count until the line ends.
                self.plain = false;
                self.content_above = None;
                return self.content(&chars[i..]);
            }
            blank_before = false;
            match self.plain_goes_on(c, next) {
                None => return false,
                Some(true) => {
                    i += 1;
                    continue;
                }
                Some(false) => {}
            }
            match c {
                '\'' => (self.quote, token) = (Some(Quote::Single), i),
                '"' => (self.quote, token) = (Some(Quote::Double), i),
                '[' | '{' => {
                    self.flow += 1;
                    if self.flow > self.max {
                        return false;
                    }
                }
                ']' | '}' => self.flow = self.flow.saturating_sub(1),
                ':' if blank_next || self.flow > 0 => node = column(token),
                '-' | '?' if blank_next => {
                    if self.flow == 0 {
                        node = column(i);
                    }
                }
                '|' | '>' if self.flow == 0 => {
                    // A block scalar: the rest of this line is its header.
                    self.content_above = Some(node);
                    self.literal_unset = true;
                    return true;
                }
                '!' | '&' | '*' => match self.property(chars, i) {
                    Some(last) => i = last,
                    None => return false,
                },
                ',' => {}
                _ => {
                    self.plain = true;
                    self.inner = 0;
                    token = i;
                    if self.flow == 0 {
                        self.content_above = Some(node);
                        self.literal_unset = false;
                    }
                    continue;
                }
            }
            i += 1;
        }
        true
    }

    /// Whether the plain scalar being read (if any) takes `c` (followed by `next`): `None`
    /// once too deep, `Some(false)` when there is none or `c` ends it.
    fn plain_goes_on(&mut self, c: char, next: Option<char>) -> Option<bool> {
        if !self.plain {
            return Some(false);
        }
        let blank_next = next.is_none_or(char::is_whitespace);
        let ends = (c == ':' && (blank_next || (self.flow > 0 && is_flow(next))))
            || (self.flow > 0 && is_flow(Some(c)));
        if ends {
            self.plain = false;
            self.inner = 0;
            self.content_above = None;
            return Some(false);
        }
        (!matches!(c, '[' | '{') || self.inner_open()).then_some(true)
    }

    /// Skips a tag, anchor or alias starting at `chars[i]`: one token up to a blank (or a
    /// flow indicator); where it ends, `None` once too deep.
    fn property(&mut self, chars: &[char], mut i: usize) -> Option<usize> {
        while i + 1 < chars.len()
            && !chars[i + 1].is_whitespace()
            && !(self.flow > 0 && is_flow(Some(chars[i + 1])))
        {
            i += 1;
            if matches!(chars[i], '[' | '{') && !self.inner_open() {
                return None;
            }
        }
        self.inner = 0;
        Some(i)
    }

    /// Reads a quoted scalar of kind `q` from `chars[i]` (just after the opening quote, or
    /// the start of a continued line); where to go on, `None` once too deep.
    fn quoted(&mut self, chars: &[char], mut i: usize, q: Quote) -> Option<usize> {
        while i < chars.len() {
            match (q, chars[i]) {
                (Quote::Double, '\\') => i += 2,
                (Quote::Single, '\'') if chars.get(i + 1) == Some(&'\'') => i += 2,
                (Quote::Double, '"') | (Quote::Single, '\'') => {
                    self.quote = None;
                    self.inner = 0;
                    return Some(i + 1);
                }
                (_, '[' | '{') => {
                    if !self.inner_open() {
                        return None;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Some(i)
    }
}

/// A column as a signed number (`-1` stands for "before the first column").
fn column(c: usize) -> isize {
    isize::try_from(c).unwrap_or(isize::MAX)
}

/// `---` or `...` at the start of a line, alone or followed by a blank.
fn is_document_marker(chars: &[char]) -> bool {
    matches!(chars, ['-', '-', '-', ..] | ['.', '.', '.', ..])
        && chars.get(3).is_none_or(|c| c.is_whitespace())
}

/// Whether `c` is one of YAML's flow indicators.
fn is_flow(c: Option<char>) -> bool {
    matches!(c, Some(',' | '[' | ']' | '{' | '}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line_of(text: &str, max: usize) -> Option<usize> {
        within(text, max).err().map(|e| e.line)
    }

    #[test]
    fn deep_flow_is_refused_at_its_line() {
        let deep = format!("a: 1\nb: {}{}\n", "[".repeat(65), "]".repeat(65));
        assert_eq!(ensure_shallow(&deep), Err(TooDeep { line: 2 }));
        let ok = format!("b: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert_eq!(ensure_shallow(&ok), Ok(()));
        let nested = format!("a: {}\n", "{a: ".repeat(70));
        assert!(ensure_shallow(&nested).is_err());
        // Over several lines, and unclosed.
        assert_eq!(line_of("a: [\n[\n[\n[\n", 3), Some(4));
    }

    #[test]
    fn brackets_in_scalars_and_comments_do_not_add_up() {
        let many = "- '[[[['\n- \"{{\"\n- x[[[y\n# [[[[\n- [a, '[[[', \"]]]\"] # {{{\n".repeat(50);
        assert_eq!(within(&many, 4), Ok(()));
        let block = "a: |\n  [[[[\n  {{{{\n'b': >-\n    [[[[\n  still [[[[ text\nc: [[x]]\n";
        assert_eq!(within(block, 4), Ok(()));
        assert_eq!(line_of(block, 1), Some(2));
        let multi = "a: 'x\n  [[[[\n  y'\nb: \"\\\"[[[[\n\"\nc: plain\n  [[[[ more\n";
        assert_eq!(within(multi, 4), Ok(()));
    }

    #[test]
    fn closers_hidden_from_the_parser_do_not_close() {
        // What the parser reads as text (a comment, quotes, tags) never lowers the count.
        let comment = "a: [[[[ # ]]]]\n".repeat(4);
        assert_eq!(line_of(&comment, 10), Some(3));
        let quoted = "a: [[[[ ']]]]', \"]]]]\", &x [[[[\n";
        assert!(within(quoted, 6).is_err());
        let in_plain = "a: [[[[x']]]]\n";
        assert!(
            within(in_plain, 3).is_err(),
            "`x'` is a plain scalar, its `]` close"
        );
        // A `[` inside text that might not be text after all still counts while it lasts.
        assert!(within(&format!("a: '{}'\n", "[".repeat(9)), 6).is_err());
        assert!(within(&format!("a: |\n  {}\n", "[".repeat(9)), 6).is_err());
    }

    #[test]
    fn a_mebibyte_of_anything_is_scanned_at_once() {
        for unit in [
            "[",
            "{a: ",
            "[x, ",
            "'[",
            "\"[\n",
            "# [[\n",
            "a: |\n [\n",
            "- ",
            " ",
        ] {
            let text = unit.repeat((1 << 20) / unit.len());
            let start = std::time::Instant::now();
            let verdict = crate::manifest::parse_yaml(&text);
            let took = start.elapsed();
            assert!(
                took < std::time::Duration::from_secs(5),
                "{unit:?}: {took:?}"
            );
            // Comments and block scalars full of `[` are fine; nesting is not.
            let nests = !unit.starts_with('#') && !unit.starts_with("a:");
            let deep = matches!(verdict, Err(crate::manifest::YamlError::TooDeep(_)));
            assert_eq!(deep, unit.contains(['[', '{']) && nests, "{unit:?}");
        }
    }

    #[test]
    fn every_answers_fixture_and_rendered_file_is_far_below_the_limit() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let catalog = crate::catalog::Catalog::builtin().expect("catalog");
        let templates = crate::render::Templates::builtin().expect("templates");
        for e in std::fs::read_dir(dir).expect("fixtures") {
            let text = std::fs::read_to_string(e.expect("entry").path()).expect("read");
            assert_eq!(within(&text, 8), Ok(()));
            let answers = crate::answers::Answers::parse("f", &text, &[]).expect("answers");
            let (_, tree) = crate::build(&answers, &catalog, &templates).expect("build");
            for (name, body) in tree.files.iter().filter(|(n, _)| n.ends_with(".yaml")) {
                assert_eq!(within(body, 8), Ok(()), "{name}");
            }
        }
    }

    /// How deep a parsed value nests.
    fn value_depth(v: &serde_yaml::Value) -> usize {
        match v {
            serde_yaml::Value::Sequence(s) => 1 + s.iter().map(value_depth).max().unwrap_or(0),
            serde_yaml::Value::Mapping(m) => {
                1 + m
                    .iter()
                    .map(|(k, v)| value_depth(k).max(value_depth(v)))
                    .max()
                    .unwrap_or(0)
            }
            serde_yaml::Value::Tagged(t) => value_depth(&t.value),
            _ => 0,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Random YAML-ish text never panics the scan or the parse, and whatever the parser
        /// reads as nested deeper than the limit (plus one block level a line) was refused.
        #[test]
        fn the_scan_never_lets_deeper_text_through(
            text in "([\\[\\]{}'\"#:,!&*|>\\\\ a-]|\n|\n  ){0,120}"
        ) {
            let accepted = within(&text, 3).is_ok();
            let _ = crate::manifest::parse_yaml(&text);
            if accepted {
                if let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(&text) {
                    let lines = text.matches('\n').count();
                    let dashes = text.matches('-').count();
                    prop_assert!(value_depth(&v) <= 3 + 1 + lines + dashes, "{text:?} → {v:?}");
                }
            }
        }
    }
}
