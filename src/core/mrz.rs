//! Machine-readable zones (ICAO 9303) read from the text lines an OCR produced:
//! the format recognised by its shape (TD1: 3 lines of 30 characters, identity
//! cards; TD2: 2 lines of 36; TD3: 2 lines of 44, passports), every check digit
//! verified (document number, date of birth, date of expiry, TD3's personal
//! number, the composite), and the fields parsed: document type, issuing state,
//! document number (TD1 and TD2 long numbers included), nationality, dates with
//! their century chosen against a given day, sex, names, optional data.
//!
//! Not here: the OCR itself (images to text), correcting OCR confusions such as
//! `O` for `0` or `«` for `<`, visas (MRV-A, MRV-B), unknown birth days or months
//! written as `<<`, and transliteration of names (`AE` stays `AE`). Lines only
//! lose surrounding whitespace and have lower case upper-cased; anything else
//! outside `A–Z`, `0–9`, `<` is an error.

/// Why lines are not a valid machine-readable zone. Lines and columns count from
/// 1, as ICAO 9303 numbers positions, in the line without its surrounding space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MrzError {
    /// Not 3 lines of 30, 2 of 36 or 2 of 44 characters: the length of each
    /// non-blank line.
    Shape {
        /// Each non-blank line's length in characters.
        lengths: Vec<usize>,
    },
    /// A character outside `A–Z`, `0–9`, `<` (after upper-casing).
    BadCharacter {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// The character as read.
        found: char,
    },
    /// A check digit that does not match its field: which field, and where the
    /// check digit stands (for a long document number, the one after its overflow).
    CheckDigit {
        /// The field whose check digit fails.
        field: Field,
        /// The check digit's line, from 1.
        line: usize,
        /// The check digit's column, from 1.
        column: usize,
    },
    /// A date that is not `YYMMDD` with a real month and day.
    BadDate {
        /// [`Field::BirthDate`] or [`Field::ExpiryDate`].
        field: Field,
    },
    /// A sex other than `M`, `F`, `X` or `<`.
    BadSex {
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
        /// The character found.
        found: char,
    },
}

/// A field protected by a check digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The document number (with a long number's overflow).
    DocumentNumber,
    /// The date of birth.
    BirthDate,
    /// The date of expiry.
    ExpiryDate,
    /// TD3's personal number.
    OptionalData,
    /// The composite check digit over the lower line(s).
    Composite,
}

/// The shape of a machine-readable zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// 3 lines of 30 characters (ID-1 size cards).
    Td1,
    /// 2 lines of 36 characters.
    Td2,
    /// 2 lines of 44 characters (passports).
    Td3,
}

/// What the document type code says the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// `P…`.
    Passport,
    /// `I…`, `A…`, `C…`: identity cards and other official travel documents.
    IdentityCard,
    /// Any other code.
    Other,
}

/// The holder's sex as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `<` or `X`.
    Unspecified,
}

/// A day that is not a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidDate;

/// A calendar date (proleptic Gregorian): month 1–12, day valid for the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if `month` is 1–12 and `day` exists in that month of `year`.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, InvalidDate> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Ok(Date { year, month, day })
        } else {
            Err(InvalidDate)
        }
    }

    /// The day `days` after 1 January 1970 (negative before it), for years
    /// 1–9999; `None` outside them.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days: eras of 400 years from 1 March 0000.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        Date::new(year, month as u8, day as u8).ok()
    }

    /// The year, all four digits.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

fn is_leap(year: u16) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A machine-readable zone, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    /// TD1, TD2 or TD3.
    pub format: Format,
    /// The first one or two characters without fillers: `P`, `I`, `ID`, `AC`…
    pub document_type: String,
    /// The issuing state or organisation, without fillers (`D` for Germany).
    pub issuing_state: String,
    /// Without trailing fillers; a long TD1 or TD2 number joined with its overflow.
    pub document_number: String,
    /// The holder's nationality, without fillers.
    pub nationality: String,
    /// The date of birth, its century chosen against the day of reading.
    pub birth_date: Date,
    /// The date of expiry, its century chosen against the day of reading.
    pub expiry_date: Date,
    /// The holder's sex.
    pub sex: Sex,
    /// The primary identifier (surname), fillers read as spaces.
    pub primary_identifier: String,
    /// The secondary identifier (given names), fillers read as spaces.
    pub secondary_identifier: String,
    /// The optional data next to the document number (TD3: the personal number),
    /// without trailing fillers; for a long document number, what follows its overflow.
    pub optional_data: String,
    /// TD1's second optional data (lower line, positions 19–29); empty otherwise.
    pub optional_data_2: String,
}

