//! Reads a machine-readable zone's OCR-B characters from a grayscale image of
//! the zone: the lines found (a slight tilt straightened), each line cut into
//! its fixed-pitch cells, each cell matched against the 37 glyphs of the
//! alphabet (`A–Z`, `0–9`, `<`), and the text chosen as the zone's layout and
//! check digits allow.
//!
//! - **Ink.** A pixel is ink when it is clearly darker than the mean of its
//!   neighbourhood (a window of about two characters): an even glare or a
//!   shadow across the zone changes the mean, not the decision.
//! - **Lines.** Ink rows projected at tilts from −4° to 4°; the sharpest
//!   projection gives the tilt, and its runs of inked rows are the lines. The
//!   zone is the last two or three: three are tried as TD1, the last two as
//!   TD3 and as TD2.
//! - **Cells.** Every position of a zone holds a character (`<` fills the
//!   rest), so a line's text (its widest stretch of ink) spans all its cells:
//!   the pitch comes from that span and is refined so that cell borders fall
//!   where there is least ink.
//! - **Glyphs.** A cell's ink, centred on itself and scaled to the line's
//!   height, is a 10×14 grid of ink fractions; its correlation with each
//!   template in [`super::ocrb_glyphs::GLYPHS`] scores the characters.
//! - **Text.** Each position takes its best character of the class the layout
//!   allows there (digits in dates, letters in names…). Where a check digit
//!   fails, the positions it covers are tried with their next-best character,
//!   least certain first, and the change that passes and costs least is kept.
//! - **Doubt.** A valid reading with a close call left in it (a rival the
//!   checks would pass too, or any rival where no check looks) is
//!   [`ReadError::Ambiguous`], not a zone: the next frame may be clearer.
//!
//! This reads a crop that holds the zone, upright within a few degrees:
//! [`super::document`] finds a document in a frame and straightens it. The
//! glyph templates are made in the tests, from the font.

use super::mrz::{CharClass, Date, Format, Mrz, MrzError};
use super::ocrb_glyphs::{ALPHABET, GLYPHS, GRID_H, GRID_W};

/// A grayscale image: `width × height` bytes, row by row, 0 black.
#[derive(Debug, Clone, Copy)]
pub struct Gray<'a> {
    width: usize,
    height: usize,
    pixels: &'a [u8],
}

impl<'a> Gray<'a> {
    /// The image, if `pixels` holds exactly `width × height` bytes and neither is 0.
    pub fn new(width: usize, height: usize, pixels: &'a [u8]) -> Option<Gray<'a>> {
        (width > 0 && height > 0 && width.checked_mul(height) == Some(pixels.len())).then_some(
            Gray {
                width,
                height,
                pixels,
            },
        )
    }

    /// Its width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Its height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Its pixels, row by row.
    pub fn pixels(&self) -> &'a [u8] {
        self.pixels
    }
}

/// Why no zone was read.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The image is too small to hold a zone, or holds no ink.
    NoInk,
    /// Fewer than two lines of text: how many runs of inked rows there were.
    Lines {
        /// The runs found.
        found: usize,
    },
    /// A valid zone was read, but a character was nearly as likely another:
    /// where no check digit covers it (names, states), or where the checks
    /// would pass it as well (`8` and `S` count alike, 28 ≡ 8 modulo 10). The
    /// reading is not trusted; a clearer frame is needed.
    Ambiguous {
        /// The lines as read.
        lines: Vec<String>,
        /// The uncertain character's line, from 1.
        line: usize,
        /// Its column, from 1.
        column: usize,
    },
    /// Lines were read, but not as a valid zone: the best reading and why it fails.
    Invalid {
        /// The lines as read.
        lines: Vec<String>,
        /// The first fault [`Mrz::parse`] found.
        error: MrzError,
    },
}

/// A zone read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The zone.
    pub mrz: Mrz,
    /// Its lines as read.
    pub lines: Vec<String>,
    /// How many characters the check digits changed from the glyphs' first choice.
    pub corrected: usize,
    /// The mean correlation of the chosen glyphs, −1 to 1.
    pub score: f32,
}

/// The zone's text without the layout's help: each cell's best glyph.
pub fn read_lines(image: &Gray) -> Result<Vec<String>, ReadError> {
    let page = Page::new(image)?;
    let lines = page.lines()?;
    let width = if lines.len() == 3 { 30 } else { 44 };
    let cells = page.cells(&lines, width);
    Ok(cells
        .iter()
        .map(|row| {
            row.iter()
                .map(|scores| char::from(ALPHABET[best(scores, |_| true).0]))
                .collect()
        })
        .collect())
}

