//! Fuzzes the answers parser and everything behind it: any bytes must come back as an
//! error or an overlay, never a panic (#5).
//!
//! Input: answers text; after each NUL byte, one `--set key.path=value` override.
#![no_main]

use std::sync::OnceLock;

use caracal_wizard::answers::Answers;
use caracal_wizard::catalog::Catalog;
use caracal_wizard::render::Templates;
use libfuzzer_sys::fuzz_target;

fn builtins() -> &'static (Catalog, Templates) {
    static BUILTINS: OnceLock<(Catalog, Templates)> = OnceLock::new();
    BUILTINS.get_or_init(|| {
        (
            Catalog::builtin().expect("built-in catalog"),
            Templates::builtin().expect("built-in templates"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let answers_text = parts.next().unwrap_or_default();
    let sets: Vec<String> = parts.map(str::to_string).collect();
    let (catalog, templates) = builtins();
    if let Ok(answers) = Answers::parse("fuzz", answers_text, &sets) {
        let _ = caracal_wizard::validate::check(&answers, catalog);
        let _ = caracal_wizard::build(&answers, catalog, templates);
    }
});
