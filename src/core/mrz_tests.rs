use super::*;

const TD3_SPECIMEN: [&str; 2] = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
];
const TD1_SPECIMEN: [&str; 3] = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
];
const TD2_SPECIMEN: [&str; 2] = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
];

fn date(year: u16, month: u8, day: u8) -> Date {
    Date::new(year, month, day).unwrap()
}

fn today() -> Date {
    date(2026, 12, 7)
}

fn parse(lines: &[&str]) -> Result<Mrz, MrzError> {
    Mrz::parse(lines, today())
}

fn cd(text: &str) -> char {
    char::from(check_digit(text.as_bytes()))
}

fn pad(text: &str, len: usize) -> String {
    assert!(text.len() <= len, "{text:?} longer than {len}");
    format!("{text:<<len$}")
}

/// The fields of a zone, as printed (dates `YYMMDD`), for building its lines.
#[derive(Debug, Clone)]
struct Spec {
    format: Format,
    document_type: String,
    state: String,
    number: String,
    nationality: String,
    birth: String,
    sex: char,
    expiry: String,
    primary: Vec<String>,
    secondary: Vec<String>,
    optional: String,
    optional_2: String,
}

impl Spec {
    fn specimen(format: Format) -> Spec {
        Spec {
            format,
            document_type: if format == Format::Td3 { "P" } else { "I" }.into(),
            state: "UTO".into(),
            number: if format == Format::Td3 {
                "L898902C3"
            } else {
                "D23145890"
            }
            .into(),
            nationality: "UTO".into(),
            birth: "740812".into(),
            sex: 'F',
            expiry: "120415".into(),
            primary: vec!["ERIKSSON".into()],
            secondary: vec!["ANNA".into(), "MARIA".into()],
            optional: if format == Format::Td3 {
                "ZE184226B"
            } else {
                ""
            }
            .into(),
            optional_2: String::new(),
        }
    }

    fn names(&self, len: usize) -> String {
        let mut names = self.primary.join("<");
        if !self.secondary.is_empty() {
            names = format!("{names}<<{}", self.secondary.join("<"));
        }
        pad(&names, len)
    }

    /// The number field with its check digit, and the optional data field
    /// (`optional_len` long) holding a long number's overflow.
    fn number_and_optional(&self, optional_len: usize) -> (String, String) {
        if self.number.len() <= 9 {
            let number = pad(&self.number, 9);
            let check = cd(&number);
            (
                format!("{number}{check}"),
                pad(&self.optional, optional_len),
            )
        } else {
            let (principal, overflow) = self.number.split_at(9);
            let check = cd(&self.number);
            let optional = format!("{overflow}{check}<{}", self.optional);
            (format!("{principal}<"), pad(&optional, optional_len))
        }
    }

    fn lines(&self) -> Vec<String> {
        let head = format!("{}{}", pad(&self.document_type, 2), pad(&self.state, 3));
        let birth = format!("{}{}", self.birth, cd(&self.birth));
        let expiry = format!("{}{}", self.expiry, cd(&self.expiry));
        let nationality = pad(&self.nationality, 3);
        match self.format {
            Format::Td1 => {
                let (number, optional) = self.number_and_optional(15);
                let line1 = format!("{head}{number}{optional}");
                let optional_2 = pad(&self.optional_2, 11);
                let composite = cd(&format!("{number}{optional}{birth}{expiry}{optional_2}"));
                let line2 = format!(
                    "{birth}{}{expiry}{nationality}{optional_2}{composite}",
                    self.sex
                );
                vec![line1, line2, self.names(30)]
            }
            Format::Td2 => {
                let (number, optional) = self.number_and_optional(7);
                let composite = cd(&format!("{number}{birth}{expiry}{optional}"));
                vec![
                    format!("{head}{}", self.names(31)),
                    format!(
                        "{number}{nationality}{birth}{}{expiry}{optional}{composite}",
                        self.sex
                    ),
                ]
            }
            Format::Td3 => {
                let (number, optional) = self.number_and_optional(14);
                let optional_check = if self.optional.is_empty() {
                    '<'
                } else {
                    cd(&optional)
                };
                let composite = cd(&format!(
                    "{number}{birth}{expiry}{optional}{optional_check}"
                ));
                vec![
                    format!("{head}{}", self.names(39)),
                    format!(
                        "{number}{nationality}{birth}{}{expiry}{optional}{optional_check}{composite}",
                        self.sex
                    ),
                ]
            }
        }
    }