/// Reads and checks the zone in `image`; `today` as for [`Mrz::parse`].
pub fn read(image: &Gray, today: Date) -> Result<Reading, ReadError> {
    let page = Page::new(image)?;
    let lines = page.lines()?;
    // Three lines are TD1, or a line of other text above a TD2 or TD3 zone.
    let last_two = &lines[lines.len() - 2..];
    let mut tries: Vec<(Format, &[Line])> = Vec::new();
    if lines.len() == 3 {
        tries.push((Format::Td1, &lines));
    }
    tries.extend([(Format::Td3, last_two), (Format::Td2, last_two)]);
    let mut best_failure: Option<(f32, Vec<String>, Fault)> = None;
    for (format, lines) in tries {
        let cells = page.cells(lines, format.shape().1);
        match decode(format, &cells, today) {
            Ok(reading) => return Ok(reading),
            Err((score, lines, error)) => {
                if best_failure.as_ref().is_none_or(|(s, _, _)| score > *s) {
                    best_failure = Some((score, lines, error));
                }
            }
        }
    }
    match best_failure {
        Some((_, lines, Ok(error))) => Err(ReadError::Invalid { lines, error }),
        Some((_, lines, Err((line, column)))) => Err(ReadError::Ambiguous {
            lines,
            line,
            column,
        }),
        None => Err(ReadError::Lines { found: 0 }),
    }
}

/// The index and score of the best glyph in `scores` that `allowed` accepts.
fn best(scores: &[f32; 37], allowed: impl Fn(u8) -> bool) -> (usize, f32) {
    let mut found = (ALPHABET.len() - 1, f32::MIN);
    for (i, &s) in scores.iter().enumerate() {
        if allowed(ALPHABET[i]) && s > found.1 {
            found = (i, s);
        }
    }
    found
}

/// The glyphs' first choices within each position's class, then check-digit repairs.
/// Why a decoding failed: the zone's fault, or the uncertain character (line, column from 1).
type Fault = Result<MrzError, (usize, usize)>;

fn decode(
    format: Format,
    cells: &[Vec<[f32; 37]>],
    today: Date,
) -> Result<Reading, (f32, Vec<String>, Fault)> {
    let mut rows: Vec<Vec<u8>> = Vec::with_capacity(cells.len());
    let mut total = 0.0;
    let mut count = 0.0;
    for (l, row) in cells.iter().enumerate() {
        let mut text = Vec::with_capacity(row.len());
        for (c, scores) in row.iter().enumerate() {
            let class = format.class_at(l, c).unwrap_or(CharClass::AlphaNumeric);
            let (i, s) = best(scores, |b| class.allows(b));
            text.push(ALPHABET[i]);
            total += s;
            count += 1.0;
        }
        rows.push(text);
    }
    let score = if count > 0.0 { total / count } else { -1.0 };
    let first = rows.clone();
    // Each repair fixes one check; a zone has at most five, and a date may need one more.
    let mut rounds = 0;
    loop {
        let error = match parse(&rows, today) {
            Ok(mrz) => {
                if let Some((line, column)) = ambiguity(format, cells, &rows, today) {
                    return Err((score, texts(&rows), Err((line, column))));
                }
                let corrected = rows
                    .iter()
                    .flatten()
                    .zip(first.iter().flatten())
                    .filter(|(a, b)| a != b)
                    .count();
                return Ok(Reading {
                    mrz,
                    lines: texts(&rows),
                    corrected,
                    score,
                });
            }
            Err(error) => error,
        };
        let field = match &error {
            MrzError::CheckDigit { field, .. } | MrzError::BadDate { field } if rounds < 7 => {
                *field
            }
            _ => return Err((score, texts(&rows), Ok(error))),
        };
        rounds += 1;
        match repair(format, cells, &rows, field, today) {
            Some(fixed) => rows = fixed,
            None => return Err((score, texts(&rows), Ok(error))),
        }
    }
}

fn parse(rows: &[Vec<u8>], today: Date) -> Result<Mrz, MrzError> {
    Mrz::parse(&texts(rows), today)
}

