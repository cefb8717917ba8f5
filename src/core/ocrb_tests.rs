//! The reader on zones rendered in OCR-B (Debian's `fonts-ocr-b`, which
//! `scripts/setup.sh` installs) and then degraded: scaled down, blurred,
//! noised, glared and tilted. Zones are random but valid, from a seeded
//! generator, so every run reads the same images.

use std::collections::HashMap;

use super::super::mrz::{check_digit, Date, Format, Mrz};
use super::super::ocrb_glyphs::{ALPHABET, GLYPHS, GRID_H, GRID_W};
use super::*;

const FONT: &str = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

pub(crate) fn today() -> Date {
    Date::new(2026, 12, 7).unwrap()
}

/// A grayscale image owned.
#[derive(Clone)]
pub(crate) struct Img {
    pub(crate) w: usize,
    pub(crate) h: usize,
    pub(crate) px: Vec<u8>,
}

impl Img {
    pub(crate) fn gray(&self) -> Gray<'_> {
        Gray::new(self.w, self.h, &self.px).unwrap()
    }

    /// Writes the image as a binary PGM, for the benches' other readers.
    pub(crate) fn write_pgm(&self, path: &std::path::Path) {
        let mut pgm = format!("P5\n{} {}\n255\n", self.w, self.h).into_bytes();
        pgm.extend_from_slice(&self.px);
        std::fs::write(path, pgm).unwrap();
    }
}

pub(crate) struct Font {
    font: fontdue::Font,
    glyphs: HashMap<(char, u32), (fontdue::Metrics, Vec<u8>)>,
}

impl Font {
    pub(crate) fn load() -> Font {
        let bytes = std::fs::read(FONT).unwrap_or_else(|e| {
            panic!("{FONT}: {e}; the MRZ reader's tests need Debian's fonts-ocr-b (scripts/setup.sh installs it)")
        });
        let font = fontdue::Font::from_bytes(bytes, fontdue::FontSettings::default()).unwrap();
        Font {
            font,
            glyphs: HashMap::new(),
        }
    }

    fn glyph(&mut self, ch: char, px: f32) -> &(fontdue::Metrics, Vec<u8>) {
        let font = &self.font;
        self.glyphs
            .entry((ch, px.to_bits()))
            .or_insert_with(|| font.rasterize(ch, px))
    }

    /// The zone's lines in OCR-B, `px` the font size in the image's pixels,
    /// shifted right by `shift` pixels: rendered at 4× and averaged down, as a
    /// camera's pixels average the print.
    pub(crate) fn render(&mut self, lines: &[&str], px: f32, shift: f32) -> Img {
        const S: usize = 4;
        let big = px * S as f32;
        let h_metrics = self.font.metrics('H', big);
        let advance = h_metrics.advance_width;
        let cap = h_metrics.height as f32;
        let pitch = cap * 1.8;
        let margin = advance * 1.5;
        let n = lines.iter().map(|l| l.len()).max().unwrap_or(0) as f32;
        let w = ((margin * 2.0 + advance * n) / S as f32).ceil() as usize * S;
        let h = ((margin * 2.0 + pitch * (lines.len() as f32 - 1.0) + cap) / S as f32).ceil()
            as usize
            * S;
        let mut cover = vec![0f32; w * h];
        for (l, line) in lines.iter().enumerate() {
            let baseline = margin + cap + l as f32 * pitch;
            for (i, ch) in line.chars().enumerate() {
                let (m, bitmap) = self.glyph(ch, big).clone();
                let x0 = (margin + shift * S as f32 + i as f32 * advance + m.xmin as f32).round()
                    as isize;
                let y0 = (baseline - m.height as f32 - m.ymin as f32).round() as isize;
                for gy in 0..m.height {
                    for gx in 0..m.width {
                        let (x, y) = (x0 + gx as isize, y0 + gy as isize);
                        if x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h {
                            let c = &mut cover[y as usize * w + x as usize];
                            *c = c.max(f32::from(bitmap[gy * m.width + gx]) / 255.0);
                        }
                    }
                }
            }
        }
        let (sw, sh) = (w / S, h / S);
        let mut px_out = vec![0u8; sw * sh];
        for y in 0..sh {
            for x in 0..sw {
                let mut sum = 0.0;
                for dy in 0..S {
                    for dx in 0..S {
                        sum += cover[(y * S + dy) * w + x * S + dx];
                    }
                }
                let c = sum / (S * S) as f32;
                px_out[y * sw + x] = (230.0 - c * 200.0).round() as u8;
            }
        }
        Img {
            w: sw,
            h: sh,
            px: px_out,
        }
    }
}