    fn parse(&self, today: Date) -> Result<Mrz, MrzError> {
        Mrz::parse(&self.lines(), today)
    }
}

fn assert_erikssons(mrz: &Mrz) {
    assert_eq!(mrz.issuing_state, "UTO");
    assert_eq!(mrz.nationality, "UTO");
    assert_eq!(mrz.birth_date, date(1974, 8, 12));
    assert_eq!(mrz.expiry_date, date(2012, 4, 15));
    assert_eq!(mrz.sex, Sex::Female);
    assert_eq!(mrz.primary_identifier, "ERIKSSON");
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
    assert!(mrz.is_expired(today()));
}

#[test]
fn the_td3_specimen_reads() {
    let mrz = parse(&TD3_SPECIMEN).unwrap();
    assert_eq!(mrz.format, Format::Td3);
    assert_eq!(mrz.document_type, "P");
    assert_eq!(mrz.kind(), DocumentKind::Passport);
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(mrz.optional_data, "ZE184226B");
    assert_eq!(mrz.optional_data_2, "");
    assert_erikssons(&mrz);
}

#[test]
fn the_td1_specimen_reads() {
    let mrz = parse(&TD1_SPECIMEN).unwrap();
    assert_eq!(mrz.format, Format::Td1);
    assert_eq!(mrz.document_type, "I");
    assert_eq!(mrz.kind(), DocumentKind::IdentityCard);
    assert_eq!(mrz.document_number, "D23145890");
    assert_eq!(mrz.optional_data, "");
    assert_eq!(mrz.optional_data_2, "");
    assert_erikssons(&mrz);
}

#[test]
fn the_td2_specimen_reads() {
    let mrz = parse(&TD2_SPECIMEN).unwrap();
    assert_eq!(mrz.format, Format::Td2);
    assert_eq!(mrz.document_type, "I");
    assert_eq!(mrz.kind(), DocumentKind::IdentityCard);
    assert_eq!(mrz.document_number, "D23145890");
    assert_eq!(mrz.optional_data, "");
    assert_erikssons(&mrz);
}

#[test]
fn the_builder_reproduces_the_specimens() {
    assert_eq!(Spec::specimen(Format::Td3).lines(), TD3_SPECIMEN);
    assert_eq!(Spec::specimen(Format::Td1).lines(), TD1_SPECIMEN);
    assert_eq!(Spec::specimen(Format::Td2).lines(), TD2_SPECIMEN);
}

#[test]
fn check_digits_follow_icao_9303_part_3() {
    // Part 3's worked examples: weights 7, 3, 1; letters 10–35; fillers 0.
    assert_eq!(cd("520727"), '3');
    assert_eq!(cd("AB2134<<<"), '5');
    assert_eq!(cd("L898902C3"), '6');
    assert_eq!(cd("<<<<<<<<<"), '0');
}

/// `(line, first, last, field)`: ICAO positions (1-based) that a check digit
/// covers, and the field whose check digit fails first when one changes.
fn covered(format: Format) -> Vec<(usize, usize, usize, Field)> {
    use Field::*;
    match format {
        Format::Td1 => vec![
            (1, 6, 15, DocumentNumber),
            (1, 16, 30, Composite),
            (2, 1, 7, BirthDate),
            (2, 9, 15, ExpiryDate),
            (2, 19, 30, Composite),
        ],
        Format::Td2 => vec![
            (2, 1, 10, DocumentNumber),
            (2, 14, 20, BirthDate),
            (2, 22, 28, ExpiryDate),
            (2, 29, 36, Composite),
        ],
        Format::Td3 => vec![
            (2, 1, 10, DocumentNumber),
            (2, 14, 20, BirthDate),
            (2, 22, 28, ExpiryDate),
            (2, 29, 43, OptionalData),
            (2, 44, 44, Composite),
        ],
    }
}