fn texts(rows: &[Vec<u8>]) -> Vec<String> {
    rows.iter()
        .map(|r| r.iter().map(|&b| char::from(b)).collect())
        .collect()
}

/// How close another character's score may come to the chosen one's before
/// the reading is ambiguous: at a position a check digit covers (when the
/// checks would pass the rival too), and at one none covers.
const AMBIGUOUS_MARGIN: f32 = 0.04;
const UNCHECKED_MARGIN: f32 = 0.02;

/// The first position whose chosen character has a close rival: any rival
/// within [`UNCHECKED_MARGIN`] where no check digit covers it, one within
/// [`AMBIGUOUS_MARGIN`] that the checks would pass as well where one does.
fn ambiguity(
    format: Format,
    cells: &[Vec<[f32; 37]>],
    rows: &[Vec<u8>],
    today: Date,
) -> Option<(usize, usize)> {
    use super::mrz::Field;
    let mut covered: Vec<(usize, usize)> = [
        Field::DocumentNumber,
        Field::BirthDate,
        Field::ExpiryDate,
        Field::OptionalData,
        Field::Composite,
    ]
    .into_iter()
    .flat_map(|f| format.positions_of(f))
    .collect();
    covered.sort_unstable();
    covered.dedup();
    let (lines, width) = format.shape();
    for (l, c) in (0..lines).flat_map(|l| (0..width).map(move |c| (l, c))) {
        let checked = covered.binary_search(&(l, c)).is_ok();
        let margin = if checked {
            AMBIGUOUS_MARGIN
        } else {
            UNCHECKED_MARGIN
        };
        for (b, cost) in rivals(format, cells, rows, l, c) {
            if cost <= margin {
                // Where no check digit covers it (names, states, sex), any close
                // rival leaves the character in doubt.
                let mut other = rows.to_vec();
                other[l][c] = b;
                if !checked || parse(&other, today).is_ok() {
                    return Some((l + 1, c + 1));
                }
            }
        }
    }
    None
}

/// The other characters the layout allows at line `l`, column `c` (from 0), each
/// with how much worse than the chosen one it scores there.
fn rivals(
    format: Format,
    cells: &[Vec<[f32; 37]>],
    rows: &[Vec<u8>],
    l: usize,
    c: usize,
) -> Vec<(u8, f32)> {
    let (Some(scores), Some(&now)) = (
        cells.get(l).and_then(|r| r.get(c)),
        rows.get(l).and_then(|r| r.get(c)),
    ) else {
        return Vec::new();
    };
    let Some(current) = ALPHABET.iter().position(|&b| b == now).map(|i| scores[i]) else {
        return Vec::new();
    };
    let class = format.class_at(l, c).unwrap_or(CharClass::AlphaNumeric);
    ALPHABET
        .iter()
        .zip(scores)
        .filter(|&(&b, _)| b != now && class.allows(b))
        .map(|(&b, &score)| (b, current - score))
        .collect()
}

/// How much worse than the glyphs' choice an alternative may score and still
/// be taken to pass a check: a check digit picks between close readings, it
/// does not overrule a clear one.
const MAX_REPAIR_COST: f32 = 0.2;

/// One or two characters of `field`'s positions changed to their next choices,
/// the least certain positions first, so that `field`'s check passes: the
/// change that loses the least score.
fn repair(
    format: Format,
    cells: &[Vec<[f32; 37]>],
    rows: &[Vec<u8>],
    field: super::mrz::Field,
    today: Date,
) -> Option<Vec<Vec<u8>>> {
    // Per position: the alternatives within its class, with what each costs.
    let mut options: Vec<(usize, usize, u8, f32)> = Vec::new();
    for (l, c) in format.positions_of(field) {
        for (b, cost) in rivals(format, cells, rows, l, c) {
            if cost <= MAX_REPAIR_COST {
                options.push((l, c, b, cost));
            }
        }
    }
    options.sort_by(|a, b| a.3.total_cmp(&b.3));
    options.truncate(24);
    let passes = |rows: &[Vec<u8>]| match parse(rows, today) {
        Ok(_) => true,
        Err(MrzError::CheckDigit { field: f, .. } | MrzError::BadDate { field: f }) => f != field,
        Err(_) => true,
    };
    let mut found: Option<(f32, Vec<Vec<u8>>)> = None;
    let mut consider = |cost: f32, changed: Vec<Vec<u8>>| {
        if found.as_ref().is_none_or(|(c, _)| cost < *c) && passes(&changed) {
            found = Some((cost, changed));
        }
    };
    for (i, &(l, c, b, cost)) in options.iter().enumerate() {
        let mut one = rows.to_vec();
        one[l][c] = b;
        consider(cost, one.clone());
        for &(l2, c2, b2, cost2) in options.iter().skip(i + 1).take(12) {
            if (l2, c2) == (l, c) {
                continue;
            }
            let mut two = one.clone();
            two[l2][c2] = b2;
            consider(cost + cost2, two);
        }
    }
    found.map(|(_, rows)| rows)
}