impl Mrz {
    /// Reads a zone from its lines; blank lines are skipped. `today` chooses the
    /// dates' centuries: the date of birth is the latest that is not after
    /// `today`; the date of expiry the one from 49 years before `today`'s year to
    /// 50 years after.
    pub fn parse<S: AsRef<str>>(lines: &[S], today: Date) -> Result<Mrz, MrzError> {
        let lines: Vec<&str> = lines
            .iter()
            .map(|l| l.as_ref().trim())
            .filter(|l| !l.is_empty())
            .collect();
        let lengths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        let layout = match lengths.as_slice() {
            [30, 30, 30] => &TD1,
            [36, 36] => &TD2,
            [44, 44] => &TD3,
            _ => return Err(MrzError::Shape { lengths }),
        };
        let mut rows = Vec::with_capacity(lines.len());
        for (l, text) in lines.iter().enumerate() {
            let mut row = Vec::with_capacity(text.len());
            for (c, ch) in text.chars().enumerate() {
                let up = ch.to_ascii_uppercase();
                if !(up.is_ascii_uppercase() || up.is_ascii_digit() || up == '<') {
                    return Err(MrzError::BadCharacter {
                        line: l + 1,
                        column: c + 1,
                        found: ch,
                    });
                }
                row.push(up as u8);
            }
            rows.push(row);
        }
        read(layout, &rows, today)
    }

    /// Reads a zone from text, one line of the zone per line of text.
    pub fn parse_text(text: &str, today: Date) -> Result<Mrz, MrzError> {
        Mrz::parse(&text.lines().collect::<Vec<_>>(), today)
    }

    /// What the document type says the document is.
    pub fn kind(&self) -> DocumentKind {
        match self.document_type.as_bytes().first() {
            Some(b'P') => DocumentKind::Passport,
            Some(b'I' | b'A' | b'C') => DocumentKind::IdentityCard,
            _ => DocumentKind::Other,
        }
    }

    /// Whether the document expired before `today` (it is valid on its expiry day).
    pub fn is_expired(&self, today: Date) -> bool {
        self.expiry_date < today
    }

    /// The fields as a JSON object (dates as `YYYY-MM-DD`, sex as `M`, `F` or
    /// `X`), for a host that opted in to receive them.
    pub fn to_json(&self) -> String {
        let format = match self.format {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
        };
        let sex = match self.sex {
            Sex::Male => "M",
            Sex::Female => "F",
            Sex::Unspecified => "X",
        };
        // Digits by hand: the reader module carries no formatting machinery.
        let date = |d: Date| {
            let mut text = String::with_capacity(10);
            for (value, width) in [
                (u32::from(d.year), 4),
                (u32::from(d.month), 2),
                (u32::from(d.day), 2),
            ] {
                if !text.is_empty() {
                    text.push('-');
                }
                for place in (0..width).rev() {
                    let digit = value / 10u32.pow(place) % 10;
                    text.push(char::from(b'0' + digit as u8));
                }
            }
            text
        };
        let fields = [
            ("format", format.to_string()),
            ("documentType", self.document_type.clone()),
            ("issuingState", self.issuing_state.clone()),
            ("documentNumber", self.document_number.clone()),
            ("nationality", self.nationality.clone()),
            ("birthDate", date(self.birth_date)),
            ("expiryDate", date(self.expiry_date)),
            ("sex", sex.to_string()),
            ("surname", self.primary_identifier.clone()),
            ("givenNames", self.secondary_identifier.clone()),
            ("optionalData", self.optional_data.clone()),
            ("optionalData2", self.optional_data_2.clone()),
        ];
        let mut json = String::from("{");
        for (i, (name, value)) in fields.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push('"');
            json.push_str(name);
            json.push_str("\":\"");
            // A zone holds only A–Z, 0–9 and fillers (read as spaces): nothing to
            // escape, but a quote or backslash would not pass through unescaped.
            for c in value.chars() {
                match c {
                    '"' | '\\' => {
                        json.push('\\');
                        json.push(c);
                    }
                    c if c.is_control() => {}
                    c => json.push(c),
                }
            }
            json.push('"');
        }
        json.push('}');
        json
    }
}

/// Characters `from` to `to` of line `line` (0-based line; ICAO positions:
/// 1-based, inclusive).
#[derive(Debug, Clone, Copy)]
struct Span {
    line: usize,
    from: usize,
    to: usize,
}

const fn span(line: usize, from: usize, to: usize) -> Span {
    Span { line, from, to }
}