/// A seeded generator (SplitMix64).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub(crate) fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn pick(&mut self, set: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(set[self.below(set.len() as u64) as usize]))
            .collect()
    }
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const DIGITS: &[u8] = b"0123456789";

fn cd(s: &str) -> char {
    char::from(check_digit(s.as_bytes()))
}

fn pad(s: &str, n: usize) -> String {
    let mut s: String = s.chars().take(n).collect();
    while s.len() < n {
        s.push('<');
    }
    s
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{:02}{:02}{:02}",
        rng.below(100),
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

fn names(rng: &mut Rng, n: usize) -> String {
    let (a, b, c) = (3 + rng.below(8), 3 + rng.below(6), 2 + rng.below(6));
    let surname = rng.pick(LETTERS, a as usize);
    let given = rng.pick(LETTERS, b as usize);
    let second = rng.pick(LETTERS, c as usize);
    pad(&format!("{surname}<<{given}<{second}"), n)
}

/// A random zone of `format` whose check digits all pass.
pub(crate) fn zone(rng: &mut Rng, format: Format) -> Vec<String> {
    let state = rng.pick(LETTERS, 3);
    let nat = rng.pick(LETTERS, 3);
    let number = rng.pick(ALNUM, 9);
    let birth = date(rng);
    let expiry = date(rng);
    let sex = ["M", "F", "<"][rng.below(3) as usize];
    // TD2's and TD3's lower line: the fields, then `tail`, then the composite check.
    let lower = |tail: &str| {
        let line = format!(
            "{number}{}{nat}{birth}{}{sex}{expiry}{}{tail}",
            cd(&number),
            cd(&birth),
            cd(&expiry)
        );
        let composite: String = [&line[0..10], &line[13..20], &line[21..]].concat();
        format!("{line}{}", cd(&composite))
    };
    let lines = match format {
        Format::Td3 => {
            let personal = if rng.below(2) == 0 {
                pad(&rng.pick(ALNUM, 8), 14)
            } else {
                "<".repeat(14)
            };
            let personal_cd = if personal.starts_with('<') {
                '<'
            } else {
                cd(&personal)
            };
            vec![
                format!("P<{state}{}", names(rng, 39)),
                lower(&format!("{personal}{personal_cd}")),
            ]
        }
        Format::Td2 => {
            let optional = {
                let n = rng.below(8) as usize;
                pad(&rng.pick(ALNUM, n), 7)
            };
            vec![format!("I<{state}{}", names(rng, 31)), lower(&optional)]
        }
        Format::Td1 => {
            let optional = {
                let n = rng.below(10) as usize;
                pad(&rng.pick(DIGITS, n), 15)
            };
            let optional_2 = {
                let n = rng.below(6) as usize;
                pad(&rng.pick(ALNUM, n), 11)
            };
            let l1 = format!("I<{state}{number}{}{optional}", cd(&number));
            let l2 = format!(
                "{birth}{}{sex}{expiry}{}{nat}{optional_2}",
                cd(&birth),
                cd(&expiry)
            );
            let comp: String = [&l1[5..30], &l2[0..7], &l2[8..15], &l2[18..29]].concat();
            vec![l1, format!("{l2}{}", cd(&comp)), names(rng, 30)]
        }
    };
    let parsed = Mrz::parse(&lines, today());
    assert!(
        parsed.is_ok(),
        "the generator made an invalid zone {lines:?}: {parsed:?}"
    );
    lines
}

/// How hard an image is degraded.
#[derive(Debug, Clone, Copy)]
struct Harm {
    /// The font size in pixels (a TD3 line is about 26 sizes wide).
    px: f32,
    /// Box-blur radius in pixels.
    blur: usize,
    /// Uniform noise, ± this many levels.
    noise: u8,
    /// A bright spot's strength, 0–1 (1: white at its centre).
    glare: f32,
    /// Tilt in degrees.
    tilt: f32,
}

const MILD: Harm = Harm {
    px: 30.0,
    blur: 1,
    noise: 12,
    glare: 0.3,
    tilt: 1.0,
};

const MEDIUM: Harm = Harm {
    px: 25.0,
    blur: 1,
    noise: 20,
    glare: 0.45,
    tilt: 1.8,
};

const HARSH: Harm = Harm {
    px: 22.0,
    blur: 1,
    noise: 30,
    glare: 0.55,
    tilt: 2.5,
};

fn blur(img: &Img, r: usize) -> Img {
    if r == 0 {
        return img.clone();
    }
    let (w, h) = (img.w, img.h);
    let pass = |src: &[u8], horizontal: bool| -> Vec<u8> {
        let mut out = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let (mut sum, mut n) = (0u32, 0u32);
                for d in -(r as isize)..=r as isize {
                    let (xx, yy) = if horizontal {
                        (x as isize + d, y as isize)
                    } else {
                        (x as isize, y as isize + d)
                    };
                    if xx >= 0 && yy >= 0 && (xx as usize) < w && (yy as usize) < h {
                        sum += u32::from(src[yy as usize * w + xx as usize]);
                        n += 1;
                    }
                }
                out[y * w + x] = (sum / n) as u8;
            }
        }
        out
    };
    let px = pass(&pass(&img.px, true), false);
    Img { w, h, px }
}