/// A run of inked rows, in the tilted frame: `top..bottom`.
#[derive(Debug, Clone, Copy)]
struct Line {
    top: f32,
    bottom: f32,
}

/// The image as ink, with its tilt.
struct Page {
    width: usize,
    height: usize,
    ink: Vec<bool>,
    /// `tan` of the tilt: a row of text at `y` in the tilted frame is at
    /// `y + x · slope` in the image.
    slope: f32,
}

impl Page {
    fn new(image: &Gray) -> Result<Page, ReadError> {
        let (w, h) = (image.width, image.height);
        if w < 60 || h < 8 {
            return Err(ReadError::NoInk);
        }
        let ink = threshold(image);
        let mut page = Page {
            width: w,
            height: h,
            ink,
            slope: 0.0,
        };
        page.slope = page.tilt();
        Ok(page)
    }

    fn is_ink(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.height && self.ink[y * self.width + x]
    }

    /// The tilt whose row projection is sharpest (the largest sum of squares):
    /// whole degrees from −4 to 4 first, then tenths around the best, on every
    /// third column (every row: skipping rows would favour no tilt, whose
    /// projection then fills only the rows sampled).
    fn tilt(&self) -> f32 {
        let pad = (self.width as f32 * 0.07) as isize + 1;
        let mut hist = vec![0u32; self.height + 2 * pad as usize];
        // The ink of every third column, as points: the projections below
        // visit only these.
        let points: Vec<(f32, isize)> = (0..self.height)
            .flat_map(|y| (0..self.width).step_by(3).map(move |x| (x, y)))
            .filter(|&(x, y)| self.ink[y * self.width + x])
            .map(|(x, y)| (x as f32, y as isize + pad))
            .collect();
        let mut sharpness = |degrees: f32| -> f64 {
            let slope = degrees.to_radians().tan();
            hist.iter_mut().for_each(|v| *v = 0);
            for &(x, y) in &points {
                let t = y - (x * slope).round() as isize;
                if let Some(v) = usize::try_from(t).ok().and_then(|t| hist.get_mut(t)) {
                    *v += 1;
                }
            }
            hist.iter().map(|&v| f64::from(v) * f64::from(v)).sum()
        };
        let mut best = (0.0f32, f64::MIN);
        for degrees in -4..=4 {
            let s = sharpness(degrees as f32);
            if s > best.1 {
                best = (degrees as f32, s);
            }
        }
        let coarse = best.0;
        for tenth in -7..=7 {
            let degrees = coarse + tenth as f32 / 10.0;
            let s = sharpness(degrees);
            if s > best.1 {
                best = (degrees, s);
            }
        }
        best.0.to_radians().tan()
    }

    /// The row projection in the tilted frame, indexed from `-pad`.
    fn projection(&self) -> (Vec<u32>, isize) {
        let pad = (self.width as f32 * 0.07) as isize + 1;
        let mut hist = vec![0u32; self.height + 2 * pad as usize];
        for y in 0..self.height {
            for x in 0..self.width {
                if self.ink[y * self.width + x] {
                    let t = y as isize - (x as f32 * self.slope).round() as isize + pad;
                    if let Some(v) = usize::try_from(t).ok().and_then(|t| hist.get_mut(t)) {
                        *v += 1;
                    }
                }
            }
        }
        (hist, pad)
    }