fn check_positions(format: Format) -> Vec<(usize, usize)> {
    match format {
        Format::Td1 => vec![(1, 15), (2, 7), (2, 15), (2, 30)],
        Format::Td2 => vec![(2, 10), (2, 20), (2, 28), (2, 36)],
        Format::Td3 => vec![(2, 10), (2, 20), (2, 28), (2, 43), (2, 44)],
    }
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

fn changed(lines: &[String], line: usize, column: usize, to: u8) -> Vec<String> {
    let mut lines = lines.to_vec();
    let mut bytes = lines[line - 1].clone().into_bytes();
    bytes[column - 1] = to;
    lines[line - 1] = String::from_utf8(bytes).unwrap();
    lines
}

/// Every change caught that check digits can catch: any change of a check digit,
/// any change of a covered character to one whose value differs modulo 10, and
/// in the dates any change at all. (Values 10 apart, like `0`, `A`, `K`, `U` and
/// `<`, weigh the same modulo 10: ICAO's check digits cannot tell them apart.)
fn assert_every_change_caught(lines: &[String], format: Format) {
    for (line, first, last, field) in covered(format) {
        for column in first..=last {
            let was = lines[line - 1].as_bytes()[column - 1];
            for &to in ALPHABET.iter().filter(|&&to| to != was) {
                let result = Mrz::parse(&changed(lines, line, column, to), today());
                let is_check = check_positions(format).contains(&(line, column));
                let is_date = matches!(field, Field::BirthDate | Field::ExpiryDate);
                let where_ = format!("{format:?} line {line} column {column}: {was} → {to}");
                if is_check || (value(to) + 100 - value(was)) % 10 != 0 {
                    match result {
                        Err(MrzError::CheckDigit { field: named, .. }) => {
                            assert_eq!(named, field, "{where_}")
                        }
                        other => panic!("{where_}: {other:?}"),
                    }
                } else if is_date {
                    assert!(result.is_err(), "{where_}");
                }
            }
        }
    }
}

#[test]
fn every_single_character_change_in_a_covered_field_is_caught() {
    let lines = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert_every_change_caught(&lines(&TD3_SPECIMEN), Format::Td3);
    assert_every_change_caught(&lines(&TD1_SPECIMEN), Format::Td1);
    assert_every_change_caught(&lines(&TD2_SPECIMEN), Format::Td2);
    let mut rich = Spec::specimen(Format::Td1);
    rich.optional = "X7Q2".into();
    rich.optional_2 = "Z9".into();
    assert_every_change_caught(&rich.lines(), Format::Td1);
}

#[test]
fn values_ten_apart_are_the_check_digits_blind_spot() {
    // `0` and `<` both weigh 0: this change passes every check digit.
    let mut lines = TD2_SPECIMEN;
    lines[1] = "D2314589<7UTO7408122F1204159<<<<<<<6";
    assert_eq!(parse(&lines).unwrap().document_number, "D2314589");
}

#[test]
fn a_changed_check_digit_is_named() {
    let cases: [(&[&str], usize, usize, Field); 9] = [
        (&TD3_SPECIMEN, 2, 10, Field::DocumentNumber),
        (&TD3_SPECIMEN, 2, 20, Field::BirthDate),
        (&TD3_SPECIMEN, 2, 28, Field::ExpiryDate),
        (&TD3_SPECIMEN, 2, 43, Field::OptionalData),
        (&TD3_SPECIMEN, 2, 44, Field::Composite),
        (&TD1_SPECIMEN, 1, 15, Field::DocumentNumber),
        (&TD1_SPECIMEN, 2, 7, Field::BirthDate),
        (&TD1_SPECIMEN, 2, 30, Field::Composite),
        (&TD2_SPECIMEN, 2, 36, Field::Composite),
    ];
    for (zone, line, column, field) in cases {
        let lines: Vec<String> = zone.iter().map(|l| l.to_string()).collect();
        let was = lines[line - 1].as_bytes()[column - 1];
        let to = if was == b'9' { b'8' } else { was + 1 };
        let err = Mrz::parse(&changed(&lines, line, column, to), today()).unwrap_err();
        assert_eq!(
            err,
            MrzError::CheckDigit {
                field,
                line,
                column
            }
        );
    }
}

#[test]
fn wrong_shapes_are_refused_with_the_lengths() {
    let short = &TD3_SPECIMEN[1][..43];
    for (lines, lengths) in [
        (vec![TD3_SPECIMEN[0]], vec![44]),
        (vec![TD3_SPECIMEN[0], short], vec![44, 43]),
        (
            vec![TD3_SPECIMEN[0], TD3_SPECIMEN[1], TD3_SPECIMEN[1]],
            vec![44, 44, 44],
        ),
        (vec![TD1_SPECIMEN[0], TD1_SPECIMEN[1]], vec![30, 30]),
        (
            vec![TD2_SPECIMEN[0], TD2_SPECIMEN[0], TD2_SPECIMEN[0]],
            vec![36, 36, 36],
        ),
        (vec![TD2_SPECIMEN[0], TD3_SPECIMEN[1]], vec![36, 44]),
        (vec![], vec![]),
    ] {
        assert_eq!(parse(&lines), Err(MrzError::Shape { lengths }));
    }
}

#[test]
fn bad_characters_are_refused_with_their_position() {
    for (line, column, found) in [(2, 5, '-'), (1, 1, 'é'), (2, 44, ' '), (1, 30, '«')] {
        let mut lines: Vec<String> = TD3_SPECIMEN.iter().map(|l| l.to_string()).collect();
        let mut chars: Vec<char> = lines[line - 1].chars().collect();
        chars[column - 1] = found;
        lines[line - 1] = chars.into_iter().collect();
        // A trailing space is surrounding whitespace: the line is one short.
        let expected = if found == ' ' {
            MrzError::Shape {
                lengths: vec![44, 43],
            }
        } else {
            MrzError::BadCharacter {
                line,
                column,
                found,
            }
        };
        assert_eq!(Mrz::parse(&lines, today()), Err(expected));
    }
    let mut lines = TD1_SPECIMEN;
    lines[2] = "ERIKSSON<<ANNA MARIA<<<<<<<<<<";
    assert_eq!(
        parse(&lines),
        Err(MrzError::BadCharacter {
            line: 3,
            column: 15,
            found: ' '
        })
    );
}

#[test]
fn lower_case_and_surrounding_whitespace_are_accepted() {
    let lines = [
        "",
        "  p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\t",
        "   ",
        "l898902c36uto7408122f1204159ze184226b<<<<<10\r",
    ];
    assert_eq!(Mrz::parse(&lines, today()), parse(&TD3_SPECIMEN));
    let text = format!("\n{}\r\n{}\r\n", TD2_SPECIMEN[0], TD2_SPECIMEN[1]);
    assert_eq!(Mrz::parse_text(&text, today()), parse(&TD2_SPECIMEN));
}

#[test]
fn birth_dates_take_the_latest_century_not_in_the_future() {
    let mut spec = Spec::specimen(Format::Td3);
    assert_eq!(spec.parse(today()).unwrap().birth_date, date(1974, 8, 12));
    spec.birth = "250101".into();
    assert_eq!(spec.parse(today()).unwrap().birth_date, date(2025, 1, 1));
    spec.birth = "261207".into();
    assert_eq!(spec.parse(today()).unwrap().birth_date, date(2026, 12, 7));
    spec.birth = "261208".into();
    assert_eq!(spec.parse(today()).unwrap().birth_date, date(1926, 12, 8));
    // 29 February 2000 is a date; on 1 March 2000, 29 February 00 is that day.
    spec.birth = "000229".into();
    assert_eq!(
        spec.parse(date(2000, 3, 1)).unwrap().birth_date,
        date(2000, 2, 29)
    );
    // On 28 February 2000 it would be 1900, which had no 29 February.
    assert_eq!(
        spec.parse(date(2000, 2, 28)),
        Err(MrzError::BadDate {
            field: Field::BirthDate
        })
    );
}

#[test]
fn expiry_dates_fall_within_fifty_years_ahead() {
    let mut spec = Spec::specimen(Format::Td1);
    let mrz = spec.parse(today()).unwrap();
    assert_eq!(mrz.expiry_date, date(2012, 4, 15));
    assert!(mrz.is_expired(today()));
    assert!(!mrz.is_expired(date(2012, 4, 15)));
    assert!(mrz.is_expired(date(2012, 4, 16)));
    spec.expiry = "340101".into();
    let mrz = spec.parse(today()).unwrap();
    assert_eq!(mrz.expiry_date, date(2034, 1, 1));
    assert!(!mrz.is_expired(today()));
    spec.expiry = "761231".into();
    assert_eq!(spec.parse(today()).unwrap().expiry_date, date(2076, 12, 31));
    spec.expiry = "770101".into();
    assert_eq!(spec.parse(today()).unwrap().expiry_date, date(1977, 1, 1));
}

#[test]
fn invalid_dates_are_refused() {
    let mut spec = Spec::specimen(Format::Td2);
    for (birth, expiry, field) in [
        ("740230", "120415", Field::BirthDate),
        ("741301", "120415", Field::BirthDate),
        ("740800", "120415", Field::BirthDate),
        ("7408<2", "120415", Field::BirthDate),
        ("740812", "230229", Field::ExpiryDate),
        ("740812", "120431", Field::ExpiryDate),
        ("740812", "12O415", Field::ExpiryDate),
    ] {
        spec.birth = birth.into();
        spec.expiry = expiry.into();
        assert_eq!(
            spec.parse(today()),
            Err(MrzError::BadDate { field }),
            "{birth} {expiry}"
        );
    }
    spec.expiry = "240229".into();
    assert_eq!(spec.parse(today()).unwrap().expiry_date, date(2024, 2, 29));
}

#[test]
fn extreme_days_of_reading_do_not_overflow() {
    for today in [date(0, 1, 1), date(1, 1, 1), date(u16::MAX, 12, 31)] {
        for format in [Format::Td1, Format::Td2, Format::Td3] {
            // Any answer will do, as long as there is one.
            let _ = Spec::specimen(format).parse(today);
        }
    }
}

#[test]
fn dates_are_checked_calendar_dates() {
    assert!(Date::new(2024, 2, 29).is_ok());
    assert!(Date::new(2000, 2, 29).is_ok());
    assert_eq!(Date::new(2023, 2, 29), Err(InvalidDate));
    assert_eq!(Date::new(1900, 2, 29), Err(InvalidDate));
    assert_eq!(Date::new(2026, 4, 31), Err(InvalidDate));
    assert_eq!(Date::new(2026, 0, 1), Err(InvalidDate));
    assert_eq!(Date::new(2026, 13, 1), Err(InvalidDate));
    assert_eq!(Date::new(2026, 1, 0), Err(InvalidDate));
    assert!(Date::new(2026, 12, 31).is_ok());
    let d = date(2026, 12, 7);
    assert_eq!((d.year(), d.month(), d.day()), (2026, 12, 7));
    assert!(date(2025, 12, 31) < date(2026, 1, 1));
}

#[test]
fn sex_is_read_and_anything_else_refused() {
    let mut spec = Spec::specimen(Format::Td3);
    for (sex, read) in [
        ('M', Sex::Male),
        ('F', Sex::Female),
        ('X', Sex::Unspecified),
        ('<', Sex::Unspecified),
    ] {
        spec.sex = sex;
        assert_eq!(spec.parse(today()).unwrap().sex, read);
    }
    spec.sex = 'Q';
    assert_eq!(
        spec.parse(today()),
        Err(MrzError::BadSex {
            line: 2,
            column: 21,
            found: 'Q'
        })
    );
}

#[test]
fn an_empty_personal_number_may_have_a_filler_or_zero_check_digit() {
    let mut spec = Spec::specimen(Format::Td3);
    spec.optional = String::new();
    let lines = spec.lines();
    assert!(lines[1].ends_with("<<<<<<<<<<<<<<<8"), "{}", lines[1]);
    assert_eq!(spec.parse(today()).unwrap().optional_data, "");
    let zero = changed(&lines, 2, 43, b'0');
    assert_eq!(Mrz::parse(&zero, today()).unwrap().optional_data, "");
    let one = changed(&lines, 2, 43, b'1');
    assert!(matches!(
        Mrz::parse(&one, today()),
        Err(MrzError::CheckDigit {
            field: Field::OptionalData,
            ..
        })
    ));
}

#[test]
fn long_document_numbers_overflow_into_optional_data() {
    // ICAO 9303 part 5's example: D23145890734, its check digit 9 after the overflow.
    let mut spec = Spec::specimen(Format::Td1);
    spec.number = "D23145890734".into();
    let lines = spec.lines();
    assert_eq!(lines[0], "I<UTOD23145890<7349<<<<<<<<<<<");
    let mrz = Mrz::parse(&lines, today()).unwrap();
    assert_eq!(mrz.document_number, "D23145890734");
    assert_eq!(mrz.optional_data, "");
    // A wrong overflow check digit is named where it stands.
    assert_eq!(
        Mrz::parse(&changed(&lines, 1, 19, b'8'), today()),
        Err(MrzError::CheckDigit {
            field: Field::DocumentNumber,
            line: 1,
            column: 19
        })
    );
    // With optional data after the overflow, and in TD2.
    spec.optional = "AB12".into();
    let mrz = spec.parse(today()).unwrap();
    assert_eq!(
        (mrz.document_number.as_str(), mrz.optional_data.as_str()),
        ("D23145890734", "AB12")
    );
    let mut td2 = Spec::specimen(Format::Td2);
    td2.number = "D231458907".into();
    assert_eq!(td2.parse(today()).unwrap().document_number, "D231458907");
    // A `<` check digit with no overflow, or an overflow of a check digit alone.
    let mut lines: Vec<String> = TD1_SPECIMEN.iter().map(|l| l.to_string()).collect();
    lines[0] = "I<UTOD23145890<<<<<<<<<<<<<<<<".into();
    assert_eq!(
        Mrz::parse(&lines, today()),
        Err(MrzError::CheckDigit {
            field: Field::DocumentNumber,
            line: 1,
            column: 15
        })
    );
    lines[0] = "I<UTOD23145890<7<<<<<<<<<<<<<<".into();
    assert!(matches!(
        Mrz::parse(&lines, today()),
        Err(MrzError::CheckDigit {
            field: Field::DocumentNumber,
            ..
        })
    ));
    // TD3 has no long numbers: a `<` check digit is a wrong one.
    let lines: Vec<String> = TD3_SPECIMEN.iter().map(|l| l.to_string()).collect();
    assert!(matches!(
        Mrz::parse(&changed(&lines, 2, 10, b'<'), today()),
        Err(MrzError::CheckDigit {
            field: Field::DocumentNumber,
            column: 10,
            ..
        })
    ));
}

#[test]
fn kinds_come_from_the_document_type() {
    let mut spec = Spec::specimen(Format::Td1);
    for (code, kind) in [
        ("P", DocumentKind::Passport),
        ("PD", DocumentKind::Passport),
        ("I", DocumentKind::IdentityCard),
        ("ID", DocumentKind::IdentityCard),
        ("AC", DocumentKind::IdentityCard),
        ("C", DocumentKind::IdentityCard),
        ("V", DocumentKind::Other),
        ("XX", DocumentKind::Other),
    ] {
        spec.document_type = code.into();
        let mrz = spec.parse(today()).unwrap();
        assert_eq!((mrz.document_type.as_str(), mrz.kind()), (code, kind));
    }
}

#[test]
fn names_split_on_double_fillers() {
    let mut spec = Spec::specimen(Format::Td3);
    spec.primary = vec!["VAN".into(), "DER".into(), "BERG".into()];
    spec.secondary = vec![];
    let mrz = spec.parse(today()).unwrap();
    assert_eq!(mrz.primary_identifier, "VAN DER BERG");
    assert_eq!(mrz.secondary_identifier, "");
}

/// A small seeded generator (xorshift64*), so the random zones repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// `low` to `high` characters drawn from `from`.
    fn text(&mut self, from: &[u8], low: usize, high: usize) -> String {
        let len = self.between(low, high);
        (0..len)
            .map(|_| char::from(from[self.below(from.len())]))
            .collect()
    }

    fn date(&mut self, from: u16, to: u16) -> Date {
        loop {
            let year = self.between(from.into(), to.into()) as u16;
            let month = self.between(1, 12) as u8;
            let day = self.between(1, 31) as u8;
            if let Ok(date) = Date::new(year, month, day) {
                return date;
            }
        }
    }
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn yymmdd(date: Date) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year() % 100,
        date.month(),
        date.day()
    )
}

