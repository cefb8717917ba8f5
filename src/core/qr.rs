//! QR codes (ISO/IEC 18004) for the phone handoff: byte mode, error
//! correction level M, the smallest version that holds the text, the mask
//! with the lowest penalty, drawn as SVG with a quiet zone.

use std::fmt::Write;

/// The largest QR version (177×177 modules).
const MAX_VERSION: usize = 40;

/// Error-correction codewords per block at level M, by version (index 0 unused).
const ECC_PER_BLOCK: [u8; 41] = [
    0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
];
/// Error-correction blocks at level M, by version (index 0 unused).
const BLOCKS: [u8; 41] = [
    0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23,
    25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
];
/// Level M in the format information.
const FORMAT_M: u32 = 0;

/// Why a text cannot become a QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrError {
    /// Longer than version 40 at level M holds.
    TooLong,
}

/// A QR code: a square of dark and light modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    version: usize,
    size: usize,
    mask: u8,
    dark: Vec<bool>,
    /// Function patterns (finders, timing, alignment, format, version): never masked.
    reserved: Vec<bool>,
}

impl QrCode {
    /// Encodes `data` in byte mode at level M, choosing the mask by penalty.
    pub fn encode(data: &[u8]) -> Result<QrCode, QrError> {
        QrCode::encode_with_mask(data, None)
    }

    /// Encodes `data` with the given mask (0–7), or the best one for `None`.
    pub fn encode_with_mask(data: &[u8], mask: Option<u8>) -> Result<QrCode, QrError> {
        let version = (1..=MAX_VERSION)
            .find(|&v| data_bits_needed(data.len(), v) <= data_codewords(v) * 8)
            .ok_or(QrError::TooLong)?;
        let codewords = add_error_correction(&data_codewords_for(data, version), version);
        let mut code = QrCode::blank(version);
        code.draw_function_patterns();
        code.draw_codewords(&codewords);
        let mask = match mask {
            Some(m) => m % 8,
            None => (0..8u8)
                .min_by_key(|&m| {
                    let mut trial = code.clone();
                    trial.apply_mask(m);
                    trial.draw_format(m);
                    trial.penalty()
                })
                .unwrap_or(0),
        };
        code.apply_mask(mask);
        code.draw_format(mask);
        code.mask = mask;
        Ok(code)
    }

    /// The version (1–40).
    pub fn version(&self) -> usize {
        self.version
    }