    /// The lines: runs of rows holding at least a tenth of the busiest row's
    /// ink, at least half as tall as the tallest run, two or three of them.
    fn lines(&self) -> Result<Vec<Line>, ReadError> {
        let (hist, pad) = self.projection();
        let max = hist.iter().copied().max().unwrap_or(0);
        if max == 0 {
            return Err(ReadError::NoInk);
        }
        let floor = max / 10;
        let mut runs: Vec<(usize, usize, u64)> = Vec::new();
        let mut start: Option<usize> = None;
        let mut sum = 0u64;
        for (i, &v) in hist.iter().chain([0].iter()).enumerate() {
            if v > floor {
                start.get_or_insert(i);
                sum += u64::from(v);
            } else if let Some(s) = start.take() {
                runs.push((s, i, sum));
                sum = 0;
            }
        }
        // Specks and rules are thinner than a third of the typical run; the
        // zone is the last two or three lines of whatever text is above it.
        let mut heights: Vec<usize> = runs.iter().map(|r| r.1 - r.0).collect();
        heights.sort_unstable();
        let typical = heights.get(heights.len() / 2).copied().unwrap_or(0);
        runs.retain(|r| (r.1 - r.0) * 3 >= typical);
        if runs.len() < 2 {
            return Err(ReadError::Lines { found: runs.len() });
        }
        Ok(runs[runs.len().saturating_sub(3)..]
            .iter()
            .map(|&(s, e, _)| Line {
                top: s as f32 - pad as f32,
                bottom: e as f32 - pad as f32,
            })
            .collect())
    }

    /// Whether the tilted-frame point (`x`, `t`) is ink.
    fn ink_at(&self, x: f32, t: f32) -> bool {
        let y = t + x * self.slope;
        x >= 0.0 && y >= 0.0 && self.is_ink(x as usize, y as usize)
    }

    /// Each line's cells scored against every glyph, `width` cells a line.
    fn cells(&self, lines: &[Line], width: usize) -> Vec<Vec<[f32; 37]>> {
        self.grids(lines, width)
            .iter()
            .map(|row| row.iter().map(score).collect())
            .collect()
    }

    /// Each line's cells as grids of ink fractions, `width` cells a line (blank
    /// cells where a line's pitch cannot be fitted).
    fn grids(&self, lines: &[Line], width: usize) -> Vec<Vec<[f32; GRID_W * GRID_H]>> {
        lines
            .iter()
            .map(|line| {
                let columns = self.columns(line);
                let Some((left, pitch)) = fit_pitch(&columns, width, line.bottom - line.top) else {
                    return vec![[0.0; GRID_W * GRID_H]; width];
                };
                (0..width)
                    .map(|i| self.cell_grid(line, &columns, left + i as f32 * pitch, pitch))
                    .collect()
            })
            .collect()
    }

    /// The line's ink per column.
    fn columns(&self, line: &Line) -> Vec<u32> {
        let mut columns = vec![0u32; self.width];
        let (top, bottom) = (line.top.floor() as isize, line.bottom.ceil() as isize);
        for (x, count) in columns.iter_mut().enumerate() {
            let shift = (x as f32 * self.slope).round() as isize;
            for t in top..bottom {
                let y = t + shift;
                if y >= 0 && self.is_ink(x, y as usize) {
                    *count += 1;
                }
            }
        }
        columns
    }

    /// One cell's ink centred on itself, one pitch wide and the line's height,
    /// as a grid of ink fractions.
    fn cell_grid(
        &self,
        line: &Line,
        columns: &[u32],
        left: f32,
        pitch: f32,
    ) -> [f32; GRID_W * GRID_H] {
        let from = left.max(0.0) as usize;
        let to = ((left + pitch).ceil() as usize).min(columns.len());
        let (mut mass, mut moment) = (0.0f32, 0.0f32);
        for (x, &c) in columns.iter().enumerate().take(to).skip(from) {
            mass += c as f32;
            moment += c as f32 * (x as f32 + 0.5);
        }
        let centre = if mass > 0.0 {
            moment / mass
        } else {
            left + pitch / 2.0
        };
        let x0 = centre - pitch / 2.0;
        let height = line.bottom - line.top;
        let mut grid = [0.0f32; GRID_W * GRID_H];
        const SUB: usize = 3;
        for gy in 0..GRID_H {
            for gx in 0..GRID_W {
                let mut hits = 0;
                for sy in 0..SUB {
                    for sx in 0..SUB {
                        let x = x0
                            + (gx as f32 + (sx as f32 + 0.5) / SUB as f32) * pitch / GRID_W as f32;
                        let t = line.top
                            + (gy as f32 + (sy as f32 + 0.5) / SUB as f32) * height / GRID_H as f32;
                        if self.ink_at(x, t) {
                            hits += 1;
                        }
                    }
                }
                grid[gy * GRID_W + gx] = hits as f32 / (SUB * SUB) as f32;
            }
        }
        grid
    }
}