#[test]
fn random_valid_zones_round_trip() {
    let mut rng = Rng(0x5EED_1CA0_9303);
    let (mut read, mut long) = (0, 0);
    for round in 0..3000 {
        let format = [Format::Td1, Format::Td2, Format::Td3][rng.below(3)];
        let today = rng.date(1950, 2090);
        let birth = loop {
            let birth = rng.date(today.year() - 99, today.year());
            if birth <= today {
                break birth;
            }
        };
        let expiry = rng.date(today.year() - 49, today.year() + 50);
        let (names_len, optional_len) = match format {
            Format::Td1 => (30, 15),
            Format::Td2 => (31, 7),
            Format::Td3 => (39, 14),
        };
        // Long numbers (TD1, TD2) leave room for their check digit and filler.
        let number_len = match format {
            Format::Td3 => rng.between(1, 9),
            _ => rng.between(1, 9 + optional_len - 2),
        };
        let number = rng.text(ALNUM, number_len, number_len);
        let room = if number_len > 9 {
            optional_len - (number_len - 9) - 2
        } else {
            optional_len
        };
        let optional = rng.text(ALNUM, 0, room);
        let primary: Vec<String> = (0..rng.between(1, 2))
            .map(|_| rng.text(LETTERS, 1, 8))
            .collect();
        let secondary: Vec<String> = (0..rng.between(0, 3))
            .map(|_| rng.text(LETTERS, 1, 6))
            .collect();
        let document_type = format!(
            "{}{}",
            char::from(b"PIACV"[rng.below(5)]),
            rng.text(LETTERS, 0, 1)
        );
        let spec = Spec {
            format,
            document_type: document_type.clone(),
            state: rng.text(LETTERS, 1, 3),
            number: number.clone(),
            nationality: rng.text(LETTERS, 1, 3),
            birth: yymmdd(birth),
            sex: char::from(b"MFX<"[rng.below(4)]),
            expiry: yymmdd(expiry),
            primary: primary.clone(),
            secondary: secondary.clone(),
            optional: optional.clone(),
            optional_2: if format == Format::Td1 {
                rng.text(ALNUM, 0, 11)
            } else {
                String::new()
            },
        };
        if spec.primary.join("<").len() + spec.secondary.join("<").len() + 2 > names_len {
            continue;
        }
        let lines = spec.lines();
        let mrz = Mrz::parse(&lines, today)
            .unwrap_or_else(|e| panic!("round {round}: {lines:?} on {today:?}: {e:?}"));
        let sex = match spec.sex {
            'M' => Sex::Male,
            'F' => Sex::Female,
            _ => Sex::Unspecified,
        };
        let expected = Mrz {
            format,
            document_type,
            issuing_state: spec.state.clone(),
            document_number: number,
            nationality: spec.nationality.clone(),
            birth_date: birth,
            expiry_date: expiry,
            sex,
            primary_identifier: primary.join(" "),
            secondary_identifier: secondary.join(" "),
            optional_data: optional,
            optional_data_2: spec.optional_2.clone(),
        };
        assert_eq!(mrz, expected, "round {round}: {lines:?} on {today:?}");
        read += 1;
        long += usize::from(number_len > 9);
    }
    // Most rounds fit their names, and long numbers are among them.
    assert!(
        read > 2000 && long > 500,
        "{read} zones, {long} long numbers"
    );
}

#[test]
fn a_day_count_since_1970_is_a_calendar_date() {
    let date = |days| Date::from_unix_days(days).map(|d| (d.year(), d.month(), d.day()));
    assert_eq!(date(0), Some((1970, 1, 1)));
    assert_eq!(date(-1), Some((1969, 12, 31)));
    assert_eq!(
        date(11_016),
        Some((2000, 2, 29)),
        "a leap day of a year divisible by 400"
    );
    assert_eq!(date(20_794), Some((2026, 12, 7)));
    assert_eq!(date(-719_162), Some((1, 1, 1)));
    assert_eq!(date(2_932_896), Some((9999, 12, 31)));
    assert_eq!(date(2_932_897), None, "past 9999");
    assert_eq!(date(-719_163), None, "before year 1");
    assert_eq!(date(i64::MAX), None);
    // Every day of 1999–2001 follows the one before.
    let mut prev = Date::from_unix_days(10_591).unwrap();
    for days in 10_592..11_688 {
        let d = Date::from_unix_days(days).unwrap();
        assert!(d > prev, "{days}");
        prev = d;
    }
}