    /// Modules per side, without the quiet zone.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The mask pattern used (0–7).
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// Whether the module at column `x`, row `y` is dark (outside is light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// The code as an SVG image: a light square with `quiet` light modules
    /// on every side, and the dark modules as one black path.
    pub fn to_svg(&self, quiet: usize) -> String {
        let side = self.size + 2 * quiet;
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
<rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{}\"/></svg>",
            self.path_data(quiet)
        )
    }

    /// The SVG path of the dark modules, offset by `quiet` modules: one
    /// rectangle per horizontal run keeps it short.
    pub fn path_data(&self, quiet: usize) -> String {
        let mut path = String::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && self.is_dark(x, y) {
                    x += 1;
                }
                let w = x - start;
                let _ = write!(path, "M{},{}h{w}v1h-{w}z", start + quiet, y + quiet);
            }
        }
        path
    }

    fn blank(version: usize) -> QrCode {
        let size = version * 4 + 17;
        QrCode {
            version,
            size,
            mask: 0,
            dark: vec![false; size * size],
            reserved: vec![false; size * size],
        }
    }

    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.dark[i] = dark;
        self.reserved[i] = true;
    }

    fn draw_function_patterns(&mut self) {
        let size = self.size;
        for i in 0..size {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        self.draw_finder(3, 3);
        self.draw_finder(size - 4, 3);
        self.draw_finder(3, size - 4);
        let positions = alignment_positions(self.version);
        let last = positions.len().saturating_sub(1);
        for (i, &x) in positions.iter().enumerate() {
            for (j, &y) in positions.iter().enumerate() {
                // The three corners hold finder patterns instead.
                let corner = (i == 0 && (j == 0 || j == last)) || (i == last && j == 0);
                if !corner {
                    self.draw_alignment(x, y);
                }
            }
        }
        // Reserve the format areas now; the bits are drawn once the mask is known.
        self.draw_format(0);
        self.draw_version();
    }

    fn draw_finder(&mut self, cx: usize, cy: usize) {
        for dy in -4i32..=4 {
            for dx in -4i32..=4 {
                let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                if x < 0 || y < 0 || x >= self.size as i32 || y >= self.size as i32 {
                    continue;
                }
                let d = dx.abs().max(dy.abs());
                self.set_function(x as usize, y as usize, d != 2 && d != 4);
            }
        }
    }

    fn draw_alignment(&mut self, cx: usize, cy: usize) {
        for dy in -2i32..=2 {
            for dx in -2i32..=2 {
                let d = dx.abs().max(dy.abs());
                let (x, y) = ((cx as i32 + dx) as usize, (cy as i32 + dy) as usize);
                self.set_function(x, y, d != 1);
            }
        }
    }

    fn draw_format(&mut self, mask: u8) {
        let data = (FORMAT_M << 3) | u32::from(mask);
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = ((data << 10) | rem) ^ 0x5412;
        let bit = |i: usize| (bits >> i) & 1 != 0;
        let size = self.size;
        for i in 0..=5 {
            self.set_function(8, i, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(size - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, size - 15 + i, bit(i));
        }
        self.set_function(8, size - 8, true);
    }

    fn draw_version(&mut self) {
        if self.version < 7 {
            return;
        }
        let data = self.version as u32;
        let mut rem = data;
        for _ in 0..12 {
            rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
        }
        let bits = (data << 12) | rem;
        for i in 0..18 {
            let dark = (bits >> i) & 1 != 0;
            let (a, b) = (self.size - 11 + i % 3, i / 3);
            self.set_function(a, b, dark);
            self.set_function(b, a, dark);
        }
    }

    fn draw_codewords(&mut self, codewords: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size - 1;
        loop {
            // The vertical timing column is skipped.
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { size - 1 - vert } else { vert };
                    let index = y * size + x;
                    if !self.reserved[index] && i < codewords.len() * 8 {
                        self.dark[index] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 != 0;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u8) {
        for y in 0..self.size {
            for x in 0..self.size {
                let flip = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let i = y * self.size + x;
                if flip && !self.reserved[i] {
                    self.dark[i] = !self.dark[i];
                }
            }
        }
    }

    /// The penalty score of ISO/IEC 18004 §7.8.3 (lower is easier to read).
    fn penalty(&self) -> u32 {
        let size = self.size;
        let at = |x: usize, y: usize| self.dark[y * size + x];
        let mut score = 0u32;
        for horizontal in [true, false] {
            for a in 0..size {
                let line: Vec<bool> = (0..size)
                    .map(|b| if horizontal { at(b, a) } else { at(a, b) })
                    .collect();
                score += line_penalty(&line);
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = at(x, y);
                if c == at(x + 1, y) && c == at(x, y + 1) && c == at(x + 1, y + 1) {
                    score += 3;
                }
            }
        }
        let dark = self.dark.iter().filter(|&&d| d).count() as u32;
        let total = (size * size) as u32;
        // Each 5% away from half dark costs 10.
        let k = (dark * 20)
            .abs_diff(total * 10)
            .div_ceil(total)
            .saturating_sub(1);
        score + k * 10
    }
}

/// Penalties of one row or column: runs of five or more (rule 1) and
/// finder-like 1:1:3:1:1 patterns with four light modules beside (rule 3).
fn line_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut run = 1;
    for i in 1..=line.len() {
        if i < line.len() && line[i] == line[i - 1] {
            run += 1;
            continue;
        }
        if run >= 5 {
            score += 3 + (run - 5) as u32;
        }
        run = 1;
    }
    // Outside the symbol counts as light.
    let light = |i: isize| i < 0 || i as usize >= line.len() || !line[i as usize];
    const CORE: [bool; 7] = [true, false, true, true, true, false, true];
    for start in 0..line.len().saturating_sub(6) {
        if CORE.iter().enumerate().all(|(k, &d)| line[start + k] == d) {
            let s = start as isize;
            let before = (1..=4).all(|k| light(s - k));
            let after = (1..=4).all(|k| light(s + 6 + k));
            score += 40 * (u32::from(before) + u32::from(after));
        }
    }
    score
}

/// Centres of the alignment patterns on each axis.
fn alignment_positions(version: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let size = version * 4 + 17;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// Modules available for data and error correction in a version.
fn raw_data_modules(version: usize) -> usize {
    let mut result = (16 * version + 128) * version + 64;
    if version >= 2 {
        let align = version / 7 + 2;
        result -= (25 * align - 10) * align - 55;
        if version >= 7 {
            result -= 36;
        }
    }
    result
}

/// Data codewords in a version at level M.
fn data_codewords(version: usize) -> usize {
    raw_data_modules(version) / 8
        - usize::from(ECC_PER_BLOCK[version]) * usize::from(BLOCKS[version])
}

fn count_bits(version: usize) -> usize {
    if version <= 9 {
        8
    } else {
        16
    }
}

fn data_bits_needed(len: usize, version: usize) -> usize {
    let bits = count_bits(version);
    if len >= 1 << bits {
        return usize::MAX;
    }
    4 + bits + len * 8
}

/// Mode, length, bytes, terminator and padding, as codewords.
fn data_codewords_for(data: &[u8], version: usize) -> Vec<u8> {
    let capacity = data_codewords(version) * 8;
    let mut bits: Vec<bool> = Vec::with_capacity(capacity);
    let push = |value: u32, n: usize, bits: &mut Vec<bool>| {
        for i in (0..n).rev() {
            bits.push((value >> i) & 1 != 0);
        }
    };
    push(0b0100, 4, &mut bits);
    push(data.len() as u32, count_bits(version), &mut bits);
    for &b in data {
        push(u32::from(b), 8, &mut bits);
    }
    let terminator = (capacity - bits.len()).min(4);
    push(0, terminator, &mut bits);
    let to_byte = (8 - bits.len() % 8) % 8;
    push(0, to_byte, &mut bits);
    let mut bytes: Vec<u8> = bits
        .chunks(8)
        .map(|c| c.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b)))
        .collect();
    for pad in [0xEC, 0x11].iter().cycle() {
        if bytes.len() * 8 >= capacity {
            break;
        }
        bytes.push(*pad);
    }
    bytes
}

/// Splits the data into blocks, adds Reed–Solomon codewords, interleaves.
fn add_error_correction(data: &[u8], version: usize) -> Vec<u8> {
    let blocks = usize::from(BLOCKS[version]);
    let ecc_len = usize::from(ECC_PER_BLOCK[version]);
    let raw = raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks;
    let divisor = rs_divisor(ecc_len);
    let mut all: Vec<Vec<u8>> = Vec::with_capacity(blocks);
    let mut k = 0;
    for i in 0..blocks {
        let len = short_len - ecc_len + usize::from(i >= short_blocks);
        let mut block = data[k..k + len].to_vec();
        k += len;
        let ecc = rs_remainder(&block, &divisor);
        if i < short_blocks {
            // Short blocks get a placeholder so every block has the same length.
            block.push(0);
        }
        block.extend_from_slice(&ecc);
        all.push(block);
    }
    let mut out = Vec::with_capacity(raw);
    for i in 0..all[0].len() {
        for (j, block) in all.iter().enumerate() {
            // Skip the placeholder of the short blocks.
            if i != short_len - ecc_len || j >= short_blocks {
                out.push(block[i]);
            }
        }
    }
    out
}

fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u16 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= ((u16::from(y) >> i) & 1) * u16::from(x);
    }
    z as u8
}

fn rs_divisor(degree: usize) -> Vec<u8> {
    let mut result = vec![0u8; degree];
    result[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            result[j] = gf_mul(result[j], root);
            if j + 1 < degree {
                result[j] ^= result[j + 1];
            }
        }
        root = gf_mul(root, 0x02);
    }
    result
}

fn rs_remainder(data: &[u8], divisor: &[u8]) -> Vec<u8> {
    let mut result = vec![0u8; divisor.len()];
    for &b in data {
        let factor = b ^ result[0];
        result.remove(0);
        result.push(0);
        for (r, &d) in result.iter_mut().zip(divisor) {
            *r ^= gf_mul(d, factor);
        }
    }
    result
}

#[cfg(test)]
#[path = "qr_tests.rs"]
mod tests;