fn harm(img: &Img, harm: Harm, rng: &mut Rng) -> Img {
    let (w, h) = (img.w, img.h);
    // Tilt: each output pixel taken, bilinear, from the image turned back.
    let (sin, cos) = harm.tilt.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let at = |x: isize, y: isize| -> f32 {
        if x < 0 || y < 0 || x as usize >= w || y as usize >= h {
            230.0
        } else {
            f32::from(img.px[y as usize * w + x as usize])
        }
    };
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let sx = cx + dx * cos + dy * sin;
            let sy = cy - dx * sin + dy * cos;
            let (x0, y0) = (sx.floor(), sy.floor());
            let (fx, fy) = (sx - x0, sy - y0);
            let (x0, y0) = (x0 as isize, y0 as isize);
            let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + at(x0 + 1, y0) * fx * (1.0 - fy)
                + at(x0, y0 + 1) * (1.0 - fx) * fy
                + at(x0 + 1, y0 + 1) * fx * fy;
            out[y * w + x] = v.round() as u8;
        }
    }
    let mut img = blur(&Img { w, h, px: out }, harm.blur);
    // Glare: a bright spot somewhere on the zone; noise: everywhere.
    let (gx, gy) = (rng.unit() * w as f32, rng.unit() * h as f32);
    let radius = w as f32 / 5.0;
    for y in 0..h {
        for x in 0..w {
            let d2 = ((x as f32 - gx).powi(2) + (y as f32 - gy).powi(2)) / (radius * radius);
            let p = f32::from(img.px[y * w + x]);
            let lit = p + (255.0 - p) * harm.glare * (-d2).exp();
            let n = harm.noise as f32;
            let noisy = lit + (rng.unit() * 2.0 - 1.0) * n;
            img.px[y * w + x] = noisy.clamp(0.0, 255.0).round() as u8;
        }
    }
    img
}

/// Renders and harms `count` zones of each format and reads them.
fn accuracy(font: &mut Font, seed: u64, count: usize, level: Harm) -> Score {
    let mut rng = Rng(seed);
    let mut score = Score::default();
    for i in 0..count * 3 {
        let format = [Format::Td3, Format::Td2, Format::Td1][i % 3];
        let lines = zone(&mut rng, format);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let px = level.px * (0.9 + rng.unit() * 0.2);
        let shift = rng.unit();
        let image = harm(&font.render(&refs, px, shift), level, &mut rng);
        score.add(&read(&image.gray(), today()), &lines);
    }
    score
}

