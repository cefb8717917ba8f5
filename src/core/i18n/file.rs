//! Reads a language file as a translator writes it: one JSON object whose
//! values are strings. Used by the build (English is compiled in) and by the
//! tests of every language file; in the browser the files arrive already
//! parsed, as a JavaScript object.

use std::fmt;

/// Why a language file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The line (from 1) where reading stopped.
    pub line: usize,
    /// What was wrong there.
    pub what: &'static str,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn error(&self, what: &'static str) -> FileError {
        let line = self.text[..self.at].matches('\n').count() + 1;
        FileError { line, what }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, want: char, what: &'static str) -> Result<(), FileError> {
        self.skip_space();
        if self.peek() == Some(want) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn hex4(&mut self) -> Result<u32, FileError> {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        let value = u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| digits.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("\\u needs four hex digits"))?;
        self.at += 4;
        Ok(value)
    }

    fn string(&mut self, what: &'static str) -> Result<String, FileError> {
        self.expect('"', what)?;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error("a string is not closed")),
                Some('"') => return Ok(out),
                Some('\\') => {
                    let c = match self.bump() {
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('/') => '/',
                        Some('b') => '\u{8}',
                        Some('f') => '\u{c}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('t') => '\t',
                        Some('u') => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if !self.text[self.at..].starts_with("\\u") {
                                    return Err(self.error("a lone surrogate in \\u"));
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("a lone surrogate in \\u"));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            char::from_u32(code)
                                .ok_or_else(|| self.error("a lone surrogate in \\u"))?
                        }
                        _ => return Err(self.error("an unknown escape")),
                    };
                    out.push(c);
                }
                Some(c) if (c as u32) < 0x20 => {
                    return Err(self.error("a control character inside a string"))
                }
                Some(c) => out.push(c),
            }
        }
    }
}

/// The `(key, value)` pairs of a language file, in file order; a duplicate
/// key or a value that is not a string is an error.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, FileError> {
    let mut r = Reader {
        text: text.strip_prefix('\u{feff}').unwrap_or(text),
        at: 0,
    };
    let mut entries: Vec<(String, String)> = Vec::new();
    r.expect(
        '{',
        "the file must be one JSON object: { \"key\": \"text\", … }",
    )?;
    r.skip_space();
    if r.peek() == Some('}') {
        r.at += 1;
    } else {
        loop {
            let key = r.string("a key in double quotes was expected")?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(r.error("this key appears twice"));
            }
            r.expect(':', "a colon after the key was expected")?;
            r.skip_space();
            if r.peek() != Some('"') {
                return Err(r.error("every value must be a string in double quotes"));
            }
            let value = r.string("a string was expected")?;
            entries.push((key, value));
            r.skip_space();
            match r.bump() {
                Some(',') => continue,
                Some('}') => break,
                _ => return Err(r.error("a comma or the closing } was expected")),
            }
        }
    }
    r.skip_space();
    if r.at != r.text.len() {
        return Err(r.error("text after the closing }"));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_keys_and_strings_in_order_with_escapes() {
        let text =
            "\u{feff}{\n  \"b\": \"Tr\\u00e6 \\\"x\\\" \\ud83d\\ude00\",\n  \"a\": \"é\\n\"\n}\n";
        assert_eq!(
            parse(text),
            Ok(pairs(&[("b", "Træ \"x\" 😀"), ("a", "é\n")]))
        );
        assert_eq!(parse(" { } "), Ok(vec![]));
    }

    #[test]
    fn says_where_a_file_is_wrong() {
        let err = |text: &str| parse(text).unwrap_err();
        assert_eq!(err("{\n\"a\": \"x\",\n\"a\": \"y\"}").line, 3);
        assert_eq!(
            err("{\"a\": 1}").what,
            "every value must be a string in double quotes"
        );
        assert_eq!(
            err("{\"a\": \"x\",}").what,
            "a key in double quotes was expected"
        );
        assert_eq!(
            err("{\"a\": \"x\"").what,
            "a comma or the closing } was expected"
        );
        assert_eq!(err("{\"a\": \"x\"} x").what, "text after the closing }");
        assert_eq!(err("[\"a\"]").line, 1);
        assert_eq!(err("{\"a\": \"\\ud800\"}").what, "a lone surrogate in \\u");
        assert_eq!(err("{\"a\": \"\\q\"}").what, "an unknown escape");
        assert_eq!(
            err("{\"a\": \"x\ny\"}").what,
            "a control character inside a string"
        );
    }
}
