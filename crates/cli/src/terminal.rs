//! What autogen prints reaches a terminal or a CI log, where user text (a table name, a
//! message) must not act: no raw escape or bell character, no carriage return overwriting a line,
//! no bidi override reordering it, and no line a CI runner reads as a command (`::error …`,
//! `::add-mask::`, `##[…]`). Every line autogen writes, on stdout and stderr, in every format, goes
//! through [`Guarded`]; only `--format github` writes workflow commands, and only its own.

use std::io::{self, Write};

/// A writer that escapes what could act in a terminal or CI log, line by line.
pub(crate) struct Guarded<'a> {
    inner: &'a mut dyn Write,
    /// Whether lines may be workflow commands (`--format github`'s annotations, whose data the
    /// report escapes itself).
    workflow_commands: bool,
    line: Vec<u8>,
}

impl<'a> Guarded<'a> {
    pub(crate) fn new(inner: &'a mut dyn Write, workflow_commands: bool) -> Guarded<'a> {
        Guarded {
            inner,
            workflow_commands,
            line: Vec::new(),
        }
    }

    fn emit_line(&mut self) -> io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let guarded = guard_line(&text, self.workflow_commands);
        self.line.clear();
        self.inner.write_all(guarded.as_bytes())
    }
}

impl Write for Guarded<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            self.line.push(b);
            if b == b'\n' {
                self.emit_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.emit_line()?;
        }
        self.inner.flush()
    }
}

impl Drop for Guarded<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Whether `c` acts on a terminal or reorders text rather than showing itself.
fn acts(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One line (its `\n` kept) as it may be shown: what acts escaped as `\u{…}`, and a line that a
/// CI runner would read as a command prefixed with `\`.
pub(crate) fn guard_line(line: &str, workflow_commands: bool) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    let start = out.trim_start();
    if !workflow_commands && (start.starts_with("::") || start.starts_with("##[")) {
        out.insert(0, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_printed_can_act() {
        let mut buf = Vec::new();
        {
            let mut g = Guarded::new(&mut buf, false);
            write!(
                g,
                "error: table `x\n::error file=a::pwned\n  ::add-mask::s\n"
            )
            .unwrap();
            write!(g, "##[error]x \u{1b}[31mred\u{7}\r\u{202e}txt").unwrap();
        }
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(
            text,
            "error: table `x\n\\::error file=a::pwned\n\\  ::add-mask::s\n\
             \\##[error]x \\u{1b}[31mred\\u{7}\\u{d}\\u{202e}txt"
        );
        assert!(!text.lines().any(|l| l.trim_start().starts_with("::")));
        assert_eq!(
            guard_line("::warning file=f::ok\n", true),
            "::warning file=f::ok\n"
        );
    }
}