/// The glyph grids as the reader's own cell extraction sees the font: two lines
/// holding the whole alphabet, at three sizes and three sub-pixel offsets, averaged.
fn make_glyphs(font: &mut Font) -> Vec<[u8; GRID_W * GRID_H]> {
    let line: String = pad(std::str::from_utf8(&ALPHABET).unwrap(), 44);
    let mut sums = vec![[0f32; GRID_W * GRID_H]; ALPHABET.len()];
    let mut n = 0.0;
    for px in [24.0, 32.0, 44.0] {
        for shift in [0.0, 0.33, 0.67] {
            let image = font.render(&[&line, &line], px, shift);
            let page = Page::new(&image.gray()).unwrap();
            let lines = page.lines().unwrap();
            for row in page.grids(&lines, 44) {
                for (i, sum) in sums.iter_mut().enumerate() {
                    for (s, g) in sum.iter_mut().zip(row[i].iter()) {
                        *s += g;
                    }
                }
                n += 1.0;
            }
        }
    }
    sums.iter()
        .map(|sum| {
            let mut out = [0u8; GRID_W * GRID_H];
            for (o, s) in out.iter_mut().zip(sum) {
                *o = (s / n * 255.0).round() as u8;
            }
            out
        })
        .collect()
}

#[test]
fn glyphs_are_the_fonts() {
    let mut font = Font::load();
    let made = make_glyphs(&mut font);
    if std::env::var_os("VIDEOID_WRITE_GLYPHS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core/ocrb_glyphs.rs");
        let text = std::fs::read_to_string(path).unwrap();
        let head = &text[..text.find("pub const GLYPHS").unwrap()];
        let mut out = String::from(head);
        out.push_str("pub const GLYPHS: [[u8; GRID_W * GRID_H]; 37] = [\n");
        for (ch, grid) in ALPHABET.iter().zip(&made) {
            out.push_str(&format!("    // {}\n    [\n", char::from(*ch)));
            for row in grid.chunks(GRID_W) {
                let cells: Vec<String> = row.iter().map(|v| format!("{v:3}")).collect();
                out.push_str(&format!("        {},\n", cells.join(", ")));
            }
            out.push_str("    ],\n");
        }
        out.push_str("];\n");
        std::fs::write(path, out).unwrap();
        return;
    }
    for (i, (made, kept)) in made.iter().zip(GLYPHS.iter()).enumerate() {
        let off = made
            .iter()
            .zip(kept)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        assert!(
            off <= 2,
            "{}'s grid differs from the font's by {off}: run VIDEOID_WRITE_GLYPHS=1 cargo test --lib ocrb::tests::glyphs",
            char::from(ALPHABET[i])
        );
    }
}

#[test]
fn glyphs_are_told_apart() {
    // Each template is its own best match, and by a margin.
    for (i, glyph) in GLYPHS.iter().enumerate() {
        let grid: [f32; GRID_W * GRID_H] = std::array::from_fn(|k| f32::from(glyph[k]) / 255.0);
        let scores = score(&grid);
        let (winner, _) = best(&scores, |_| true);
        assert_eq!(
            winner,
            i,
            "{} is read as {}",
            char::from(ALPHABET[i]),
            char::from(ALPHABET[winner])
        );
        let second = scores
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != i)
            .map(|(_, &s)| s)
            .fold(f32::MIN, f32::max);
        assert!(
            second < 0.97,
            "{} is within {} of another glyph",
            char::from(ALPHABET[i]),
            1.0 - second
        );
    }
}

#[test]
fn clean_zones_of_each_format_read_exactly() {
    let mut font = Font::load();
    let mut rng = Rng(7);
    for format in [Format::Td3, Format::Td2, Format::Td1] {
        let lines = zone(&mut rng, format);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let image = font.render(&refs, 28.0, 0.25);
        if format != Format::Td2 {
            // Without the layout (two lines are taken for TD3's 44 cells), OCR-B's
            // `O` and `0` may swap; every other character is read as printed.
            let swap = |l: &String| l.replace('O', "0");
            let raw = read_lines(&image.gray()).unwrap();
            assert_eq!(
                raw.iter().map(swap).collect::<Vec<_>>(),
                lines.iter().map(swap).collect::<Vec<_>>()
            );
        }
        let reading = read(&image.gray(), today()).unwrap();
        assert_eq!(reading.lines, lines);
        assert_eq!(reading.mrz.format, format);
        assert_eq!(reading.corrected, 0, "a clean zone needs no repair");
    }
}