/// The cells' left edge and pitch: from the span of the line's text, refined so
/// that the borders between cells hold the least ink.
fn fit_pitch(columns: &[u32], width: usize, height: f32) -> Option<(f32, f32)> {
    // The line's text is the widest stretch of inked columns with no gap wider
    // than about one and a half characters (between two narrow glyphs, `1` and
    // `I`, there are about 0.7 of the line's height): a page's edge, a frame's
    // border or a stamp beside the zone stands apart from it by a margin.
    let inked = (height / 10.0).max(1.0) as u32;
    let gap = (height * 1.3).max(2.0) as usize;
    let mut best: Option<(usize, usize)> = None;
    let mut current: Option<(usize, usize)> = None;
    for (x, &c) in columns.iter().enumerate() {
        if c < inked {
            continue;
        }
        current = match current {
            Some((start, end)) if x - end <= gap => Some((start, x)),
            _ => Some((x, x)),
        };
        if let Some((start, end)) = current {
            if best.is_none_or(|(s, e)| end - start > e - s) {
                best = Some((start, end));
            }
        }
    }
    let (first, last) = best?;
    if last <= first {
        return None;
    }
    let span = (last + 1 - first) as f32;
    // A glyph's ink is about two thirds of its pitch wide.
    let guess = span / (width as f32 - 0.35);
    let ink = |x: f32| -> f32 {
        if x < 0.0 {
            return 0.0;
        }
        let i = x as usize;
        let f = x - i as f32;
        let a = columns.get(i).copied().unwrap_or(0) as f32;
        let b = columns.get(i + 1).copied().unwrap_or(0) as f32;
        a * (1.0 - f) + b * f
    };
    let mut best: Option<(f32, f32, f32)> = None;
    for p in -10..=10 {
        let pitch = guess * (1.0 + p as f32 * 0.004);
        for o in -8..=4 {
            let left = first as f32 + o as f32 * pitch / 16.0;
            // Every cell's ink lies inside the cells: the last border is past the last ink.
            if left + pitch * width as f32 <= last as f32 || left > first as f32 {
                continue;
            }
            let cost: f32 = (1..width).map(|i| ink(left + i as f32 * pitch)).sum();
            if best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, left, pitch));
            }
        }
    }
    best.map(|(_, left, pitch)| (left, pitch))
}

/// A cell's grid correlated with each glyph.
fn score(grid: &[f32; GRID_W * GRID_H]) -> [f32; 37] {
    let mut scores = [0.0f32; 37];
    for (score, glyph) in scores.iter_mut().zip(GLYPHS.iter()) {
        *score = correlation(grid, glyph);
    }
    scores
}

/// Pearson's correlation of a cell's grid with a glyph's (ink fractions, 0–255).
fn correlation(grid: &[f32; GRID_W * GRID_H], glyph: &[u8; GRID_W * GRID_H]) -> f32 {
    let n = grid.len() as f32;
    let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0f32, 0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for (&a, &b) in grid.iter().zip(glyph.iter()) {
        let b = f32::from(b) / 255.0;
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
    }
    let cov = sab - sa * sb / n;
    let va = saa - sa * sa / n;
    let vb = sbb - sb * sb / n;
    if va <= 1e-6 || vb <= 1e-6 {
        return -1.0;
    }
    cov / (va * vb).sqrt()
}

/// Ink: darker by a sixth than the mean of a window about two characters wide
/// (Bradley's adaptive threshold, on an integral image).
fn threshold(image: &Gray) -> Vec<bool> {
    let (w, h) = (image.width, image.height);
    let mut integral = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(image.pixels[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let half = (w / 40).max(4);
    let mut ink = vec![false; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(half), (y + half + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(half), (x + half + 1).min(w));
            let area = ((y1 - y0) * (x1 - x0)) as u64;
            let sum = integral[y1 * (w + 1) + x1] + integral[y0 * (w + 1) + x0]
                - integral[y0 * (w + 1) + x1]
                - integral[y1 * (w + 1) + x0];
            // pixel < mean · 5/6, in integers.
            ink[y * w + x] = u64::from(image.pixels[y * w + x]) * area * 6 < sum * 5;
        }
    }
    ink
}

// Native only: the tests render zones with a font rasterizer the wasm tests do not build.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ocrb_tests.rs"]
pub(crate) mod tests;