/// Where a format keeps its fields.
struct Layout {
    format: Format,
    document_type: Span,
    issuing_state: Span,
    names: Span,
    number: Span,
    number_check: Span,
    nationality: Span,
    birth: Span,
    birth_check: Span,
    sex: Span,
    expiry: Span,
    expiry_check: Span,
    optional: Span,
    /// TD3's personal number check digit.
    optional_check: Option<Span>,
    /// TD1's second optional data.
    optional_2: Option<Span>,
    composite: &'static [Span],
    composite_check: Span,
}

const TD1: Layout = Layout {
    format: Format::Td1,
    document_type: span(0, 1, 2),
    issuing_state: span(0, 3, 5),
    number: span(0, 6, 14),
    number_check: span(0, 15, 15),
    optional: span(0, 16, 30),
    birth: span(1, 1, 6),
    birth_check: span(1, 7, 7),
    sex: span(1, 8, 8),
    expiry: span(1, 9, 14),
    expiry_check: span(1, 15, 15),
    nationality: span(1, 16, 18),
    optional_2: Some(span(1, 19, 29)),
    composite: &[
        span(0, 6, 30),
        span(1, 1, 7),
        span(1, 9, 15),
        span(1, 19, 29),
    ],
    composite_check: span(1, 30, 30),
    names: span(2, 1, 30),
    optional_check: None,
};

const TD2: Layout = Layout {
    format: Format::Td2,
    document_type: span(0, 1, 2),
    issuing_state: span(0, 3, 5),
    names: span(0, 6, 36),
    number: span(1, 1, 9),
    number_check: span(1, 10, 10),
    nationality: span(1, 11, 13),
    birth: span(1, 14, 19),
    birth_check: span(1, 20, 20),
    sex: span(1, 21, 21),
    expiry: span(1, 22, 27),
    expiry_check: span(1, 28, 28),
    optional: span(1, 29, 35),
    optional_check: None,
    optional_2: None,
    composite: &[span(1, 1, 10), span(1, 14, 20), span(1, 22, 35)],
    composite_check: span(1, 36, 36),
};

const TD3: Layout = Layout {
    format: Format::Td3,
    document_type: span(0, 1, 2),
    issuing_state: span(0, 3, 5),
    names: span(0, 6, 44),
    number: span(1, 1, 9),
    number_check: span(1, 10, 10),
    nationality: span(1, 11, 13),
    birth: span(1, 14, 19),
    birth_check: span(1, 20, 20),
    sex: span(1, 21, 21),
    expiry: span(1, 22, 27),
    expiry_check: span(1, 28, 28),
    optional: span(1, 29, 42),
    optional_check: Some(span(1, 43, 43)),
    optional_2: None,
    composite: &[span(1, 1, 10), span(1, 14, 20), span(1, 22, 43)],
    composite_check: span(1, 44, 44),
};

/// The characters of `s` (empty if out of range, which checked lines never are).
fn at(rows: &[Vec<u8>], s: Span) -> &[u8] {
    rows.get(s.line)
        .and_then(|row| row.get(s.from.saturating_sub(1)..s.to))
        .unwrap_or(&[])
}

/// A character's value for check digits: `0–9` their value, `A–Z` 10–35, `<` 0.
fn value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A'..=b'Z' => u32::from(b - b'A') + 10,
        _ => 0,
    }
}

/// The check digit (an ASCII digit) over `chars`: weights 7, 3, 1 repeating,
/// the sum modulo 10.
pub fn check_digit<'a>(chars: impl IntoIterator<Item = &'a u8>) -> u8 {
    let sum = chars
        .into_iter()
        .zip([7u32, 3, 1].iter().cycle())
        .fold(0u32, |sum, (&b, &w)| (sum + value(b) * w) % 10);
    b'0' + sum as u8
}

/// `Ok` when the check digit at `check` matches `chars`.
fn verify<'a>(
    rows: &[Vec<u8>],
    chars: impl IntoIterator<Item = &'a u8>,
    check: Span,
    field: Field,
) -> Result<(), MrzError> {
    if at(rows, check) == [check_digit(chars)] {
        Ok(())
    } else {
        Err(MrzError::CheckDigit {
            field,
            line: check.line + 1,
            column: check.from,
        })
    }
}

/// The text without fillers at either end.
fn unfilled(chars: &[u8]) -> String {
    let text: String = chars.iter().map(|&b| char::from(b)).collect();
    text.trim_matches('<').to_string()
}