#[test]
fn the_icao_specimen_passport_reads_with_its_fields() {
    let mut font = Font::load();
    let lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];
    let image = harm(&font.render(&lines, 26.0, 0.5), MILD, &mut Rng(3));
    let reading = read(&image.gray(), today()).unwrap();
    assert_eq!(reading.mrz.document_number, "L898902C3");
    assert_eq!(reading.mrz.primary_identifier, "ERIKSSON");
    assert_eq!(reading.mrz.secondary_identifier, "ANNA MARIA");
    assert_eq!(reading.mrz.birth_date, Date::new(1974, 8, 12).unwrap());
}

#[test]
fn mild_harm_reads_nearly_every_zone_whole() {
    let mut font = Font::load();
    let Score {
        whole,
        zones,
        right,
        chars,
        ..
    } = accuracy(&mut font, 11, 10, MILD);
    eprintln!("mild: {whole}/{zones} zones whole, {right}/{chars} characters");
    assert!(
        whole * 100 >= zones * 96,
        "{whole} of {zones} zones read whole"
    );
    assert!(
        right * 1000 >= chars * 995,
        "{right} of {chars} characters right"
    );
}

#[test]
fn harsh_harm_still_reads_most_zones() {
    let mut font = Font::load();
    let Score {
        whole,
        zones,
        right,
        chars,
        ..
    } = accuracy(&mut font, 23, 10, HARSH);
    eprintln!("harsh: {whole}/{zones} zones whole, {right}/{chars} characters");
    assert!(
        whole * 100 >= zones * 70,
        "{whole} of {zones} zones read whole"
    );
    assert!(
        right * 100 >= chars * 97,
        "{right} of {chars} characters right"
    );
}

#[test]
fn a_check_digit_repairs_a_confusable_character() {
    // A cell whose best glyph is wrong but whose second is close and right:
    // the check digit chooses. Scores made by hand: every cell certain, except
    // the number's `8`, where `B` (allowed there) scores a little better.
    let lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];
    let mut cells: Vec<Vec<[f32; 37]>> = lines
        .iter()
        .map(|l| {
            l.bytes()
                .map(|b| {
                    let i = ALPHABET.iter().position(|&a| a == b).unwrap();
                    let mut s = [0.1f32; 37];
                    s[i] = 0.9;
                    s
                })
                .collect()
        })
        .collect();
    // Column 2 of line 2 is the number's `8`: make `B` look a little better.
    let b = ALPHABET.iter().position(|&a| a == b'B').unwrap();
    cells[1][1][b] = 0.92;
    let reading = decode(Format::Td3, &cells, today()).unwrap();
    assert_eq!(reading.lines[1], lines[1]);
    assert_eq!(reading.corrected, 1);
    // When no alternative comes close, nothing is changed to pass a check: the zone fails.
    let eight = ALPHABET.iter().position(|&a| a == b'8').unwrap();
    cells[1][1][b] = 0.99;
    cells[1][1][eight] = 0.6;
    assert!(decode(Format::Td3, &cells, today()).is_err());
}

#[test]
fn images_without_a_zone_are_typed_errors() {
    assert!(Gray::new(10, 10, &[0; 99]).is_none());
    assert!(Gray::new(0, 10, &[]).is_none());
    let blank = vec![230u8; 400 * 80];
    assert_eq!(
        read(&Gray::new(400, 80, &blank).unwrap(), today()),
        Err(ReadError::NoInk)
    );
    let tiny = vec![0u8; 20 * 4];
    assert_eq!(
        read(&Gray::new(20, 4, &tiny).unwrap(), today()),
        Err(ReadError::NoInk)
    );
    // One line of text is not a zone.
    let mut font = Font::load();
    let one = font.render(&["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"], 24.0, 0.0);
    assert_eq!(
        read(&one.gray(), today()),
        Err(ReadError::Lines { found: 1 })
    );
}

/// Per-character agreement of `read` with `want`, line by line.
fn agreement(read: &[String], want: &[String]) -> usize {
    read.iter()
        .zip(want)
        .map(|(a, b)| a.bytes().zip(b.bytes()).filter(|(x, y)| x == y).count())
        .sum()
}

/// What a reader got right on a set: zones read whole and valid, characters.
#[derive(Default)]
struct Score {
    whole: usize,
    /// Zones whose reading passed every check but differs from the truth.
    wrong: usize,
    zones: usize,
    right: usize,
    chars: usize,
    seconds: f64,
}

impl Score {
    /// One zone `want`, and what the reader made of it.
    fn add(&mut self, result: &Result<Reading, ReadError>, want: &[String]) {
        self.zones += 1;
        self.chars += want.iter().map(String::len).sum::<usize>();
        match result {
            Ok(reading) => {
                self.whole += usize::from(reading.lines == want);
                self.wrong += usize::from(reading.lines != want);
                self.right += agreement(&reading.lines, want);
            }
            Err(ReadError::Invalid { lines, .. } | ReadError::Ambiguous { lines, .. }) => {
                self.right += agreement(lines, want);
            }
            Err(_) => {}
        }
    }

    /// The figures, for `npm run bench`'s table.
    fn figure(&self) -> String {
        format!(
            "{:.1}% whole ({}/{}), {} valid but wrong, {:.2}% characters, {:.2} ms a zone",
            100.0 * self.whole as f64 / self.zones.max(1) as f64,
            self.whole,
            self.zones,
            self.wrong,
            100.0 * self.right as f64 / self.chars.max(1) as f64,
            1000.0 * self.seconds / self.zones.max(1) as f64
        )
    }

    fn line(&self, who: &str) -> String {
        format!(
            "{who}: {:.1}% of zones whole and valid ({}/{}), {} valid but wrong, {:.2}% of characters, {:.2} ms a zone",
            100.0 * self.whole as f64 / self.zones.max(1) as f64,
            self.whole,
            self.zones,
            self.wrong,
            100.0 * self.right as f64 / self.chars.max(1) as f64,
            1000.0 * self.seconds / self.zones.max(1) as f64
        )
    }
}