/// Fillers as single spaces, none at either end.
fn words(chars: &[u8]) -> String {
    chars
        .split(|&b| b == b'<')
        .filter(|w| !w.is_empty())
        .map(|w| w.iter().map(|&b| char::from(b)).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The document number, checked: `(number, optional data)`. A `<` for the
/// number's check digit (TD1, TD2) means a long number: its first 9 characters
/// where they stand, the rest at the start of the optional data followed by the
/// check digit over the whole number and a filler.
fn document_number(layout: &Layout, rows: &[Vec<u8>]) -> Result<(String, String), MrzError> {
    let number = at(rows, layout.number);
    let optional = at(rows, layout.optional);
    let long = layout.format != Format::Td3 && at(rows, layout.number_check) == b"<";
    if !long {
        verify(rows, number, layout.number_check, Field::DocumentNumber)?;
        return Ok((unfilled(number), unfilled(optional)));
    }
    let end = optional
        .iter()
        .position(|&b| b == b'<')
        .unwrap_or(optional.len());
    let overflow = match end.checked_sub(1).and_then(|n| optional.get(..n)) {
        Some(overflow) if !overflow.is_empty() => overflow,
        // No overflow: the `<` stands where a check digit should.
        _ => {
            return Err(MrzError::CheckDigit {
                field: Field::DocumentNumber,
                line: layout.number_check.line + 1,
                column: layout.number_check.from,
            })
        }
    };
    let check = span(
        layout.optional.line,
        layout.optional.from + end - 1,
        layout.optional.from + end - 1,
    );
    verify(
        rows,
        number.iter().chain(overflow),
        check,
        Field::DocumentNumber,
    )?;
    let mut full = number.to_vec();
    full.extend_from_slice(overflow);
    let rest = optional.get(end + 1..).unwrap_or(&[]);
    Ok((unfilled(&full), unfilled(rest)))
}

/// Six digits `YYMMDD`: `(yy, mm, dd)`.
fn yymmdd(chars: &[u8], field: Field) -> Result<(u16, u8, u8), MrzError> {
    let two = |i: usize| match chars.get(i..i + 2) {
        Some([a, b]) if a.is_ascii_digit() && b.is_ascii_digit() => {
            Ok((a - b'0') * 10 + (b - b'0'))
        }
        _ => Err(MrzError::BadDate { field }),
    };
    Ok((u16::from(two(0)?), two(2)?, two(4)?))
}

/// The date of birth: the latest century that does not put it after `today`.
fn birth_date(chars: &[u8], today: Date) -> Result<Date, MrzError> {
    let (yy, mm, dd) = yymmdd(chars, Field::BirthDate)?;
    let century = today.year - today.year % 100;
    let this = (yy, mm, dd) <= (today.year % 100, today.month, today.day);
    let year = if this {
        century.saturating_add(yy)
    } else {
        century.saturating_sub(100).saturating_add(yy)
    };
    Date::new(year, mm, dd).map_err(|_| MrzError::BadDate {
        field: Field::BirthDate,
    })
}

/// The date of expiry: the year from 49 years before `today`'s to 50 after.
fn expiry_date(chars: &[u8], today: Date) -> Result<Date, MrzError> {
    let (yy, mm, dd) = yymmdd(chars, Field::ExpiryDate)?;
    let earliest = today.year.saturating_sub(49);
    let year = earliest.saturating_add((yy + 100 - earliest % 100) % 100);
    Date::new(year, mm, dd).map_err(|_| MrzError::BadDate {
        field: Field::ExpiryDate,
    })
}

fn read(layout: &Layout, rows: &[Vec<u8>], today: Date) -> Result<Mrz, MrzError> {
    let (document_number, optional_data) = document_number(layout, rows)?;
    let birth = at(rows, layout.birth);
    verify(rows, birth, layout.birth_check, Field::BirthDate)?;
    let expiry = at(rows, layout.expiry);
    verify(rows, expiry, layout.expiry_check, Field::ExpiryDate)?;
    if let Some(check) = layout.optional_check {
        let optional = at(rows, layout.optional);
        let all_fillers = optional.iter().all(|&b| b == b'<');
        if !(all_fillers && at(rows, check) == b"<") {
            verify(rows, optional, check, Field::OptionalData)?;
        }
    }
    verify(
        rows,
        layout.composite.iter().flat_map(|&s| at(rows, s)),
        layout.composite_check,
        Field::Composite,
    )?;
    let birth_date = birth_date(birth, today)?;
    let expiry_date = expiry_date(expiry, today)?;
    let sex = match at(rows, layout.sex) {
        b"M" => Sex::Male,
        b"F" => Sex::Female,
        b"<" | b"X" => Sex::Unspecified,
        other => {
            return Err(MrzError::BadSex {
                line: layout.sex.line + 1,
                column: layout.sex.from,
                found: other.first().map_or('?', |&b| char::from(b)),
            })
        }
    };
    let names = at(rows, layout.names);
    let split = names.windows(2).position(|w| w == b"<<");
    let (primary, secondary) = match split {
        Some(i) => (
            names.get(..i).unwrap_or(&[]),
            names.get(i + 2..).unwrap_or(&[]),
        ),
        None => (names, &[][..]),
    };
    Ok(Mrz {
        format: layout.format,
        document_type: unfilled(at(rows, layout.document_type)),
        issuing_state: unfilled(at(rows, layout.issuing_state)),
        document_number,
        nationality: unfilled(at(rows, layout.nationality)),
        birth_date,
        expiry_date,
        sex,
        primary_identifier: words(primary),
        secondary_identifier: words(secondary),
        optional_data,
        optional_data_2: layout
            .optional_2
            .map_or_else(String::new, |s| unfilled(at(rows, s))),
    })
}

/// What may stand at one position of a zone, by its layout: what a reader of
/// the printed characters may choose from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// A date's digit.
    Digit,
    /// A check digit, or the `<` that stands for one (a long document number,
    /// an empty personal number).
    Check,
    /// Letters and fillers: the document type, states, names.
    Letter,
    /// Letters, digits and fillers: document numbers, optional data.
    AlphaNumeric,
    /// `M`, `F`, `X` or `<`.
    Sex,
}

impl CharClass {
    /// Whether `b` may stand at a position of this class.
    pub fn allows(self, b: u8) -> bool {
        match self {
            CharClass::Digit => b.is_ascii_digit(),
            CharClass::Check => b.is_ascii_digit() || b == b'<',
            CharClass::Letter => b.is_ascii_uppercase() || b == b'<',
            CharClass::AlphaNumeric => b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<',
            CharClass::Sex => matches!(b, b'M' | b'F' | b'X' | b'<'),
        }
    }
}

impl Format {
    /// The format's lines and their length.
    pub fn shape(self) -> (usize, usize) {
        match self {
            Format::Td1 => (3, 30),
            Format::Td2 => (2, 36),
            Format::Td3 => (2, 44),
        }
    }

    fn layout(self) -> &'static Layout {
        match self {
            Format::Td1 => &TD1,
            Format::Td2 => &TD2,
            Format::Td3 => &TD3,
        }
    }

    /// What may stand at `line`, `column` (both from 0); `None` outside the zone.
    pub fn class_at(self, line: usize, column: usize) -> Option<CharClass> {
        let (lines, width) = self.shape();
        if line >= lines || column >= width {
            return None;
        }
        let l = self.layout();
        let inside = |s: Span| s.line == line && (s.from - 1..s.to).contains(&column);
        let checks = [
            Some(l.number_check),
            Some(l.birth_check),
            Some(l.expiry_check),
            l.optional_check,
            Some(l.composite_check),
        ];
        Some(if checks.into_iter().flatten().any(inside) {
            CharClass::Check
        } else if inside(l.birth) || inside(l.expiry) {
            CharClass::Digit
        } else if inside(l.sex) {
            CharClass::Sex
        } else if inside(l.number) || inside(l.optional) || l.optional_2.is_some_and(inside) {
            CharClass::AlphaNumeric
        } else {
            CharClass::Letter
        })
    }

    /// The positions (line, column, from 0) a failing check of `field` may
    /// come from: the field's characters and its check digit. A long document
    /// number's overflow lies in the optional data, so that is included too.
    pub fn positions_of(self, field: Field) -> Vec<(usize, usize)> {
        let l = self.layout();
        let spans: Vec<Span> = match field {
            Field::DocumentNumber => vec![l.number, l.number_check, l.optional],
            Field::BirthDate => vec![l.birth, l.birth_check],
            Field::ExpiryDate => vec![l.expiry, l.expiry_check],
            Field::OptionalData => [Some(l.optional), l.optional_check]
                .into_iter()
                .flatten()
                .collect(),
            Field::Composite => l
                .composite
                .iter()
                .copied()
                .chain([l.composite_check])
                .collect(),
        };
        let mut positions: Vec<(usize, usize)> = spans
            .into_iter()
            .flat_map(|s| (s.from - 1..s.to).map(move |c| (s.line, c)))
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}

#[cfg(test)]
#[path = "mrz_tests.rs"]
mod tests;