/// `npm run bench`'s MRZ figures: bench/mrz/synthetic.txt (zones made by an
/// independent generator) rendered in OCR-B at three strengths of harm, read by
/// this reader and by Tesseract (Debian's `tesseract-ocr`, English model, the
/// zone's alphabet only, one block of text) on the same images in the same run.
#[test]
#[ignore = "a benchmark: npm run bench runs it"]
fn bench_mrz_against_tesseract() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/bench/mrz/synthetic.txt")).unwrap();
    let zones: Vec<Vec<String>> = text
        .split("\n\n")
        .map(|z| {
            z.lines()
                .map(str::to_string)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .filter(|z: &Vec<String>| !z.is_empty())
        .collect();
    for zone in &zones {
        assert!(
            Mrz::parse(zone, today()).is_ok(),
            "the set holds an invalid zone {zone:?}"
        );
    }
    let dir = std::path::PathBuf::from(format!("{root}/target/mrz-bench"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tesseract = std::process::Command::new("tesseract")
        .arg("--version")
        .output()
        .is_ok();
    let mut font = Font::load();
    println!(
        "MRZ reading: {} zones (TD1, TD2, TD3 in turn) at each strength",
        zones.len()
    );
    for (name, level) in [("mild", MILD), ("medium", MEDIUM), ("harsh", HARSH)] {
        let mut rng = Rng(2026);
        let mut ours = Score::default();
        let mut list = String::new();
        for (i, zone) in zones.iter().enumerate() {
            let refs: Vec<&str> = zone.iter().map(String::as_str).collect();
            let px = level.px * (0.9 + rng.unit() * 0.2);
            let shift = rng.unit();
            let image = harm(&font.render(&refs, px, shift), level, &mut rng);
            let started = std::time::Instant::now();
            let result = read(&image.gray(), today());
            ours.seconds += started.elapsed().as_secs_f64();
            ours.add(&result, zone);
            if tesseract {
                let path = dir.join(format!("{name}-{i:03}.pgm"));
                image.write_pgm(&path);
                list.push_str(&format!("{}\n", path.display()));
            }
        }
        println!(
            "  {name} (text {:.0}–{:.0} px, blur {}, noise ±{}, glare {:.0}%, tilt {}°)",
            level.px * 0.9,
            level.px * 1.1,
            level.blur,
            level.noise,
            level.glare * 100.0,
            level.tilt
        );
        println!("    {}", ours.line("this reader"));
        println!("ROW\tMRZ {name}, this reader (native)\t{}\t", ours.figure());
        if !tesseract {
            println!(
                "    Tesseract: not installed (npm run bench installs Debian's tesseract-ocr)"
            );
            continue;
        }
        let theirs = tesseract_score(&dir, name, &list, &zones);
        println!("    {}", theirs.line("Tesseract, lines padded"));
        println!(
            "ROW\tMRZ {name}, Tesseract (lines padded)\t{}\twhole zones: this reader {:.2}×; speed: this reader {:.0}×",
            theirs.figure(),
            ours.whole as f64 / theirs.whole.max(1) as f64,
            theirs.seconds / ours.seconds.max(1e-9)
        );
    }
}

/// Tesseract on the images listed in `list`, in one process (no start-up per
/// image); its lines of 10 or more characters, spaces removed and padded, are the zone.
fn tesseract_score(dir: &std::path::Path, name: &str, list: &str, zones: &[Vec<String>]) -> Score {
    let list_path = dir.join(format!("{name}.txt"));
    std::fs::write(&list_path, list).unwrap();
    let started = std::time::Instant::now();
    let output = std::process::Command::new("tesseract")
        .arg(&list_path)
        .arg("stdout")
        .args(["--psm", "6", "-l", "eng", "-c"])
        .arg("tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&output.stdout);
    // One page per image, separated by form feeds.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let mut score = Score {
        seconds,
        ..Score::default()
    };
    for (i, zone) in zones.iter().enumerate() {
        let raw: Vec<String> = pages
            .get(i)
            .map(|p| {
                p.lines()
                    .map(|l| l.replace(' ', ""))
                    .filter(|l| l.len() >= 10)
                    .collect()
            })
            .unwrap_or_default();
        // Tesseract drops runs of fillers: each line is padded with `<` (or cut)
        // to the length its zone's shape gives, which is the usual repair.
        let longest = raw.iter().map(String::len).max().unwrap_or(0);
        let width = match raw.len() {
            3 => 30,
            _ if longest > 38 => 44,
            _ => 36,
        };
        let lines: Vec<String> = raw.iter().map(|l| pad(l, width)).collect();
        score.zones += 1;
        score.chars += zone.iter().map(String::len).sum::<usize>();
        score.right += agreement(&lines, zone);
        let valid = Mrz::parse(&lines, today()).is_ok();
        score.whole += usize::from(&lines == zone && valid);
        score.wrong += usize::from(&lines != zone && valid);
    }
    score
}

#[test]
fn the_zone_is_read_below_other_text() {
    // A data page's last printed line above its zone: the zone is the last two lines.
    let mut font = Font::load();
    let lines = zone(&mut Rng(8), Format::Td3);
    let image = font.render(
        &["DATE OF ISSUE 12 MAR 2019", &lines[0], &lines[1]],
        26.0,
        0.3,
    );
    let reading = read(&image.gray(), today()).unwrap();
    assert_eq!(reading.lines, lines);
    let card = zone(&mut Rng(9), Format::Td1);
    let refs: Vec<&str> = std::iter::once("SIGNATURE")
        .chain(card.iter().map(String::as_str))
        .collect();
    let reading = read(&font.render(&refs, 26.0, 0.6).gray(), today()).unwrap();
    assert_eq!(reading.lines, card);
}

#[test]
fn a_character_the_checks_cannot_tell_from_a_close_rival_is_not_trusted() {
    // `8` and `S` weigh alike in a check digit (28 ≡ 8 modulo 10): when the
    // glyphs barely prefer one, the zone is valid either way, so it is ambiguous.
    let lines = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];
    let certain = |l: &str| -> Vec<[f32; 37]> {
        l.bytes()
            .map(|b| {
                let mut s = [0.1f32; 37];
                s[ALPHABET.iter().position(|&a| a == b).unwrap()] = 0.9;
                s
            })
            .collect()
    };
    let mut cells: Vec<Vec<[f32; 37]>> = lines.iter().map(|l| certain(l)).collect();
    let s = ALPHABET.iter().position(|&a| a == b'S').unwrap();
    cells[1][1][s] = 0.88;
    match decode(Format::Td3, &cells, today()) {
        Err((_, _, Err(position))) => assert_eq!(position, (2, 2)),
        other => panic!("not ambiguous: {other:?}"),
    }
    // A clear preference stands.
    cells[1][1][s] = 0.6;
    assert_eq!(
        decode(Format::Td3, &cells, today()).unwrap().lines[1],
        lines[1]
    );
}
